"""The demo groups' everyday reports: planned by the calendar, written as the services would,
and enough of them that trend reports, portal pages and the friction index publish real
figures while small ones stay hidden."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.demo import data
from credgroup.demo.activity_data import ACTIVITY, QUARTERS
from credgroup.demo.load import load_demo_data
from credgroup.demo.load_activity import activity_months, plan_group
from credgroup.demo.report_data import REPORTS
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.portals.models import Portal
from credgroup.reports.anonymise import today
from credgroup.reports.enums import ContributionState, ProblemCategory
from credgroup.reports.identity import contributor
from credgroup.reports.models import Report
from credgroup.search.models import SearchOutbox
from credgroup.trends.disclosure import threshold_for
from credgroup.trends.friction import friction_index, month_range
from credgroup.trends.periods import Quarter, parse_span, span_between
from credgroup.trends.portal_figures import portal_figures
from credgroup.trends.report import build_report

GROUP_K = {g.slug: threshold_for(g.anonymity_threshold) for g in data.GROUPS}
DAYS = (date(2026, 11, 26), date(2027, 1, 1), date(2027, 3, 31), date(2027, 5, 2))


@pytest.fixture
def demo(app):
    load_demo_data()
    db.session.commit()


def emails_of(slug: str) -> dict[str, str]:
    """Every demo person of the group's companies -> their company's name."""
    return {p.email: c.name for c in data.COMPANIES if slug in c.groups for p in c.people}


# --- the plan, without a database --------------------------------------------------------------


@pytest.mark.parametrize("now", DAYS, ids=str)
def test_the_plan_keeps_the_services_rules_and_dates(now):
    handwritten = {s.title for s in REPORTS}
    first = Quarter.of(now).shift(-QUARTERS).start
    for spec in ACTIVITY:
        companies = emails_of(spec.group)
        planned = plan_group(spec, now)
        titles = [p.title for p in planned]
        assert len(set(titles)) == len(titles), "two reports of a group share a title"
        assert not handwritten & set(titles)
        for p in planned:
            assert first <= p.incident_month <= p.published_on <= now
            assert p.wording.title.format(month="x") != p.wording.title  # names its month
            assert companies[p.author] == p.company  # a member of the group posts it
            if p.status_changed_on is not None:
                assert p.published_on <= p.status_changed_on <= now
            confirmers = [companies[email] for email, _ in p.confirmed_by]
            assert p.company not in confirmers and len(set(confirmers)) == len(confirmers)
            assert all(p.published_on <= day <= now for _, day in p.confirmed_by)
            fees = p.stream.category is ProblemCategory.FEES
            assert fees == bool(p.wording.fee_kind and p.wording.fee_size)


def test_a_month_is_planned_the_same_whatever_the_day_of_loading():
    """So a later load adds only the months since, never a second copy of a month."""
    for spec in ACTIVITY:
        november = {p.title for p in plan_group(spec, date(2026, 11, 26))}
        later = plan_group(spec, date(2027, 2, 10))
        overlap = {p.title for p in later if p.published_on < date(2026, 11, 1)}
        assert overlap and overlap <= november


@pytest.mark.parametrize("now", DAYS, ids=str)
def test_the_main_problems_reach_the_threshold_even_on_a_quarters_first_day(now):
    """Per quarter so far, the biggest portal x problem of each group comes from at least
    k companies (the first day of a quarter included), and some stay below k."""
    quarter = Quarter.of(now)
    for spec in ACTIVITY:
        k = GROUP_K[spec.group]
        cells: dict[tuple[str, str], set[str]] = {}
        for p in plan_group(spec, now):
            if Quarter.of(p.published_on) == quarter:
                key = (p.stream.portal, p.stream.category.value)
                cells.setdefault(key, set()).add(p.company)
        sizes = sorted((len(c) for c in cells.values()), reverse=True)
        assert sizes[0] >= k, spec.group
        assert min(sizes) < k, spec.group  # something for "fewer than k"


def test_the_months_run_from_a_quarters_start_to_this_month():
    months = activity_months(date(2026, 11, 26))
    assert months[0] == date(2025, 10, 1) and months[-1] == date(2026, 11, 1)
    assert len(months) == 14


# --- loaded --------------------------------------------------------------------------------------


def everyday(group: CreditGroup) -> list[Report]:
    handwritten = [s.title for s in REPORTS]
    return list(
        db.session.scalars(
            sa.select(Report).where(Report.group_id == group.id, Report.title.not_in(handwritten))
        )
    )


def test_everyday_reports_are_stored_as_a_member_posting_them_would_leave_them(demo):
    people = {u.email: u for u in db.session.scalars(sa.select(User))}
    queued = set(
        db.session.scalars(sa.select(SearchOutbox.doc_id).where(SearchOutbox.doc_type == "report"))
    )
    for spec in ACTIVITY:
        group = db.session.scalars(
            sa.select(CreditGroup).where(CreditGroup.slug == spec.group)
        ).one()
        stored = {r.title: r for r in everyday(group)}
        planned = plan_group(spec, today())
        assert set(stored) == {p.title for p in planned}
        for p in planned:
            report = stored[p.title]
            who = contributor(people[p.author], group.id)
            assert (report.author_pseudonym, report.company_pseudonym) == (who.person, who.company)
            assert (
                report.state is ContributionState.PUBLISHED
                and report.published_on == p.published_on
            )
            assert report.redactions == {} and report.review_flags == []
            assert report.body == p.wording.body and report.portal.slug == p.stream.portal
            assert len(report.confirmations) == len(p.confirmed_by)
            assert report.id in queued  # the search index hears of it


def test_groups_trend_reports_publish_main_figures_and_hide_small_ones(demo):
    now = today()
    last = Quarter.of(now).shift(-1)
    spans = {
        "this quarter": parse_span(None, None, None, today=now),
        "a meeting's last two whole quarters": span_between(
            last.shift(-1).start, last.end, today=now
        ),
    }
    for group in db.session.scalars(sa.select(CreditGroup)):
        for name, span in spans.items():
            payload = build_report(group, span, now)
            assert payload["available"], (group.slug, name)
            assert payload["summary"]["new_reports"]["value"], (group.slug, name)
            heat = next(t for t in payload["tables"] if t["id"] == "heat_map")
            portal_rows = [r for r in heat["rows"] if not r["total"] and r["key"] != "other"]
            cells = [c for r in portal_rows for c in r["cells"][:-1]]  # without row totals
            assert portal_rows, (group.slug, name)
            assert any(c["value"] for c in cells), (group.slug, name)
            assert any(c["value"] is None for c in cells), (group.slug, name)
            shown = [c for c in cells if c["value"]]
            assert all(c["companies"] >= payload["threshold"] for c in shown)


def test_the_friction_index_and_portal_pages_have_figures(demo):
    now = today()
    index = friction_index(month_range({}, now))
    with_points = {p["slug"] for p in index["portals"] if any(x["index"] for x in p["points"])}
    assert {"sap-business-network", "coupa", "openinvoice"} <= with_points
    building = db.session.scalars(
        sa.select(CreditGroup).where(CreditGroup.slug == data.BUILDING)
    ).one()
    for slug, category in (
        ("coupa", ProblemCategory.STATUS_STALE),
        ("sap-business-network", ProblemCategory.REJECTED_FORMAT),
    ):
        portal = db.session.scalars(sa.select(Portal).where(Portal.slug == slug)).one()
        [figures] = portal_figures([building], portal.id, now)
        assert figures.by_category[category].value, slug
        assert any(f.hidden for f in figures.by_category.values())


def test_each_group_has_busy_and_quiet_members(demo):
    """Every company of a group posts, but nobody posts everything."""
    for spec in ACTIVITY:
        group = db.session.scalars(
            sa.select(CreditGroup).where(CreditGroup.slug == spec.group)
        ).one()
        by_company = Counter(r.company_pseudonym for r in everyday(group))
        assert len(by_company) == len(set(emails_of(spec.group).values()))
        assert max(by_company.values()) < sum(by_company.values()) / 3


def test_everyday_reports_reach_back_a_year_and_a_quarter(demo):
    first = Quarter.of(today()).shift(-QUARTERS).start
    oldest = db.session.scalar(sa.select(sa.func.min(Report.published_on)))
    assert first <= oldest <= first + timedelta(days=31)
