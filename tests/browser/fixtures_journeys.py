"""What the workaround and meeting journeys add to ``support``'s hands: the keyboard hand
checks at every control that the focus can be seen, waits for the page a key press loads,
types dates and times into the fields' segments and uses type-ahead in long lists; both
hands search, download and fill date fields. Plus a meeting slot that is "today" wherever
the clock stands.

The keyboard hand never clicks or fills: every control is reached with Tab / Shift+Tab,
operated with Enter, Space or the arrow keys, and text is typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser import support

# What Chromium reports for the focused element; a ring nobody can see is a bug.
_FOCUS_STATE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        text: (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '')
            .trim().slice(0, 60),
        outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
        shadow: style.boxShadow,
        width: box.width, height: box.height,
        inView: box.bottom > 0 && box.right > 0 &&
                box.top < window.innerHeight && box.left < window.innerWidth,
    };
}"""


def assert_focus_visible(page: Any) -> None:
    """The focused control shows a focus indicator (outline or shadow) inside the window."""
    state = page.evaluate(_FOCUS_STATE)
    assert state is not None, f"focus was lost (on <body>) on {page.url}"
    ring = (state["outline"] != "none" and state["outlineWidth"] >= 1) or state["shadow"] != "none"
    assert ring, f"no visible focus indicator on {state['tag']} {state['text']!r} ({page.url})"
    assert state["width"] > 0 and state["height"] > 0 and state["inView"], (
        f"the focused {state['tag']} {state['text']!r} is not on screen ({page.url})"
    )


def tab_to(page: Any, locator: Any) -> None:
    """Tab (or Shift+Tab, whichever way it lies) to a control; check its focus can be seen.

    On a page just loaded, a control in the page's content is reached as keyboard users
    do: the first Tab lands on "Skip to content", Enter moves into the content, and Tab
    goes on from there (past the header's dozen links). Not after a jump to a #fragment:
    there the browser starts Tab from the fragment's place, where the person's work is."""
    locator.wait_for(state="attached")
    fresh = page.evaluate(
        "() => (!document.activeElement || document.activeElement === document.body)"
        " && !location.hash"
    )
    if fresh and locator.evaluate("el => !!el.closest('main')"):
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to content")
        assert support.is_focused(skip), f"the first Tab on {page.url} is not the skip link"
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
    support.tab_to(page, locator)
    assert_focus_visible(page)


def check_accessible(page: Any) -> None:
    """No serious or critical axe-core violation on the page as it stands in the journey
    (pages full of a journey's items, which an empty page check would not see)."""
    violations = support.axe_violations(page)
    assert violations == [], f"{page.url}: {support.describe_violations(violations)}"


def focus_is_inside(page: Any, locator: Any) -> bool:
    return bool(locator.evaluate("el => el.contains(document.activeElement)"))


# Whether pressing a key on the focused element loads a page: Enter on a link, Enter or
# Space on a submit button. (A key press, unlike a click, does not wait for that by itself,
# and the next control looked for may be on the old page as well as on the new one.)
_LOADS_PAGE = """(el, key) => {
    if (el.tagName === 'A') return key === 'Enter' && !!el.getAttribute('href') &&
        !el.getAttribute('href').startsWith('#') && !el.hasAttribute('download');
    const submits = (el.tagName === 'BUTTON' || el.tagName === 'INPUT') && el.type === 'submit';
    return submits && !!el.form && (key === 'Enter' || key === 'Space');
}"""

# A <select> longer than this is chosen by typing the option's start (type-ahead), as
# people do in a list of time zones, rather than with hundreds of arrow presses.
TYPE_AHEAD_OPTIONS = 40


# --- hands: support.Mouse / support.Keyboard with what these journeys need besides -------------


class JourneyMouse(support.Mouse):
    """Clicks and typing into fields; date fields filled with their ISO value."""

    def sign_in(self, base_url: str, email: str) -> None:
        support.sign_in(self.page, base_url, email)

    def date_time(self, field: Any, moment: datetime) -> None:
        field.fill(moment.strftime("%Y-%m-%dT%H:%M"))

    def date(self, field: Any, day: date) -> None:
        field.fill(day.isoformat())

    def search(self, box: Any, button: Any, text: str) -> None:
        box.fill(text)
        button.click()

    def download(self, link: Any) -> bytes:
        with self.page.expect_download() as download:
            link.click()
        return download.value.path().read_bytes()

    def pick(self, radio: Any) -> None:
        radio.check()


class JourneyKeyboard(support.Keyboard):
    """Keyboard only, and at every control the focus must be visible on screen; waits for
    the page a key press loads; types dates into the fields' segments."""

    def sign_in(self, base_url: str, email: str) -> None:
        support.sign_in_by_keyboard(self.page, base_url, email)

    def follow(self, link: Any) -> None:
        self._operate(link, "Enter")

    def press(self, button: Any) -> None:
        self._operate(button, "Space")

    def fill(self, field: Any, text: str) -> None:
        tab_to(self.page, field)
        super().fill(field, text)

    def choose(self, select: Any, label: str) -> None:
        tab_to(self.page, select)
        if select.evaluate("el => el.options.length") <= TYPE_AHEAD_OPTIONS:
            super().choose(select, label)
            return
        self.page.keyboard.type(label)
        chosen = select.evaluate("el => el.options[el.selectedIndex].label.trim()")
        assert chosen == label, f"typing chose {chosen!r}, not {label!r}"
        self.page.wait_for_timeout(1100)  # type-ahead forgets after a second

    def tick(self, checkbox: Any, on: bool = True) -> None:
        tab_to(self.page, checkbox)
        super().tick(checkbox, on)

    def reach(self, control: Any) -> None:
        tab_to(self.page, control)

    def date_time(self, field: Any, moment: datetime) -> None:
        """Chromium in en-US (the journeys' contexts ask for it) shows mm/dd/yyyy, hh:mm
        AM/PM. Two-digit segments move on by themselves; the year takes up to six digits,
        so Tab moves on from it to the hour."""
        tab_to(self.page, field)
        self.page.keyboard.type(moment.strftime("%m%d%Y"))
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(moment.strftime("%I%M") + ("A" if moment.hour < 12 else "P"))
        typed = field.input_value()
        assert typed == moment.strftime("%Y-%m-%dT%H:%M"), f"the field holds {typed!r}"

    def date(self, field: Any, day: date) -> None:
        tab_to(self.page, field)
        self.page.keyboard.type(day.strftime("%m%d%Y"))
        typed = field.input_value()
        assert typed == day.isoformat(), f"the field holds {typed!r}"

    def search(self, box: Any, button: Any, text: str) -> None:
        """Type into the box and press Enter there, as people do (the button is for mice)."""
        self.fill(box, text)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def download(self, link: Any) -> bytes:
        tab_to(self.page, link)
        with self.page.expect_download() as download:
            self.page.keyboard.press("Enter")
        return download.value.path().read_bytes()

    def pick(self, radio: Any) -> None:
        """A group of radio buttons is one Tab stop, on the chosen button; the arrow keys
        move the choice."""
        name = radio.get_attribute("name")
        chosen = self.page.locator(f'input[type=radio][name="{name}"]:checked')
        tab_to(self.page, chosen if chosen.count() else radio)
        for _ in range(self.page.locator(f'input[type=radio][name="{name}"]').count()):
            if radio.is_checked():
                break
            self.page.keyboard.press("ArrowDown")
        assert radio.is_checked(), f"the arrow keys did not reach {radio}"
        assert_focus_visible(self.page)

    def _operate(self, control: Any, key: str) -> None:
        tab_to(self.page, control)
        if control.evaluate(_LOADS_PAGE, key):
            with self.page.expect_navigation():
                self.page.keyboard.press(key)
        else:
            self.page.keyboard.press(key)


HANDS = pytest.mark.parametrize(
    "hands", [JourneyMouse, JourneyKeyboard], ids=["mouse", "keyboard-only"]
)


# --- a meeting that takes place today ----------------------------------------------------------

# Zones to hold the journey's meeting in: the demo group's own first, then others far
# enough apart that one of them is always well inside its day.
MEETING_ZONES = ("America/Chicago", "UTC", "Asia/Tokyo")


@dataclass(frozen=True)
class MeetingSlot:
    """A meeting later today (local time where it is held) with a call deadline before it.

    Attendance is taken on the day of the meeting and the call's deadline must lie ahead,
    so a journey that prepares and runs a meeting in one go needs all three today."""

    zone: str
    deadline: datetime  # naive local times, as the forms take them
    starts: datetime


def meeting_slot(call_minutes: int = 20, meeting_minutes: int = 40) -> MeetingSlot:
    for zone in MEETING_ZONES:
        now = datetime.now(ZoneInfo(zone)).replace(second=0, microsecond=0, tzinfo=None)
        starts = now + timedelta(minutes=meeting_minutes)
        if starts.date() == now.date() and starts.hour < 22:
            return MeetingSlot(zone, now + timedelta(minutes=call_minutes), starts)
    raise AssertionError("no zone in MEETING_ZONES has its day ahead of it")  # unreachable
