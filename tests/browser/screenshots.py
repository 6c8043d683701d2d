"""Regenerate the README's screenshots (docs/screenshots/*.png) from the demo association.

    make screenshots        # or: .venv/bin/python -m tests.browser.screenshots [--out DIR]

Starts the site exactly as the browser tests do (fresh SQLite database with the demo data,
worker running), walks to each key screen in Debian's Chromium at 1280 px wide, and saves
a 1280 x 900 view of it as a 256-colour PNG (the pages are flat colours and text, so this
keeps each file small without visible loss).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.browser import support

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 900
G = support.GROUP


@dataclass(frozen=True)
class Shot:
    name: str  # file name without .png
    who: str  # email of the person looking
    open: Callable[[Any, Any], Any]  # (page, site) -> the element the view starts at, or None
    caption: str


def report_preview(page: Any, site: Any) -> Any:
    """The report form after "Preview": the company's name caught, a sentence flagged."""
    page.goto(site(f"/g/{G}/reports/new"))
    page.get_by_label("Portal", exact=True).select_option(label="Coupa")
    page.get_by_label("What kind of problem").select_option(label="Status wrong or never updates")
    page.get_by_label("Title").fill("Coupa approvals stuck after the buyer changed approvers")
    page.get_by_label("What happened").fill(
        "At Northfield Aggregates we sent 14 invoices through the customer's Coupa in March; "
        "all of them still showed Pending Approval in May. We should all stop selling to them "
        "until they fix it."
    )
    page.get_by_role("button", name="Preview").click()
    return page.get_by_role("heading", name="Some wording needs a second look")


def report_detail(page: Any, site: Any) -> None:
    """The demo's most confirmed report, with its discussion."""
    page.goto(site(f"/g/{G}/reports?sort=most_confirmed"))
    page.locator("table").get_by_role("link").first.click()


def search_results(page: Any, site: Any) -> None:
    page.goto(site("/search?q=aribaa+invoice+rejected"))


def article(page: Any, site: Any) -> None:
    page.goto(site("/kb/"))
    page.locator("main").get_by_role("link", name="INV-15").first.click()


def portal_page(page: Any, site: Any) -> None:
    page.goto(site("/portals/coupa"))


def trend_report(page: Any, site: Any) -> Any:
    """The group's last two whole quarters (what the worker freezes onto a meeting's
    agenda), at the portal x problem heat map: published figures and hidden ones side by
    side."""
    from datetime import date

    from credgroup.trends.periods import Quarter

    last = Quarter.of(date.today()).shift(-1)
    first = last.shift(-1)
    page.goto(site(f"/g/{G}/trends?period=custom&from={first.start:%Y-%m}&to={last.end:%Y-%m}"))
    return page.locator("#heat_map-heading")


def meeting_book(page: Any, site: Any) -> None:
    """The book of the group's last meeting: agenda, statements, minutes, trend report."""
    page.goto(site(f"/meetings/{last_held_meeting(site)}/book"))


def last_held_meeting(site: Any) -> str:
    import sqlalchemy as sa

    from credgroup.extensions import db
    from credgroup.groups.models import CreditGroup
    from credgroup.meetings.models import Meeting, MeetingStatus

    with site.app.app_context():
        try:
            return db.session.scalar(
                sa.select(Meeting.public_id)
                .join(CreditGroup, CreditGroup.id == Meeting.group_id)
                .where(CreditGroup.slug == G, Meeting.status == MeetingStatus.HELD)
                .order_by(Meeting.starts_at.desc())
                .limit(1)
            )
        finally:
            db.session.remove()


SHOTS = (
    Shot("report-preview", support.MEMBER, report_preview, "Writing a report: the preview"),
    Shot("report-detail", support.OTHER_MEMBER, report_detail, "A report and its discussion"),
    Shot("search", support.MEMBER, search_results, "Search with a typo and a portal alias"),
    Shot("article", support.MEMBER, article, "A workaround article"),
    Shot("portal", support.MEMBER, portal_page, "A portal's page"),
    Shot("trends", support.FACILITATOR, trend_report, "The group's trend report"),
    Shot("meeting-book", support.FACILITATOR, meeting_book, "The printable meeting book"),
)


def take(browser: Any, site: Any, shot: Shot, out: Path) -> Path:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="en-US")
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        support.sign_in(page, site.url, shot.who)
        start = shot.open(page, site)
        page.wait_for_load_state("networkidle")
        top = 0.0
        if start is not None:
            box = start.bounding_box()
            top = max(box["y"] + page.evaluate("window.scrollY") - 24, 0) if box else 0.0
        path = out / f"{shot.name}.png"
        page.screenshot(
            path=str(path),
            full_page=True,
            clip={"x": 0, "y": top, "width": WIDTH, "height": HEIGHT},
            animations="disabled",
            caret="hide",
        )
        shrink(path)
        return path
    finally:
        context.close()


def shrink(path: Path) -> None:
    """256 colours and the best zlib effort: a third of Chromium's PNG or less."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default {OUT})")
    args = parser.parse_args(argv)
    reason = support.missing_reason()
    if reason is not None:
        print(reason.replace("browser tests skipped", "no screenshots taken"), file=sys.stderr)
        return 1
    from credgroup.accounts.passwords import use_fast_hashing_for_tests
    from tests.browser.live import demo_site, launch_chromium

    logging.basicConfig(level=logging.WARNING)
    for noisy in ("alembic", "apscheduler"):  # migrations and skipped 1-second job runs
        logging.getLogger(noisy).setLevel(logging.ERROR)
    use_fast_hashing_for_tests()  # a throwaway database: no need for costly password hashes
    args.out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="credgroup-screens-") as tmp,
        demo_site(f"sqlite:///{tmp}/site.db", Path(tmp), {"LOG_LEVEL": "WARNING"}) as site,
        support.playwright_api().sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        try:
            for shot in SHOTS:
                path = take(browser, site, shot, args.out)
                shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
                print(f"{shown}  {path.stat().st_size // 1024} KB  {shot.caption}")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
