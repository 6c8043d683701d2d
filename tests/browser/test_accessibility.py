"""Every main page, as the people who use it: axe-core finds no serious or critical
violation, the page fits a phone's width (390 px) without scrolling sideways, and it prints
as content only (no navigation).

Pages come from the demo association on the live server; ids (a report, an article, the
meetings...) are looked up in its database once. One signed-in browser context per role
serves the whole module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from tests.browser import support
from tests.browser.support import expect

pytestmark = pytest.mark.browser

G = support.GROUP


@dataclass(frozen=True)
class Page:
    role: str  # "member", "facilitator", "admin" or "anonymous"
    path: str  # may hold {report}, {article}, {held}, {upcoming}... (see demo_ids)
    status: int = 200

    @property
    def id(self) -> str:
        return f"{self.role}:{self.path}"


MEMBER_PAGES = [
    "/",
    f"/g/{G}/",
    f"/g/{G}/reports",
    f"/g/{G}/reports?category=fees&status=open",
    f"/g/{G}/reports/new",
    "/reports/{report}",
    "/reports/{report}/edit",
    "/my/reports",
    "/my/watches",
    "/search?q=coupa+fee",
    "/search?q=aribaa+invoice",
    "/search?q=zzqqxx",
    "/kb/",
    "/kb/{article}",
    "/kb/{article}/history",
    "/kb/{article}/suggest",
    "/portals/",
    "/portals/coupa",
    "/trends/",
    "/trends/friction-index",
    f"/g/{G}/trends",
    f"/g/{G}/trends/snapshots",
    "/meetings/",
    f"/g/{G}/meetings",
    "/meetings/{upcoming}",
    "/meetings/{upcoming}/items/new",
    "/meetings/{upcoming}/rsvp",
    "/meetings/{held}",
    "/meetings/{held}/print",
    "/meetings/{held}/minutes",
    "/actions/mine",
    "/calendar",
    "/profile",
    "/profile/tokens",
]
FACILITATOR_PAGES = [
    "/",
    f"/g/{G}/review",
    f"/g/{G}/review/published",
    f"/g/{G}/review/reports/{{report}}/moderate",
    f"/g/{G}/manage/",
    f"/g/{G}/manage/companies",
    f"/g/{G}/manage/people",
    f"/g/{G}/manage/settings",
    f"/g/{G}/search-analytics",
    f"/g/{G}/series",
    "/series/{series}",
    f"/g/{G}/meetings/new",
    "/meetings/{upcoming}",
    "/meetings/{upcoming}/edit",
    "/meetings/{upcoming}/agenda",
    "/meetings/{upcoming}/agenda/draft",
    "/meetings/{upcoming}/call",
    "/meetings/{held}/book",
    "/meetings/{held}/attendance",
    "/meetings/{held}/attendance/report",
    "/meetings/{held}/minutes/edit",
    "/meetings/{held}/actions",
    f"/g/{G}/attendance-report",
    "/reports/{report}",
    "/kb/review",
    "/kb/new",
    "/kb/{article}/edit",
    "/kb/suggestions",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/groups/",
    "/admin/groups/new",
    f"/admin/groups/{G}/edit",
    "/admin/companies/",
    "/admin/companies/new",
    "/admin/companies/{company}/edit",
    "/admin/facilitators/",
    "/admin/facilitators/invite",
    "/admin/users/",
    "/admin/audit/",
    "/admin/portals",
    "/admin/portals/new",
    "/admin/portals/coupa/edit",
    "/admin/retention/",
]
ANONYMOUS_PAGES = ["/login", "/password/forgot"]
ERROR_PAGES = [
    Page("anonymous", "/password/reset/not-a-valid-token", 404),  # "this link does not work"
    Page("anonymous", "/no-such-page", 404),
    Page("member", "/reports/no-such-report", 404),
    Page("member", "/admin/", 403),
]

PAGES = [
    *(Page("member", p) for p in MEMBER_PAGES),
    *(Page("facilitator", p) for p in FACILITATOR_PAGES),
    *(Page("admin", p) for p in ADMIN_PAGES),
    *(Page("anonymous", p) for p in ANONYMOUS_PAGES),
    *ERROR_PAGES,
]
PEOPLE = {"member": support.MEMBER, "facilitator": support.FACILITATOR, "admin": support.ADMIN}


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_ids(live_server) -> dict[str, str]:
    """Ids of the demo rows the page list needs, read once from the live database."""
    from credgroup.extensions import db

    with live_server.app.app_context():
        try:
            return _demo_ids(db.session)
        finally:
            db.session.remove()


def _demo_ids(session: Any) -> dict[str, str]:
    from credgroup.groups.models import CreditGroup, MemberCompany
    from credgroup.kb.models import Article, ArticleState
    from credgroup.meetings.models import Meeting, MeetingSeries, MeetingStatus
    from credgroup.reports.enums import ContributionState
    from credgroup.reports.models import Report

    group_id = session.scalar(sa.select(CreditGroup.id).where(CreditGroup.slug == G))
    in_group = Meeting.group_id == group_id
    now = datetime.now(UTC)

    def one(query: sa.Select) -> str:
        value = session.scalar(query.limit(1))
        assert value is not None, f"the demo has no row for {query}"
        return str(value)

    return {
        # The demo's most discussed report: comments, questions, confirmations.
        "report": one(
            sa.select(Report.public_id)
            .where(Report.group_id == group_id, Report.state == ContributionState.PUBLISHED)
            .order_by(Report.id)
        ),
        "article": one(
            sa.select(Article.public_id)
            .where(Article.state == ArticleState.PUBLISHED)
            .order_by(Article.id)
        ),
        "held": one(
            sa.select(Meeting.public_id)
            .where(in_group, Meeting.status == MeetingStatus.HELD)
            .order_by(Meeting.starts_at.desc())
        ),
        "upcoming": one(
            sa.select(Meeting.public_id)
            .where(in_group, Meeting.starts_at > now, Meeting.status != MeetingStatus.CANCELLED)
            .order_by(Meeting.starts_at)
        ),
        "series": one(sa.select(MeetingSeries.public_id).where(MeetingSeries.group_id == group_id)),
        "company": one(sa.select(MemberCompany.id).order_by(MemberCompany.id)),
    }


@pytest.fixture(scope="module")
def page_of(live_server, chromium) -> Iterator[Callable[[str], Any]]:
    """``page_of(role)``: one page per role for the module, signed in on first use."""
    contexts: dict[str, Any] = {}

    def page_for(role: str) -> Any:
        if role not in contexts:
            context = chromium.new_context(viewport=support.DESKTOP)
            context.set_default_timeout(15_000)
            page = context.new_page()
            if role in PEOPLE:
                support.sign_in(page, live_server.url, PEOPLE[role])
            contexts[role] = context
        return contexts[role].pages[0]

    yield page_for
    for context in contexts.values():
        context.close()


# --- the checks -------------------------------------------------------------------------------


@pytest.mark.parametrize("target", PAGES, ids=[p.id for p in PAGES])
def test_page_is_accessible_fits_a_phone_and_prints(
    live_server, page_of, demo_ids, target: Page
) -> None:
    page = page_of(target.role)
    response = page.goto(live_server(target.path.format(**demo_ids)))
    assert response is not None and response.status == target.status, page.url
    problems = [
        *accessibility_problems(page),
        *phone_problems(page),
        *print_problems(page),
    ]
    assert not problems, f"{target.id}:\n" + "\n".join(problems)


def accessibility_problems(page: Any) -> list[str]:
    violations = support.axe_violations(page)
    return [f"axe: {support.describe_violations(violations)}"] if violations else []


def phone_problems(page: Any) -> list[str]:
    page.set_viewport_size(support.PHONE)
    try:
        support.next_frame(page)  # the resize is laid out in the next frame
        overflow = support.horizontal_overflow(page)
        if overflow <= 0:
            return []
        wide = page.evaluate(WIDEST_ELEMENTS)
        return [f"phone: {overflow}px wider than a 390px screen; too wide: {wide}"]
    finally:
        page.set_viewport_size(support.DESKTOP)


# The outermost elements sticking out past the right edge: what to fix. (What a scrolling
# .table-wrap holds may be wider: it scrolls inside its box, not the page.)
WIDEST_ELEMENTS = """() => {
  const limit = window.innerWidth + 0.5;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const parent = el.parentElement;
    if (el.getBoundingClientRect().right <= limit) continue;
    const parentOut = parent && parent !== document.body;
    const absolute = getComputedStyle(el).position === 'absolute';
    if (parentOut && !absolute && parent.getBoundingClientRect().right > limit) continue;
    const scrolls = parent && parent.closest('.table-wrap');
    if (scrolls && getComputedStyle(el).position !== 'absolute') continue;
    const classes = typeof el.className === 'string' ? el.className.trim() : '';
    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (classes ? '.' + classes.split(/\\s+/).join('.') : '') +
      ' (' + Math.round(el.getBoundingClientRect().right) + 'px)');
  }
  // Text wider than its own box (a long word, a <pre>) is no element of its own.
  for (const el of document.querySelectorAll('main *')) {
    const style = getComputedStyle(el);
    if (style.display === 'inline' || style.overflowX !== 'visible') continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      out.push(el.tagName.toLowerCase() + ' holds text ' + (el.scrollWidth - el.clientWidth) +
        'px wider than itself: ' + JSON.stringify(el.textContent.trim().slice(0, 40)));
    }
  }
  return out.slice(0, 8);
}"""


def print_problems(page: Any) -> list[str]:
    page.emulate_media(media="print")
    try:
        problems = []
        for chrome in ("header.site-header", "footer.site-footer", "nav.main-nav"):
            if page.locator(chrome).is_visible():
                problems.append(f"print: {chrome} is printed")
        if not page.locator("main h1").first.is_visible():
            problems.append("print: the page's heading is not printed")
        return problems
    finally:
        page.emulate_media(media="screen")


def test_a_form_with_errors_is_accessible_and_announces_them(live_server, page) -> None:
    """The sign-in form after a wrong password: the error summary takes the focus."""
    page.goto(live_server("/login"))
    page.get_by_label("Email").fill(support.MEMBER)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert support.axe_violations(page) == []


def test_a_frozen_trend_report_is_accessible_fits_a_phone_and_prints(live_server, page_of):
    """The facilitator freezes the report on screen, as on a meeting day."""
    page = page_of("facilitator")
    page.goto(live_server(f"/g/{G}/trends"))
    page.get_by_role("button", name="Freeze this report").click()
    expect(page).to_have_url(re.compile(f"/g/{G}/trends/snapshots/[^/]+$"))
    problems = [*accessibility_problems(page), *phone_problems(page), *print_problems(page)]
    assert not problems, "\n".join(problems)
