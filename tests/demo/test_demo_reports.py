"""The demo's hand-written reports: realistic, spread over the year, written through the
services (the everyday reports around them: ``test_demo_activity.py``)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from markupsafe import escape

from credgroup.accounts.models import User
from credgroup.demo import data
from credgroup.demo.activity_data import ACTIVITY
from credgroup.demo.load import load_demo_data
from credgroup.demo.load_activity import plan_group
from credgroup.demo.report_data import REPORTS, Stage
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, CustomerNaming
from credgroup.portals.catalogue import SEED_PORTALS
from credgroup.portals.models import Portal
from credgroup.reports import authoring, discussion, review
from credgroup.reports.anonymise import MARKERS, month_of, today
from credgroup.reports.enums import (
    AmountBand,
    ConfirmationKind,
    ContributionState,
    FeeKind,
    FeeSizeBand,
    InvoicesBand,
    ProblemCategory,
    ReportStatus,
    SubmissionChannel,
)
from credgroup.reports.identity import is_author
from credgroup.reports.models import Report, ReportComment, ReportConfirmation, ReportQuestion
from tests.demo.test_demo_data import snapshot

DANA = "credit@northfield-aggregates.example"


@pytest.fixture
def demo(app):
    load_demo_data()
    db.session.commit()


def person(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def reports(state: ContributionState | None = None) -> list[Report]:
    """The hand-written reports (``report_data.REPORTS``), in the state given."""
    query = sa.select(Report).where(Report.title.in_([s.title for s in REPORTS]))
    if state is not None:
        query = query.where(Report.state == state)
    return list(db.session.scalars(query.order_by(Report.id)))


def everyday_count() -> int:
    return sum(len(plan_group(spec, today())) for spec in ACTIVITY)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_the_catalogue_is_seeded_and_reports_span_groups_portals_categories_and_statuses(demo):
    assert {p.slug for p in SEED_PORTALS} <= set(db.session.scalars(sa.select(Portal.slug)))
    published = reports(ContributionState.PUBLISHED)
    assert 25 <= len(published) <= 40
    by_group = Counter(r.group.slug for r in published)
    assert set(by_group) == {data.BUILDING, data.FOOD, data.OILFIELD}
    assert min(by_group.values()) >= 6
    assert len({r.portal.slug for r in published}) >= 8
    assert len({r.category for r in published}) == len(ProblemCategory)
    assert {r.status for r in published} == set(ReportStatus)
    assert {r.channel for r in published} >= set(SubmissionChannel)
    assert sum(1 for r in published if r.workaround) >= 10


def test_a_member_named_portal_waits_unlisted_for_the_admin(demo):
    portal = db.session.scalars(
        sa.select(Portal).where(Portal.name == "BuildPay Subcontractor Portal")
    ).one()
    assert portal.listed is False


def test_fee_reports_carry_the_kind_and_size_of_the_fee_and_others_none(demo):
    every_report = list(db.session.scalars(sa.select(Report)))
    fee_reports = [r for r in every_report if r.category is ProblemCategory.FEES]
    assert len(fee_reports) >= 5
    assert all(r.fee_kind and r.fee_size_band for r in fee_reports)
    assert len({r.fee_kind for r in fee_reports}) >= 4
    others = [r for r in every_report if r.category is not ProblemCategory.FEES]
    assert all(r.fee_kind is None and r.fee_size_band is None for r in others)


def test_every_stored_enum_value_is_a_valid_key(demo):
    columns = {
        "category": ProblemCategory,
        "channel": SubmissionChannel,
        "invoices_band": InvoicesBand,
        "amount_band": AmountBand,
        "fee_kind": FeeKind,
        "fee_size_band": FeeSizeBand,
        "status": ReportStatus,
        "state": ContributionState,
    }
    # Raw SQL: what is stored, not what the column type turns it into.
    rows = db.session.execute(
        sa.text(
            "SELECT category, channel, invoices_band, amount_band, fee_kind, fee_size_band,"
            " status, state FROM reports"
        )
    ).all()
    assert len(rows) == len(REPORTS) + everyday_count()
    for row in rows:
        for (name, enum_cls), value in zip(columns.items(), row, strict=True):
            assert value is None or value in {m.value for m in enum_cls}, (name, value)
    kinds = db.session.scalars(sa.text("SELECT kind FROM report_confirmations")).all()
    assert set(kinds) == {k.value for k in ConfirmationKind}


def test_customers_are_named_only_as_each_groups_policy_allows(demo):
    for report in db.session.scalars(sa.select(Report)):
        policy = report.group.customer_naming
        if policy is CustomerNaming.NAMED:
            assert report.buyer_name, report.title
        elif policy is CustomerNaming.INDUSTRY_ONLY:
            assert not report.buyer_name and report.buyer_industry, report.title
        else:
            assert not report.buyer_name and not report.buyer_industry, report.title


def test_dates_are_in_the_past_and_spread_over_the_last_year(demo):
    now = today()
    published = reports(ContributionState.PUBLISHED)
    for report in published:
        assert report.created_on <= report.published_on <= report.updated_on <= now
        assert report.published_on >= now - timedelta(days=366)
        assert report.incident_month == month_of(report.incident_month)
        assert report.incident_month <= report.published_on
        if report.status is not ReportStatus.OPEN:
            assert report.published_on <= report.status_changed_on <= now
    assert len({month_of(r.published_on) for r in published}) >= 10
    assert len({r.incident_month for r in published}) >= 10
    for report in db.session.scalars(sa.select(Report).where(Report.published_on.is_not(None))):
        assert report.created_on <= report.published_on <= report.updated_on <= now
        if report.status is not ReportStatus.OPEN:
            assert report.published_on <= report.status_changed_on <= now
    for comment in db.session.scalars(sa.select(ReportComment)):
        assert comment.report.published_on <= comment.posted_on <= now
    for confirmation in db.session.scalars(sa.select(ReportConfirmation)):
        assert confirmation.report.published_on <= confirmation.confirmed_on <= now
    for question in db.session.scalars(sa.select(ReportQuestion)):
        assert question.report.published_on <= question.asked_on <= now
        assert question.answered_on is None or question.asked_on <= question.answered_on <= now


def test_discussion_has_comments_workarounds_both_confirmations_and_questions(demo):
    comments = list(db.session.scalars(sa.select(ReportComment)))
    assert len(comments) >= 12
    assert sum(c.is_workaround for c in comments) >= 2
    assert any(c.by_staff for c in comments)
    kinds = Counter(c.kind for c in db.session.scalars(sa.select(ReportConfirmation)))
    assert kinds[ConfirmationKind.HIT_TOO] >= 30 and kinds[ConfirmationKind.WORKAROUND_WORKED] >= 5
    questions = list(db.session.scalars(sa.select(ReportQuestion)))
    assert any(q.answer and q.answer_public for q in questions)
    assert any(q.answer and not q.answer_public for q in questions)
    assert any(not q.answered_on for q in questions)


def test_confirmations_come_from_other_companies_than_the_reporters(demo):
    for confirmation in db.session.scalars(sa.select(ReportConfirmation)):
        if confirmation.kind is ConfirmationKind.HIT_TOO:
            assert confirmation.company_pseudonym != confirmation.report.company_pseudonym


def test_each_report_is_by_the_person_the_data_names(demo):
    for spec in REPORTS:
        report = db.session.scalars(sa.select(Report).where(Report.title == spec.title)).one()
        assert report.group.slug == spec.group
        assert is_author(person(spec.author), report), spec.title


def test_texts_are_stored_as_written_except_what_the_scrubber_redacted(demo):
    redacted = [r for r in reports() if r.redactions]
    assert [r.redactions for r in redacted] == [{"company": 1}]
    assert MARKERS["company"] in redacted[0].body
    specs = {spec.title: spec for spec in REPORTS}
    for report in reports():
        spec = specs[report.title]
        assert report.error_message == spec.error_message
        assert report.workaround == spec.workaround
        if not report.redactions:
            assert report.body == spec.body


def test_the_flagged_report_waits_in_the_facilitators_review_queue(demo):
    facilitator = person("facilitator@demo-credit.example")
    queue = review.review_queue(facilitator, data.BUILDING)
    [waiting] = queue.reports
    spec = next(s for s in REPORTS if s.stage is Stage.REVIEW)
    assert waiting.title == spec.title
    assert waiting.state is ContributionState.IN_REVIEW and waiting.published_on is None
    assert {flag["kind"] for flag in waiting.review_flags} == {"boycott"}
    assert review.review_queue(facilitator, data.FOOD).size == 0


def test_the_demo_member_has_own_reports_a_draft_and_a_question_to_answer(demo):
    dana = person(DANA)
    own = authoring.drafts_and_own_reports(dana)
    states = Counter(r.state for r in own)
    assert states[ContributionState.PUBLISHED] >= 2 and states[ContributionState.DRAFT] == 1
    waiting = discussion.questions_waiting_for(dana, own)
    assert len(waiting) == 1


def test_the_demo_members_my_reports_page_shows_the_draft_and_the_waiting_question(demo, browser):
    assert browser.login(DANA, data.DEMO_PASSWORD).status_code == 302
    html = browser.get("/my/reports").get_data(as_text=True)
    assert "Drafts (1)" in html
    assert "Questions waiting for your answer (1)" in html
    draft = next(s for s in REPORTS if s.author == DANA and s.stage is Stage.DRAFT)
    assert str(escape(draft.title)) in html


def test_group_lists_show_the_demo_reports_to_members(demo, browser):
    browser.login("karen.holt@ridgelinegypsum.example", data.DEMO_PASSWORD)
    html = browser.get(f"/g/{data.BUILDING}/reports").get_data(as_text=True)

    def titles(*conditions) -> set[str]:
        published = Report.state == ContributionState.PUBLISHED
        query = sa.select(Report.title).join(CreditGroup).where(published, *conditions)
        return set(db.session.scalars(query))

    building = titles(CreditGroup.slug == data.BUILDING)
    elsewhere = titles(CreditGroup.slug != data.BUILDING) - building
    assert sum(str(escape(title)) in html for title in building) >= 10  # a full first page
    assert not [title for title in elsewhere if str(escape(title)) in html]
    # The hand-written reports are there too, a search away.
    spec = next(s for s in REPORTS if s.group == data.BUILDING and s.stage is Stage.PUBLISHED)
    found = browser.get(f"/g/{data.BUILDING}/reports", query_string={"q": spec.title})
    assert str(escape(spec.title)) in found.get_data(as_text=True)


def test_a_deleted_demo_report_comes_back_on_the_next_load_and_nothing_else_changes(demo, runner):
    victim = reports(ContributionState.PUBLISHED)[0]
    title = victim.title
    db.session.delete(victim)
    db.session.commit()
    before = snapshot()
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "1 reports" in result.output
    assert db.session.scalars(sa.select(Report).where(Report.title == title)).one()
    after = snapshot()
    for table in ("users", "member_companies", "credit_groups", "portals"):
        assert after[table] == before[table], table
    assert count(Report) == len(REPORTS) + everyday_count()


def test_demo_reports_group_slugs_exist_in_the_demo(demo):
    slugs = set(db.session.scalars(sa.select(CreditGroup.slug)))
    assert {spec.group for spec in REPORTS} <= slugs
