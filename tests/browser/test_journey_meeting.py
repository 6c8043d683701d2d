"""Journey 3: a facilitator prepares and runs a meeting.

She plans a meeting of Building Materials for later today (attendance is taken on the day,
so the whole journey happens on one), opens a call for items, drafts the agenda from what
members are reporting, attaches the trend report, reorders, publishes; a member proposes
an item anonymously and she accepts it; she prints the meeting book, downloads the .ics,
takes attendance, writes the minutes with an action item, and finds the action item on
the next meeting's agenda.

Once with the mouse, once with the keyboard only. Each run plans its own meeting, so the
two run in any order against the session's one database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.browser.fixtures_journeys import (
    HANDS,
    MeetingSlot,
    assert_focus_visible,
    check_accessible,
    focus_is_inside,
    meeting_slot,
)
from tests.browser.support import (
    FACILITATOR,
    OTHER_MEMBER_NAME,
    expect,
    save_screenshot,
    wait_until,
)

pytestmark = pytest.mark.browser

GROUP_NAME = "Building Materials Credit Group"
TREND = re.compile(r"^Trend report")
STATEMENTS = "Antitrust, anti-defamation and confidentiality statements"
EN_US = {"locale": "en-US"}  # the date and time fields' segment order (mm/dd/yyyy, AM/PM)


@dataclass(frozen=True)
class Plan:
    """What one run of the journey writes and who takes part, distinct per run."""

    title: str
    member: str  # proposes an item anonymously and attends
    member_name: str
    member_company: str
    attended: str  # how the member attended
    topic: str
    action: str
    due: date


PLANS = {
    "mouse": Plan(
        title="Portal clinic (planned with the mouse)",
        member="credit@northfield-aggregates.example",
        member_name="Dana Whitfield",
        member_company="Northfield Aggregates",
        attended="Remote",
        topic="Coupa invoices wait for a goods receipt",
        action="Collect each customer's goods-receipt rule for Coupa",
        due=date.today() + timedelta(days=10),
    ),
    "keyboard-only": Plan(
        title="Portal clinic (planned by keyboard)",
        member="greg.novak@keystonelumber.example",
        member_name="Greg Novak",
        member_company="Keystone Lumber & Millwork",
        attended="In person",
        topic="Tungsten rejects invoices before the customer sees them",
        action="Write up Tungsten's automatic rejection codes",
        due=date.today() + timedelta(days=12),
    ),
}
TREND_ADDED = "Trend report since the last meeting"  # what the facilitator's button adds


def flash(page):
    """The message a page shows after an action (several parts of a page have role=status)."""
    return page.locator(".flashes")


def agenda_titles(page) -> list[str]:
    return [
        t.strip()
        for t in page.locator("main table tbody tr td:nth-child(3) > strong").all_inner_texts()
    ]


def row_of(page, title) -> object:
    return page.locator("main table tbody tr").filter(
        has=page.locator("td:nth-child(3) > strong", has_text=title)
    )


def check_agenda_order(titles: list[str], drafted: list[str]) -> None:
    """The statements first, the trend report moved above the drafted reports."""
    assert titles[0] == STATEMENTS
    trend = next(i for i, t in enumerate(titles) if TREND.match(t))
    assert all(trend < titles.index(d) for d in drafted), titles


def submission(page, plan: Plan):
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=plan.topic))


def check_call_page_keeps_the_member_anonymous(page, plan: Plan) -> None:
    expect(submission(page, plan)).to_contain_text("Anonymous member")
    for identifying in (plan.member_name, plan.member_company):
        expect(page.get_by_role("main")).not_to_contain_text(identifying)


def check_printed_book(page, plan: Plan, name: str) -> None:
    """The meeting book on paper: the site's chrome and the printing hint gone, the agenda
    with the accepted item, the statements and the frozen trend report; a real PDF."""
    page.wait_for_load_state("load")  # a person prints a page that has finished loading
    page.emulate_media(media="print")
    try:
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.locator(".print-hint")).to_be_hidden()
        expect(page.get_by_role("heading", name="Meeting book")).to_be_visible()
        agenda = page.get_by_role("table").first
        expect(agenda).to_contain_text(plan.topic)
        expect(agenda).to_contain_text(STATEMENTS)
        expect(page.get_by_role("heading", name="Antitrust", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name=re.compile(r"^Trend report: "))).to_be_visible()
        save_screenshot(page, name)
        pdf = page.pdf(format="A4")
    finally:
        page.emulate_media(media="screen")
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages >= 2, f"a meeting book with statements and a trend report on {pages} page(s)"


def check_ics(data: bytes, plan: Plan, slot: MeetingSlot, meeting_url: str) -> None:
    """An independent parser reads the download: the right event, at the right moment in
    the meeting's zone, with the agenda (accepted item included) in its description."""
    calendar = icalendar.Calendar.from_ical(data)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == plan.title
    assert str(event["STATUS"]) == "CONFIRMED"
    starts = event.decoded("DTSTART")
    assert starts == slot.starts.replace(tzinfo=ZoneInfo(slot.zone))
    description = str(event["DESCRIPTION"])
    assert plan.topic in description and STATEMENTS in description
    assert str(event["URL"]) == meeting_url


def next_meeting_link(page, plan: Plan):
    """On the group's meetings page: the first meeting coming up after this one."""
    coming = page.get_by_role("region", name="Coming up").get_by_role("link")
    names = [n.strip() for n in coming.all_inner_texts()]
    return coming.nth(names.index(plan.title) + 1)


def check_next_meeting(page, plan: Plan) -> None:
    expect(page.get_by_role("heading", level=1)).not_to_contain_text(plan.title)
    assert "Open action items" in agenda_titles(page)
    actions = page.get_by_role("region", name="Open action items of the group")
    # Who owns it and the meeting it came from, as on the action-items pages.
    action = actions.get_by_role("row").filter(has_text=plan.action)
    expect(action).to_contain_text(OTHER_MEMBER_NAME)
    expect(action.get_by_role("link", name=plan.title, exact=True)).to_be_visible()


# --- the journey ------------------------------------------------------------------------------


def axe(me, page) -> None:
    """axe-core on the page as the journey left it, in the mouse run (the keyboard run
    walks the same pages and checks the focus instead, which is slower per page)."""
    if not me.keyboard_only:
        check_accessible(page)


def move_up(me, page, title: str) -> None:
    """Press "Move up" on an agenda row. By keyboard: once the page is back, the next Tab
    lands in the same row, so the key can be pressed again without starting over."""
    me.press(row_of(page, title).get_by_role("button", name=f"Move up: {title}", exact=True))
    if me.keyboard_only:
        page.keyboard.press("Tab")
        assert focus_is_inside(page, row_of(page, title)), "the focus left the moved item"
        assert_focus_visible(page)


@HANDS
def test_a_facilitator_prepares_and_runs_a_meeting(hands, make_page, live_server, request):
    variant = request.node.callspec.id
    plan = PLANS[variant]
    slot = meeting_slot()
    page = make_page(**EN_US)
    me = hands(page)
    me.sign_in(live_server.url, FACILITATOR)
    main_nav = page.get_by_role("navigation", name="Main")
    back = page.get_by_role("link", name=f"← {plan.title}")

    # Plan the meeting for later today.
    me.follow(main_nav.get_by_role("link", name="Meetings"))
    me.follow(page.get_by_role("region", name="By group").get_by_role("link", name=GROUP_NAME))
    me.follow(page.get_by_role("link", name="Plan a meeting"))
    me.fill(page.get_by_label("Title"), plan.title)
    me.date_time(page.get_by_label("Starts"), slot.starts)
    me.choose(page.get_by_label("Time zone"), slot.zone)
    me.press(page.get_by_role("button", name="Save as a draft"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(plan.title)
    expect(page.get_by_role("main")).to_contain_text("This is a draft")
    meeting_url = page.url.split("#")[0]

    # Open the call for items.
    me.follow(page.get_by_role("link", name="Manage the call and submitted items"))
    me.date_time(page.get_by_label("Deadline for items"), slot.deadline)
    me.press(page.get_by_role("button", name="Open the call"))
    expect(flash(page)).to_contain_text("The call for items is open.")
    expect(page.get_by_role("heading", name=re.compile("^Open until"))).to_be_visible()

    # Draft the agenda from what members are reporting, add the trend report, reorder.
    me.follow(back)
    me.follow(page.get_by_role("link", name="Edit the agenda"))
    me.follow(page.get_by_role("link", name="Draft from what members are reporting"))
    proposals = page.get_by_role("checkbox")
    drafted = [proposals.nth(i).locator("xpath=..").locator("strong").inner_text() for i in (0, 1)]
    for i in (0, 1):
        me.tick(proposals.nth(i))
    me.press(page.get_by_role("button", name="Add to the agenda"))
    expect(flash(page)).to_contain_text("2 items added.")
    assert all(d in agenda_titles(page) for d in drafted)
    me.press(page.get_by_role("button", name="Add the trend report since the last meeting"))
    expect(flash(page)).to_contain_text("trend report")
    assert TREND_ADDED in agenda_titles(page)
    while not all(
        agenda_titles(page).index(TREND_ADDED) < agenda_titles(page).index(d) for d in drafted
    ):
        move_up(me, page, TREND_ADDED)
    check_agenda_order(agenda_titles(page), drafted)
    save_screenshot(page, f"journey3-{variant}-agenda-editor")
    axe(me, page)

    # Publish.
    me.follow(back)
    me.press(page.get_by_role("button", name="Publish to the group"))
    expect(flash(page)).to_contain_text("The meeting is published")

    # A member says she will come and proposes an item, anonymously.
    member_page = make_page(**EN_US)
    member = hands(member_page)
    member.sign_in(live_server.url, plan.member)
    member.follow(
        member_page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings")
    )
    member.follow(member_page.get_by_role("link", name=plan.title))
    member.press(member_page.get_by_role("button", name="Yes, I will come"))
    member.follow(member_page.get_by_role("link", name="Propose an item"))
    member.fill(member_page.get_by_label("Topic"), plan.topic)
    member.fill(member_page.get_by_label("Details"), "Since January, at three customers.")
    member.pick(member_page.get_by_role("radio", name="For information"))
    member.tick(member_page.get_by_label("Submit anonymously"))
    member.press(member_page.get_by_role("button", name="Send the item"))
    expect(flash(member_page)).to_contain_text("Your item is sent anonymously")

    # The facilitator accepts it; nothing on her page says whose it is.
    me.follow(page.get_by_role("link", name="Manage the call and submitted items"))
    check_call_page_keeps_the_member_anonymous(page, plan)
    axe(me, page)
    me.press(submission(page, plan).get_by_role("button", name="Accept onto the agenda"))
    expect(flash(page)).to_contain_text("Decision saved.")

    # The meeting book, printed.
    me.follow(back)
    accepted = row_of(page, plan.topic)
    expect(accepted).to_contain_text("For information")
    save_screenshot(page, f"journey3-{variant}-meeting-page")
    me.follow(page.get_by_role("link", name="Meeting book (facilitator)"))
    check_printed_book(page, plan, f"journey3-{variant}-meeting-book-print")
    axe(me, page)
    if me.keyboard_only:
        # The trend report's widest table scrolls in its box; the keyboard scrolls it.
        wide = page.get_by_role("region", name=re.compile("scrolls sideways")).first
        me.reach(wide)
        page.keyboard.press("ArrowRight")
        wait_until(lambda: wide.evaluate("el => el.scrollLeft") > 0, 5, "the table to scroll")

    # The .ics download.
    me.follow(page.get_by_role("link", name="Back to the meeting"))
    check_ics(me.download(page.get_by_role("link", name="Download .ics")), plan, slot, meeting_url)

    # Attendance.
    me.follow(page.get_by_role("link", name="Take attendance"))
    me.tick(page.get_by_role("checkbox", name=plan.member_name))
    me.choose(page.get_by_label(f"How {plan.member_name} attended"), plan.attended)
    me.tick(page.get_by_role("checkbox", name=OTHER_MEMBER_NAME))
    me.press(page.get_by_role("button", name="Save attendance"))
    expect(flash(page)).to_contain_text("Attendance saved.")
    attended = page.get_by_role("row").filter(has_text=plan.member_name)
    expect(attended).to_contain_text(f"present {plan.attended.lower()}")
    expect(attended).to_contain_text("Yes")
    save_screenshot(page, f"journey3-{variant}-attendance")
    axe(me, page)

    # Minutes, with an action item under the accepted item.
    me.follow(back)
    me.follow(page.get_by_role("link", name="Write the minutes"))
    me.fill(page.get_by_label("Summary"), "The trend report was read; four items discussed.")
    entry = page.get_by_role("group", name=re.compile(re.escape(plan.topic)))
    me.fill(entry.get_by_label("What was said"), "Two more members saw the same.")
    me.fill(entry.get_by_label("Decisions"), "Collect the customers' rules before next time.")
    axe(me, page)
    me.press(page.get_by_role("button", name="Save the minutes"))
    expect(flash(page)).to_contain_text("Minutes saved.")
    me.follow(page.get_by_role("link", name="Action items", exact=True))
    me.fill(page.get_by_label("What is to be done"), plan.action)
    me.choose(
        page.get_by_label("Who (a person of the group)"),
        f"{OTHER_MEMBER_NAME} (Ridgeline Gypsum Supply)",
    )
    me.date(page.get_by_label("Due date"), plan.due)
    me.choose(page.get_by_label("Under agenda item"), plan.topic)
    me.press(page.get_by_role("button", name="Add the action item"))
    expect(flash(page)).to_contain_text("Action item added.")
    axe(me, page)
    me.follow(back)
    me.follow(page.get_by_role("link", name="Minutes", exact=True))
    expect(page.get_by_role("main")).to_contain_text("Collect the customers' rules")
    action = page.get_by_role("row").filter(has_text=plan.action)
    expect(action).to_contain_text(OTHER_MEMBER_NAME)
    save_screenshot(page, f"journey3-{variant}-minutes")

    # The action item rolls into the next meeting.
    me.follow(main_nav.get_by_role("link", name="Meetings"))
    me.follow(next_meeting_link(page, plan))
    check_next_meeting(page, plan)
    me.follow(page.get_by_role("link", name="Printable agenda"))
    expect(page.get_by_role("region", name="Open action items", exact=True)).to_contain_text(
        f"{plan.action} — {OTHER_MEMBER_NAME}"
    )
    save_screenshot(page, f"journey3-{variant}-next-meeting-agenda")
