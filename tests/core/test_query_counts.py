"""The number of SQL statements a list page (or API list) runs does not grow with the rows
it lists.

Each page is fetched in two generated associations (``demo.scale``): a small one (about
five rows of each kind on a page) and one ten times larger (fifty and more), as a member,
a facilitator or an admin. The statements are counted with SQLAlchemy's
``before_cursor_execute`` event, on a second fetch (the first one warms per-process caches).
A page that loads something per row (an N+1) runs more statements in the larger world.

Generating two worlds takes a few seconds, so the first test measures every page once and
the others read the measurements (each test still checks one page, and says which).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import ApiToken, User
from credgroup.accounts.tokens import API_TOKEN_PREFIX, new_token
from credgroup.demo.data import DEMO_PASSWORD
from credgroup.demo.load import wipe_database
from credgroup.demo.scale import generate
from credgroup.demo.scale.sizes import Sizes
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, FacilitatorAssignment, GroupMembership
from credgroup.kb.models import Article, ArticleState, EditSuggestion
from credgroup.meetings.models import Meeting, MeetingStatus
from credgroup.reports.enums import ContributionState, ReportStatus
from credgroup.reports.models import Report, ReportComment
from credgroup.search.maintenance import reindex
from credgroup.search.outbox import enqueue

SMALL = Sizes(groups=2, companies=16, people=24, reports=40, articles=20, history_months=5)
LARGE = Sizes(groups=6, companies=60, people=150, reports=600, articles=100, history_months=50)

# (who, url template): {group} {report} {article} {portal} {meeting} {held} fill in.
PAGES = [
    ("member", "/"),
    ("member", "/g/{group}/"),
    ("member", "/g/{group}/reports"),
    ("member", "/g/{group}/reports?status=open&sort=most_confirmed"),
    ("member", "/g/{group}/reports?portal={portal}&q=invoices"),
    ("member", "/reports/{report}"),
    ("member", "/my/reports"),
    ("member", "/my/watches"),
    ("member", "/kb/"),
    ("member", "/kb/?portal={portal}"),
    ("member", "/kb/{article}"),
    ("member", "/search?q=invoices"),
    ("member", "/search?q=portal&type=report&sort=newest"),
    ("member", "/portals/"),
    ("member", "/portals/{portal}"),
    ("member", "/meetings/"),
    ("member", "/g/{group}/meetings"),
    ("member", "/meetings/{meeting}"),
    ("member", "/meetings/{held}/minutes"),
    ("member", "/actions/mine"),
    ("member", "/g/{group}/trends"),
    ("member", "/trends/friction-index"),
    ("facilitator", "/"),
    ("facilitator", "/g/{group}/review"),
    ("facilitator", "/g/{group}/review/published"),
    ("facilitator", "/kb/review"),
    ("facilitator", "/kb/suggestions"),
    ("facilitator", "/g/{group}/manage/companies"),
    ("facilitator", "/g/{group}/manage/people"),
    ("facilitator", "/g/{group}/search-analytics"),
    ("facilitator", "/meetings/{held}/attendance"),
    ("facilitator", "/g/{group}/series"),
    ("admin", "/admin/"),
    ("admin", "/admin/groups/"),
    ("admin", "/admin/companies/"),
    ("admin", "/admin/users/"),
    ("admin", "/admin/facilitators/"),
    ("admin", "/admin/audit/"),
    ("admin", "/admin/portals"),
    # The JSON API's lists, with a bearer token.
    ("member api", "/api/v1/reports?group={group}"),
    ("member api", "/api/v1/reports?group={group}&status=open&sort=most_confirmed"),
    ("member api", "/api/v1/reports/{report}/comments"),
    ("member api", "/api/v1/my/reports"),
    ("member api", "/api/v1/articles"),
    ("member api", "/api/v1/search?q=invoices"),
    ("member api", "/api/v1/portals/{portal}"),
    ("member api", "/api/v1/groups/{group}/meetings"),
    ("member api", "/api/v1/meetings/{meeting}"),
    ("facilitator api", "/api/v1/groups/{group}/review"),
]


@dataclass
class Measured:
    count: int
    statements: list[str]


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(" ".join(statement.split())[:160])

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def _busiest_group() -> CreditGroup:
    return db.session.scalars(
        sa.select(CreditGroup)
        .join(Report, Report.group_id == CreditGroup.id)
        .group_by(CreditGroup.id)
        .order_by(sa.func.count(Report.id).desc())
    ).first()


def _values(group: CreditGroup) -> dict[str, str]:
    published = Report.state == ContributionState.PUBLISHED
    report = db.session.scalars(
        sa.select(Report).where(Report.group_id == group.id, published).order_by(Report.id.desc())
    ).first()
    portal = _top_portal(group)
    article = db.session.scalars(
        sa.select(Article).where(
            Article.group_id == group.id, Article.state == ArticleState.PUBLISHED
        )
    ).first()
    meetings = Meeting.group_id == group.id
    upcoming = db.session.scalar(
        sa.select(Meeting).where(meetings, Meeting.status == MeetingStatus.PUBLISHED)
    )
    held = db.session.scalars(
        sa.select(Meeting)
        .where(meetings, Meeting.status == MeetingStatus.HELD)
        .order_by(Meeting.starts_at.desc())
    ).first()
    from credgroup.portals.models import Portal

    return {
        "group": group.slug,
        "report": report.public_id,
        "portal": db.session.get(Portal, portal).slug,
        "article": article.public_id,
        "meeting": upcoming.public_id,
        "held": held.public_id,
    }


def _viewers(group: CreditGroup) -> dict[str, User]:
    member = db.session.scalars(
        sa.select(User)
        .join(GroupMembership, GroupMembership.company_id == User.company_id)
        .where(GroupMembership.group_id == group.id)
        .order_by(User.id)
    ).first()
    staff = db.session.scalars(
        sa.select(User)
        .join(FacilitatorAssignment, FacilitatorAssignment.user_id == User.id)
        .where(FacilitatorAssignment.group_id == group.id)
    ).first()
    admin = db.session.scalars(sa.select(User).where(User.is_admin)).first()
    return {"member": member, "facilitator": staff, "admin": admin}


def _top_portal(group: CreditGroup) -> int:
    """The portal with most open published reports in the group."""
    return db.session.scalars(
        sa.select(Report.portal_id)
        .where(
            Report.group_id == group.id,
            Report.state == ContributionState.PUBLISHED,
            Report.status == ReportStatus.OPEN,
        )
        .group_by(Report.portal_id)
        .order_by(sa.func.count().desc(), Report.portal_id)
    ).first()


def _top_up(group: CreditGroup, k: int) -> None:
    """``k`` reports and comments waiting for review, ``k`` pending edit suggestions and
    ``k`` articles about the group's top portal. The generator makes some of these rare; a
    small world without them would skip a page's eager loads and hide an N+1 behind a zero.
    The index learns of the changes through the outbox, as after any change."""
    published = Report.state == ContributionState.PUBLISHED
    reports = db.session.scalars(
        sa.select(Report).where(Report.group_id == group.id, published).limit(2 * k)
    ).all()
    for report in reports[:k]:
        report.state, report.published_on = ContributionState.IN_REVIEW, None
        enqueue("report", report.id, "delete")
    comments = db.session.scalars(
        sa.select(ReportComment).join(Report).where(Report.group_id == group.id, published).limit(k)
    ).all()
    for comment in comments:
        comment.state = ContributionState.IN_REVIEW
    articles = db.session.scalars(
        sa.select(Article).where(Article.state == ArticleState.PUBLISHED).limit(k)
    ).all()
    portal = _top_portal(group)
    for article in articles:
        article.portal_id = portal  # the portal page lists them
        enqueue("article", article.id, "upsert")
        db.session.add(
            EditSuggestion(
                article=article,
                base_version=article.version,
                proposed={"workaround": "1. Ask the buyer's enablement team."},
                suggester_pseudonym="0" * 64,
                suggested_on=date.today(),
            )
        )
    db.session.commit()


def _measure_world(app, sizes: Sizes, k: int) -> dict[tuple[str, str], Measured]:
    db.session.remove()  # nothing of a previous world stays in the identity map
    wipe_database()
    generate(sizes, seed=3)
    db.session.commit()
    _top_up(_busiest_group(), k)
    reindex()  # the index still holds the previous world's documents
    group = _busiest_group()
    values, viewers = _values(group), _viewers(group)
    found: dict[tuple[str, str], Measured] = {}
    from tests.fixtures.app import Browser

    emails = {who: user.email for who, user in viewers.items()}
    tokens = {f"{who} api": _token(user) for who, user in viewers.items()}
    for who, email in emails.items():
        browser = Browser(app.test_client())
        assert browser.login(email, DEMO_PASSWORD).status_code == 302
        found.update(_measure_pages(who, browser.get, values))
    api = app.test_client()
    for who, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}"}
        found.update(_measure_pages(who, lambda url, h=headers: api.get(url, headers=h), values))
    return found


def _token(user: User) -> str:
    raw, token_hash = new_token(API_TOKEN_PREFIX)
    db.session.add(ApiToken(user=user, name="counts", token_hash=token_hash, prefix=raw[:10]))
    db.session.commit()
    return raw


def _measure_pages(who: str, get, values: dict[str, str]) -> dict[tuple[str, str], Measured]:
    found = {}
    for page_who, template in PAGES:
        if page_who != who:
            continue
        url = template.format(**values)
        assert get(url).status_code == 200, url  # warm
        db.session.remove()
        with counting() as statements:
            response = get(url)
        assert response.status_code == 200, url
        found[(who, template)] = Measured(len(statements), statements)
    return found


_measured: dict[str, dict[tuple[str, str], Measured]] = {}


@pytest.fixture
def measured(app) -> dict[str, dict[tuple[str, str], Measured]]:
    if not _measured:
        small, large = _measure_world(app, SMALL, 5), _measure_world(app, LARGE, 50)
        _measured.update(small=small, large=large)
    return _measured


def _difference(small: Measured, large: Measured) -> str:
    extra = Counter(large.statements) - Counter(small.statements)
    return "\n".join(f"{n} x {statement}" for statement, n in extra.most_common(8))


@pytest.mark.parametrize(("who", "page"), PAGES, ids=[f"{w}:{p}" for w, p in PAGES])
def test_list_pages_run_as_many_statements_for_fifty_rows_as_for_five(measured, who, page):
    small, large = measured["small"][(who, page)], measured["large"][(who, page)]
    assert large.count <= small.count, (
        f"{page} as {who}: {small.count} statements in the small world, {large.count} in the "
        f"large one. Extra statements:\n{_difference(small, large)}"
    )
