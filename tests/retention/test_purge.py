"""Retention purges inactive reports with what they own, keeps what others own, drops them
from the search index, leaves frozen snapshots alone, and can run any number of times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from credgroup.audit.models import AuditEvent
from credgroup.extensions import db
from credgroup.kb.links import report_to_article
from credgroup.kb.models import Article, ArticleReportLink
from credgroup.meetings import agenda
from credgroup.meetings import meetings as meeting_services
from credgroup.meetings.models import AgendaItem
from credgroup.reports import discussion
from credgroup.reports.enums import ConfirmationKind
from credgroup.reports.models import (
    DigestItem,
    Report,
    ReportComment,
    ReportConfirmation,
    ReportQuestion,
)
from credgroup.retention.jobs import PURGE_JOB, purge_reports_job
from credgroup.retention.purge import ACTION, count_expired, months_before, purge_expired
from credgroup.search.maintenance import verify
from credgroup.search.models import SearchOutbox
from credgroup.worker.registry import collect_jobs
from credgroup.worker.scheduler import run_job
from tests.retention.conftest import (
    age,
    index_now,
    report_exists,
    set_retention_months,
    today,
)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def discussed_report(world, key: str = "old") -> Report:
    """A report with a comment, a confirmation, an answered question, a digest item, an
    article written from it and an agenda item pointing at it."""
    report = world.publish(key, workaround="Resubmit with the PO number in the header.")
    discussion.post_comment(world.members[1], report, "Same for us with this customer.")
    discussion.confirm(world.members[2], report, ConfirmationKind.HIT_TOO)
    question = discussion.ask_reporter(world.members[3], report, "Which field was missing?")
    discussion.answer_question(world.members[0], question, "The PO number.")
    db.session.add(DigestItem(user_id=world.members[1].id, report_id=report.id, queued_on=today()))
    report_to_article(world.facilitator, report)
    meeting = meeting_services.create_meeting(
        world.facilitator,
        world.group,
        title="Spring meeting",
        starts_at=datetime.now(UTC) + timedelta(days=20),
    )
    agenda.add_item(world.facilitator, meeting, title="Rejections", report=report.public_id)
    db.session.commit()
    return report


def test_months_before_counts_calendar_months():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)
    assert months_before(date(2026, 11, 25), 24) == date(2024, 11, 25)


def test_purge_removes_inactive_report_with_all_it_owns(world):
    report = discussed_report(world)
    kept = world.publish("recent")
    age(report)
    article_id = db.session.scalar(sa.select(ArticleReportLink.article_id))

    result = purge_expired(12, today())

    assert result.reports == 1
    assert not report_exists(report.id) and report_exists(kept.id)
    for model in (ReportComment, ReportConfirmation, ReportQuestion, DigestItem, ArticleReportLink):
        assert count(model) == 0, model.__name__
    # Someone else's rows stay, without the link: the article and the agenda item.
    assert db.session.get(Article, article_id) is not None
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.title == "Rejections"))
    assert item is not None and item.report_id is None


@pytest.mark.parametrize("activity", ["comment", "confirmation", "answer", "edit"])
def test_any_recent_activity_keeps_an_old_report(world, activity):
    report = world.publish("old")
    question = discussion.ask_reporter(world.members[3], report, "Which field was missing?")
    db.session.commit()
    age(report)
    if activity == "comment":
        discussion.post_comment(world.members[1], report, "Still happening this month.")
    elif activity == "confirmation":
        discussion.confirm(world.members[2], report, ConfirmationKind.HIT_TOO)
    elif activity == "answer":
        discussion.answer_question(world.members[0], question, "The PO number.")
    else:
        db.session.execute(sa.update(Report).values(updated_on=today()))
    db.session.commit()

    assert purge_expired(12, today()).reports == 0
    assert report_exists(report.id)


def test_the_cut_off_is_the_retention_in_calendar_months(world):
    inside, outside = world.publish("inside"), world.publish("outside")
    cutoff = months_before(today(), 12)
    age(inside, cutoff)  # active on the cut-off day itself: kept
    age(outside, cutoff - timedelta(days=1))

    assert count_expired(12, today()) == 1
    purge_expired(12, today())

    assert report_exists(inside.id) and not report_exists(outside.id)


def test_purged_reports_leave_the_search_index(world):
    report, kept = world.publish("old"), world.publish("recent")
    index_now()
    age(report)

    purge_expired(12, today())
    assert (
        db.session.scalar(sa.select(SearchOutbox.op).where(SearchOutbox.doc_id == report.id))
        == "delete"
    )
    index_now()

    drift = verify()
    assert drift.clean, drift
    assert drift.pending == 0
    assert drift.checked == 1  # only the kept report remains searchable
    assert kept.id not in {int(k.split(":")[1]) for k in drift.extra}


def test_job_is_idempotent(world, app):
    reports = [world.publish(f"r{i}") for i in range(3)]
    for report in reports[:2]:
        age(report)
    set_retention_months(12)

    first = purge_reports_job()
    second = purge_reports_job()

    assert first == f"purged 2 reports inactive since before {months_before(today(), 12)}"
    assert second is None
    assert count(Report) == 1
    events = list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == ACTION)))
    assert len(events) == 1


def test_job_does_nothing_without_a_retention(world):
    report = world.publish("old")
    age(report)

    set_retention_months(None)
    assert purge_reports_job() is None
    assert report_exists(report.id)


def test_worker_runs_the_registered_job(world, app):
    report = world.publish("old")
    age(report)
    report_id = report.id
    set_retention_months(24)
    spec = next(job for job in collect_jobs() if job.id == PURGE_JOB)

    outcome = run_job(app, spec)  # in an app context (and session) of its own

    assert outcome.status == "ok" and "purged 1 report " in outcome.detail
    assert not report_exists(report_id)


def test_large_purges_go_in_bounded_committed_batches(world):
    reports = [world.publish(f"r{i}") for i in range(5)]
    for report in reports:
        age(report)

    first = purge_expired(12, today(), batch=2, max_batches=2)
    assert (first.reports, first.more) == (4, True)
    assert str(first).endswith("more next run")
    db.session.rollback()  # what the batches committed is there for anyone
    assert count(Report) == 1
    # One audit event for the run, rewritten with each committed batch.
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == ACTION))
    assert event.details["reports"] == 4

    second = purge_expired(12, today(), batch=2, max_batches=2)
    assert (second.reports, second.more) == (1, False)
    assert count(Report) == 0


def test_audit_event_counts_per_group_and_names_nobody(world):
    report = discussed_report(world)
    age(report)

    purge_expired(12, today())

    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == ACTION))
    assert event.actor_id is None and event.actor_label == "worker (report retention)"
    assert event.details["by_group"] == {"Steel Credit Group": 1}
    assert event.details["reports"] == 1 and event.details["months"] == 12
    text = repr(event.details) + event.target_label
    for pseudonym in (report.author_pseudonym, report.company_pseudonym, report.public_id):
        assert pseudonym not in text


def test_frozen_trend_snapshots_do_not_change(world):
    from credgroup.trends.periods import span_between
    from credgroup.trends.service import freeze_snapshot, generate_trend_report

    quarter_start, quarter_end = date(2020, 1, 1), date(2020, 3, 31)
    reports = [world.publish(f"r{i}", member=i) for i in range(4)]
    for report in reports:
        age(report, date(2020, 2, 10))
    snapshot = freeze_snapshot(world.facilitator, world.group, quarter_start, quarter_end)
    db.session.commit()
    frozen = snapshot.payload
    assert frozen["summary"]["new_reports"]["value"] == 4

    assert purge_expired(12, today()).reports == 4
    db.session.expire_all()

    assert db.session.get(type(snapshot), snapshot.id).payload == frozen
    # Live figures count only what remains.
    span = span_between(quarter_start, quarter_end, today=today(), kind="custom")
    live = generate_trend_report(world.facilitator, world.group.slug, span).payload
    assert live["summary"]["new_reports"]["value"] != 4
