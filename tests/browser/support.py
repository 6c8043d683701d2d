"""What browser tests share besides fixtures: where Chromium is, how to launch it, signing
in, keyboard-only moves, screenshots and the axe-core accessibility check.

Playwright is imported lazily (``playwright_api()``), so this module loads, and the tests
are collected and skipped with a plain reason, on a machine without it.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from credgroup.demo.data import ADMIN_EMAIL, DEMO_PASSWORD

# Debian's chromium; test tools cannot download browsers here (nor in CI).
CHROMIUM = Path(os.environ.get("CREDGROUP_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",  # CI runs as root in a container, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

HERE = Path(__file__).resolve().parent
SCREENSHOT_DIR = Path(os.environ.get("CREDGROUP_SCREENSHOT_DIR", HERE / "screenshots"))
AXE_JS = HERE / "vendor" / "axe.min.js"

# The demo association's people (credgroup/demo/data.py), by the part they play.
MEMBER = "credit@northfield-aggregates.example"  # Dana Whitfield, Northfield Aggregates
MEMBER_NAME, MEMBER_COMPANY = "Dana Whitfield", "Northfield Aggregates"
OTHER_MEMBER = "karen.holt@ridgelinegypsum.example"  # Karen Holt, Ridgeline Gypsum Supply
OTHER_MEMBER_NAME, OTHER_MEMBER_COMPANY = "Karen Holt", "Ridgeline Gypsum Supply"
FACILITATOR = "facilitator@demo-credit.example"  # Carol Jennings: Building Materials, Food
ADMIN = ADMIN_EMAIL
GROUP = "building-materials"
PASSWORD = DEMO_PASSWORD

# Impacts that fail the accessibility check ("minor" and "moderate" are reported by axe
# too, but the issue asks for none of the serious or critical kind).
FAILING_IMPACTS = ("serious", "critical")


def missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"chromium not found at {CHROMIUM}: browser tests skipped"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed: browser tests skipped"
    return None


def playwright_api() -> Any:
    import playwright.sync_api

    return playwright.sync_api


# As long as the pages' own default timeout (conftest.make_page): Playwright's assertions
# otherwise give up after 5 s, which a page that fetches something (the "Already
# reported?" box) has exceeded on a two-core machine at load 11.
EXPECT_TIMEOUT_MS = 15_000


def expect(target: Any) -> Any:
    """Playwright's retrying assertions (``expect(locator).to_have_text(...)``)."""
    api = playwright_api()
    api.expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    return api.expect(target)


def wait_until(condition: Callable[[], Any], timeout: float = 15.0, what: str = "") -> Any:
    """Poll ``condition`` until it returns something truthy (for the worker's effects)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what or condition}")
        time.sleep(0.1)


# --- signing in and out ------------------------------------------------------------------


def sign_in(page: Any, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in with the mouse and typing, as most people do."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_in_by_keyboard(page: Any, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in with Tab, typing and Enter only."""
    page.goto(f"{base_url}/login")
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(email)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


# --- keyboard only -----------------------------------------------------------------------

MAX_TABS = 250  # more than any page has focusable controls before its main content ends


def is_focused(locator: Any) -> bool:
    return bool(locator.evaluate("el => el === document.activeElement"))


def tab_to(
    page: Any, locator: Any, *, backwards: bool | None = None, max_presses: int = MAX_TABS
) -> None:
    """Press Tab until ``locator`` has the focus (Shift+Tab when it comes before the
    focused element, or when ``backwards`` says so).

    Fails, naming the control, when it cannot be reached that way: a control a keyboard
    cannot reach is a bug in the page, not in the test."""
    locator.wait_for(state="attached")
    if backwards is None:
        backwards = comes_before_focus(locator)
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(max_presses):
        if is_focused(locator):
            return
        page.keyboard.press(key)
    raise AssertionError(
        f"{locator} cannot be reached with {key} on {page.url} "
        f"(focus ended on {describe_focus(page)})"
    )


def comes_before_focus(locator: Any) -> bool:
    """True when the element is earlier in the document than the focused element."""
    return bool(
        locator.evaluate(
            """el => { const focused = document.activeElement;
            if (!focused || focused === document.body) return false;
            const before = focused.compareDocumentPosition(el);
            return Boolean(before & Node.DOCUMENT_POSITION_PRECEDING); }"""
        )
    )


def describe_focus(page: Any) -> str:
    return page.evaluate(
        """() => { const el = document.activeElement; if (!el) return 'nothing';
        const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '')
        return el.tagName.toLowerCase() + ' ' + JSON.stringify(name.trim().slice(0, 60)); }"""
    )


def press_on(page: Any, locator: Any, key: str = "Enter", *, backwards: bool | None = None) -> None:
    """Tab to a control and operate it with ``key`` (Enter for links and buttons, Space
    for checkboxes and buttons)."""
    tab_to(page, locator, backwards=backwards)
    page.keyboard.press(key)


def type_into(page: Any, locator: Any, text: str, *, backwards: bool | None = None) -> None:
    """Tab to a text field, select what it holds and type over it."""
    tab_to(page, locator, backwards=backwards)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose_by_keyboard(
    page: Any, select: Any, label: str, *, backwards: bool | None = None
) -> None:
    """Tab to a <select> and move through its options with the arrow keys until the
    option ``label`` is chosen (what a keyboard user does on a closed select)."""
    tab_to(page, select, backwards=backwards)
    labels = select.evaluate("el => Array.from(el.options).map(o => o.label.trim())")
    target = labels.index(label)
    current = select.evaluate("el => el.selectedIndex")
    step = "ArrowDown" if target >= current else "ArrowUp"
    for _ in range(abs(target - current)):
        page.keyboard.press(step)
    chosen = select.evaluate("el => el.options[el.selectedIndex].label.trim()")
    assert chosen == label, f"the keyboard chose {chosen!r}, not {label!r}"


# --- hands: the same journey with the mouse or with the keyboard only -----------------------


class Mouse:
    """Operates controls as most people do: clicks and typing into fields."""

    keyboard_only = False

    def __init__(self, page: Any) -> None:
        self.page = page

    def follow(self, link: Any) -> None:
        link.click()

    def press(self, button: Any) -> None:
        button.click()

    def fill(self, field: Any, text: str) -> None:
        field.fill(text)

    def choose(self, select: Any, label: str) -> None:
        select.select_option(label=label)

    def tick(self, checkbox: Any, on: bool = True) -> None:
        checkbox.set_checked(on)


class Keyboard(Mouse):
    """Operates controls with Tab / Shift+Tab to move, Enter on links, Space on buttons and
    checkboxes, typing into fields and the arrow keys in a closed <select>. Never clicks."""

    keyboard_only = True

    def follow(self, link: Any) -> None:
        press_on(self.page, link, "Enter")

    def press(self, button: Any) -> None:
        press_on(self.page, button, "Space")

    def fill(self, field: Any, text: str) -> None:
        type_into(self.page, field, text)

    def choose(self, select: Any, label: str) -> None:
        choose_by_keyboard(self.page, select, label)

    def tick(self, checkbox: Any, on: bool = True) -> None:
        tab_to(self.page, checkbox)
        if checkbox.is_checked() != on:
            self.page.keyboard.press("Space")
        assert checkbox.is_checked() == on, f"Space did not toggle {checkbox}"

    def reach(self, control: Any) -> None:
        """Only move the focus there (proves a control can be reached)."""
        tab_to(self.page, control)


# --- screenshots ---------------------------------------------------------------------------


def save_screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save ``<SCREENSHOT_DIR>/<name>.png`` (the folder is git-ignored)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --- accessibility -------------------------------------------------------------------------

_axe_source: str | None = None


def axe_source() -> str:
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_JS.read_text(encoding="utf-8")
    return _axe_source


def axe_violations(page: Any, impacts: tuple[str, ...] = FAILING_IMPACTS) -> list[dict]:
    """Run axe-core on the page; the violations of the given impacts, compactly.

    axe is evaluated through the DevTools protocol (``page.evaluate``), which the page's
    Content-Security-Policy does not govern, so pages are checked with their real CSP on.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          summary: n.failureSummary}))}));
        }"""
    )
    return [v for v in results if v["impact"] in impacts]


def describe_violations(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2)[:6000]


# --- layout ----------------------------------------------------------------------------------


def next_frame(page: Any) -> None:
    """Wait until the browser has drawn two frames (after a resize, say)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return int(
        page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth") or 0
    )
