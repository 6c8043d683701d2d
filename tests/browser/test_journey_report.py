"""Journey 1 in a real browser: a member reports a problem, another member confirms it and
asks the reporter a question, the reporter answers, and nobody learns who anyone is.

It runs twice: with the mouse, and keyboard-only (Tab / Shift+Tab to move, Enter and
Space to operate, typing into fields). Both run against the live server with the worker
sending mail, on the demo association: Northfield Aggregates reports, Ridgeline Gypsum
Supply confirms, Carol Jennings facilitates the group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from typing import Any

import pytest

from tests.browser import support
from tests.browser.fixtures_journeys import JourneyKeyboard, JourneyMouse
from tests.browser.support import Keyboard, Mouse, expect

pytestmark = pytest.mark.browser

# Who the reporter is, in every form a page could give it away.
REPORTER_TRACES = (
    "Northfield",
    "NFA",
    "northfield-aggregates",
    "Dana",
    "Whitfield",
    "Luis",
    "Ortega",
)
# The asker must stay unknown to the reporter and to the facilitator as well.
ASKER_TRACES = ("Ridgeline", "RGS", "ridgelinegypsum", "Karen", "Holt", "Tom Becker")

# The demo group's Coupa reports about a wrong or stuck status (hand-written and everyday).
SIMILAR = re.compile(r"Pending Approval|Coupa")
BOYCOTT = "We should all stop selling to them until they fix it."


@dataclass(frozen=True)
class Cast:
    """Who plays the journey: the keyboard run uses the companies' second people, so both
    runs confirm as a company for the first time."""

    reporter: str
    reporter_name: str
    other: str
    title: str

    @property
    def body(self) -> str:
        return (
            f"At Northfield Aggregates we sent 14 invoices through the customer's Coupa in "
            f"March; all of them still showed Pending Approval in May. {BOYCOTT}"
        )


MOUSE_CAST = Cast(
    reporter=support.MEMBER,
    reporter_name="Dana Whitfield",
    other=support.OTHER_MEMBER,
    title="Coupa approvals stuck after the buyer changed approvers (mouse)",
)
KEYBOARD_CAST = Cast(
    reporter="luis.ortega@northfield-aggregates.example",
    reporter_name="Luis Ortega",
    other="tom.becker@ridgelinegypsum.example",
    title="Coupa approvals stuck after the buyer changed approvers (keyboard)",
)
REWORDED = (
    "We sent 14 invoices through the customer's Coupa in March; all of them still showed "
    "Pending Approval in May. The approver named in the portal had left the customer."
)


@pytest.mark.parametrize(
    ("hands", "cast"),
    [(JourneyMouse, MOUSE_CAST), (JourneyKeyboard, KEYBOARD_CAST)],
    ids=["mouse", "keyboard-only"],
)
def test_a_member_reports_a_problem_and_nobody_learns_who(
    live_server, make_page, hands: type[JourneyMouse], cast: Cast
) -> None:
    reporter = open_signed_in(live_server, make_page, hands, cast.reporter)
    report_url = write_and_publish(live_server, reporter, cast)

    other = open_signed_in(live_server, make_page, hands, cast.other)
    confirm_and_ask(other, cast)

    question_email = wait_for_email(live_server, cast.reporter, cast.title)
    assert "asked you a question" in question_email and report_url in question_email
    assert_no_traces(question_email, ASKER_TRACES, "the email telling the reporter")

    answer_question(reporter, report_url, cast)
    other.hands.page.reload()
    expect(other.hands.page.get_by_text("The reporter answered")).to_be_visible()
    expect(other.hands.page.get_by_text("They renamed it Awaiting Approval")).to_be_visible()
    assert_no_traces(page_text(other.hands.page), REPORTER_TRACES, "the other member's page")
    assert_no_traces(page_text(reporter.hands.page), ASKER_TRACES, "the reporter's page")
    if not hands.keyboard_only:
        support.save_screenshot(other.hands.page, "journey-report-detail")

    facilitator_sees_nobody(live_server, make_page, hands, report_url, cast)


# --- the people ---------------------------------------------------------------------------------


@dataclass
class Person:
    hands: Mouse

    @property
    def page(self) -> Any:
        return self.hands.page


def open_signed_in(live_server, make_page, hands: type[JourneyMouse], email: str) -> Person:
    person = Person(hands(make_page()))
    person.hands.sign_in(live_server.url, email)
    return person


# --- the steps ------------------------------------------------------------------------------------


def write_and_publish(live_server, reporter: Person, cast: Cast) -> str:
    page, hands = reporter.page, reporter.hands
    hands.follow(page.get_by_role("link", name="Report a problem"))
    expect(page.get_by_role("heading", name="Report a problem", level=1)).to_be_visible()

    # Similar reports show up as soon as the portal and the kind of problem are chosen.
    hands.choose(page.get_by_label("Portal", exact=True), "Coupa")
    hands.choose(page.get_by_label("What kind of problem"), "Status wrong or never updates")
    suggestion = page.locator("#similar-reports").get_by_role("link", name=SIMILAR).first
    expect(suggestion).to_be_visible()
    if isinstance(hands, Keyboard):
        hands.reach(suggestion)  # a keyboard user can get to the suggestion too

    hands.fill(page.get_by_label("Title"), cast.title)
    hands.fill(page.get_by_label("What happened"), cast.body)
    hands.press(page.get_by_role("button", name="Preview"))

    # The preview: the company's name caught, the boycott sentence flagged.
    expect(page.get_by_role("heading", name="Preview: check before you publish")).to_be_visible()
    company = page.get_by_label("Redact “Northfield Aggregates” (your company's name)")
    expect(company).to_be_checked()
    expect(page.get_by_role("heading", name="Some wording needs a second look")).to_be_visible()
    expect(page.locator("q", has_text=BOYCOTT.rstrip("."))).to_be_visible()
    expect(page.locator("#similar-reports").get_by_role("link", name=SIMILAR).first).to_be_visible()
    if not hands.keyboard_only:
        support.save_screenshot(page, "journey-report-preview")

    # Reword, preview again: nothing flagged any more; publish.
    hands.fill(page.get_by_label("What happened"), REWORDED)
    hands.press(page.get_by_role("button", name="Preview"))
    expect(page.get_by_role("heading", name="Preview: check before you publish")).to_be_visible()
    expect(page.get_by_role("heading", name="Some wording needs a second look")).to_have_count(0)
    hands.press(page.get_by_role("button", name="Publish"))

    expect(page.get_by_text("Your report is published.")).to_be_visible()
    expect(page.get_by_role("heading", name=cast.title, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="You reported this")).to_be_visible()
    return page.url


def confirm_and_ask(other: Person, cast: Cast) -> None:
    page, hands = other.page, other.hands
    hands.follow(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports", exact=True)
    )
    hands.follow(page.get_by_role("link", name=cast.title))
    expect(page.get_by_role("heading", name=cast.title, level=1)).to_be_visible()
    expect(page.get_by_text("The approver named in the portal had left")).to_be_visible()
    assert_no_traces(page_text(page), REPORTER_TRACES, "the report as another member sees it")

    hands.press(page.get_by_role("button", name="We hit this too"))
    expect(page.get_by_text("Your company said “We hit this too”.")).to_be_visible()
    expect(page.locator("#confirmations")).to_contain_text("1 company hit this too")

    hands.fill(
        page.get_by_label("Your question to the reporter"),
        "Did the customer give a reason for the approvals stopping?",
    )
    hands.press(page.get_by_role("button", name="Send the question"))
    expect(page.get_by_text("Your question", exact=True)).to_be_visible()
    expect(page.get_by_text("Not answered yet.")).to_be_visible()


def answer_question(reporter: Person, report_url: str, cast: Cast) -> None:
    page, hands = reporter.page, reporter.hands
    hands.follow(page.get_by_role("link", name="My reports"))
    waiting = page.get_by_role("region", name=re.compile("^Questions waiting for your answer"))
    expect(waiting).to_contain_text("Did the customer give a reason")
    hands.follow(waiting.get_by_role("link", name=cast.title))
    expect(page).to_have_url(re.compile(re.escape(report_url) + "#questions$"))
    expect(page.get_by_text("A member asked", exact=True)).to_be_visible()

    hands.fill(
        page.get_by_label("Your answer"),
        "They renamed it Awaiting Approval and assigned a new approver in June.",
    )
    hands.tick(page.get_by_label("Share the answer with the group"))
    hands.press(page.get_by_role("button", name="Send the answer"))
    expect(page.get_by_text("They renamed it Awaiting Approval")).to_be_visible()
    expect(page.get_by_text("shared with the group")).to_be_visible()


def facilitator_sees_nobody(live_server, make_page, hands, report_url: str, cast: Cast) -> None:
    facilitator = open_signed_in(live_server, make_page, hands, support.FACILITATOR)
    page = facilitator.page
    page.goto(report_url)
    expect(page.get_by_role("heading", name=cast.title, level=1)).to_be_visible()
    expect(page.get_by_text("The reporter answered")).to_be_visible()
    seen = page_text(page)
    page.goto(live_server(f"/g/{support.GROUP}/reports"))
    expect(page.get_by_role("link", name=cast.title)).to_be_visible()
    seen += page_text(page)
    page.goto(live_server(f"/g/{support.GROUP}/review/published"))
    seen += page_text(page)
    assert_no_traces(seen, REPORTER_TRACES + ASKER_TRACES, "the facilitator's pages")


# --- checks ---------------------------------------------------------------------------------------


# Everything a person can read on a page, hidden text for screen readers included: its
# text, title, and the labels, titles and alternatives its elements carry. (Not random ids
# and tokens: a CSRF token can hold "NFA" by chance.)
READABLE = """() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
    for (const name of ['aria-label', 'title', 'alt', 'placeholder']) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  for (const el of document.querySelectorAll('.visually-hidden')) parts.push(el.textContent);
  return parts.join('\\n');
}"""
URL = re.compile(r"https?://\S+")


def page_text(page: Any) -> str:
    return page.evaluate(READABLE)


def assert_no_traces(text: str, traces: tuple[str, ...], where: str) -> None:
    """Names match whole words in any case; short capitals (NFA, RGS) exactly, and never
    inside a link's random id."""
    text = URL.sub(" ", text)
    found = [trace for trace in traces if re.search(_whole_word(trace), text)]
    assert not found, f"{where} gives away {found}"


def _whole_word(trace: str) -> str:
    flags = "" if trace.isupper() else "(?i)"
    return rf"{flags}(?<![A-Za-z0-9]){re.escape(trace)}(?![A-Za-z0-9])"


def wait_for_email(live_server, to: str, containing: str) -> str:
    """The text of the first email to ``to`` containing ``containing``, once the worker
    has written it."""

    def find() -> str | None:
        for path in sorted(live_server.mail_folder.glob("*.eml")):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["To"] != to:
                continue
            body = message.get_body(preferencelist=("plain",)).get_content()
            if containing in body:
                return f"Subject: {message['Subject']}\n{body}"
        return None

    return support.wait_until(find, 30, f"an email to {to} saying {containing!r}")
