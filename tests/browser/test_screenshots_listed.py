"""The README shows every screen ``make screenshots`` takes, and the files are there. (No
browser needed: this keeps the command, the folder and the README in step.)"""

from __future__ import annotations

from tests.browser.screenshots import OUT, REPO, SHOTS


def test_the_readme_shows_every_screenshot_the_command_takes() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for shot in SHOTS:
        path = (OUT / f"{shot.name}.png").relative_to(REPO).as_posix()
        assert f"]({path})" in readme, f"README.md does not show {path}"
        assert (REPO / path).is_file(), f"{path} is missing: run make screenshots"


def test_no_screenshot_is_left_over_from_a_screen_no_longer_taken() -> None:
    taken = {f"{shot.name}.png" for shot in SHOTS}
    assert {path.name for path in OUT.glob("*.png")} == taken
