"""The worker alone freezes each upcoming meeting's trend report onto its agenda: once per
meeting however often or however many workers run it, never changed afterwards, with the
explanation for a group below its threshold; shown on the meeting page and in the API."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from credgroup.audit.models import AuditEvent
from credgroup.extensions import db
from credgroup.meetings import agenda, jobs, trend_snapshots
from credgroup.meetings import meetings as meeting_services
from credgroup.meetings.models import AgendaItem, ItemKind, Meeting
from credgroup.trends import service
from credgroup.trends.models import TrendSnapshot
from credgroup.worker.registry import collect_jobs
from credgroup.worker.scheduler import run_job
from tests.api.conftest import ApiClient
from tests.fixtures.app import is_postgres

JOB = next(job for job in collect_jobs() if job.id == jobs.TREND_SNAPSHOTS_JOB)


def plan(tg, starts_in: timedelta, *, title="Meeting", publish=True, group=None, actor=None):
    actor = actor or tg.facilitator
    meeting = meeting_services.create_meeting(
        actor,
        group or tg.group,
        title=title,
        starts_at=(datetime.now(UTC) + starts_in).replace(microsecond=0),
        timezone="America/Chicago",
    )
    if publish:
        meeting_services.publish_meeting(actor, meeting)
    db.session.commit()
    return meeting


def trend_items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            sa.select(AgendaItem).where(
                AgendaItem.meeting_id == meeting.id, AgendaItem.kind == ItemKind.TREND_REPORT
            )
        )
    )


def snapshots() -> list[TrendSnapshot]:
    return list(db.session.scalars(sa.select(TrendSnapshot).order_by(TrendSnapshot.id)))


@pytest.fixture
def recent(dataset):
    """Reports of 4 companies in each of the two whole quarters a snapshot frozen today
    covers (the dataset's own reports are older)."""
    first, last = trend_snapshots.snapshot_quarters(datetime.now(UTC).date())
    for quarter in (first, last):
        for company in range(4):
            dataset.report(company, "coupa", "rejected_format", quarter.start + timedelta(days=9))
    db.session.commit()
    return dataset


def test_the_job_is_registered_with_an_explicit_schedule():
    assert JOB in jobs.JOBS and JOB.trigger == "cron" and JOB.misfire_grace_time >= 3600
    assert JOB.period is None  # once per meeting comes from the snapshot's unique meeting id


def test_meetings_starting_within_the_window_get_their_report_frozen_onto_the_agenda(app, recent):
    soon = plan(recent, timedelta(days=3), title="Soon")
    draft = plan(recent, timedelta(days=6), title="Draft", publish=False)
    later = plan(recent, timedelta(days=20), title="Later")
    cancelled = plan(recent, timedelta(days=2), title="Cancelled")
    meeting_services.cancel_meeting(recent.facilitator, cancelled)
    db.session.commit()

    outcome = run_job(app, JOB)
    assert outcome.status == "ok" and "frozen onto 2 agendas" in outcome.detail

    first, last = trend_snapshots.snapshot_quarters(datetime.now(UTC).date())
    for meeting in (soon, draft):
        snapshot = db.session.scalar(
            sa.select(TrendSnapshot).where(TrendSnapshot.meeting_id == meeting.id)
        )
        assert (snapshot.period_from, snapshot.period_to) == (first.start, last.end)
        assert snapshot.payload["summary"]["new_reports"] == {"value": 8, "companies": 4}
        (item,) = trend_items(meeting)
        assert item.trend_report_ref == snapshot.public_id
        assert item.title.startswith(f"Trend report, {first.label} to {last.label}")
    assert trend_items(later) == [] and trend_items(cancelled) == []
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "meetings.trend_report_attached")
    )
    assert event.actor_id is None and event.details["meeting"] in (soon.public_id, draft.public_id)


def test_a_rerun_changes_nothing(app, recent):
    meeting = plan(recent, timedelta(days=4))
    assert "frozen onto 1 agenda" in run_job(app, JOB).detail
    db.session.expire_all()
    sequence, frozen = meeting.sequence, snapshots()[0].payload
    events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))

    again = run_job(app, JOB)
    assert again.status == "ok" and again.detail == ""  # nothing to do, nothing logged
    db.session.expire_all()
    assert len(snapshots()) == 1 and len(trend_items(meeting)) == 1
    assert snapshots()[0].payload == frozen and meeting.sequence == sequence
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == events


def test_reports_after_freezing_never_change_the_frozen_report(app, client, recent):
    meeting = plan(recent, timedelta(days=2))
    run_job(app, JOB)
    (snapshot,) = snapshots()
    frozen = snapshot.payload
    first, last = trend_snapshots.snapshot_quarters(datetime.now(UTC).date())
    for company in range(4, 8):  # four more companies report in the same quarters
        recent.report(company, "coupa", "fees", last.start + timedelta(days=20))
    db.session.commit()

    run_job(app, JOB)
    db.session.expire_all()
    assert snapshots()[0].payload == frozen
    live = service.generate_trend_report(recent.members[0], "steel", snapshot_span(first, last))
    assert live.payload["summary"]["new_reports"]["value"] == 12  # the live report moved on
    recent_browser = login(client, recent.members[0])
    page = recent_browser.get(f"/meetings/{meeting.public_id}").get_data(as_text=True)
    assert "New reports: 8 (4 member companies)" in page


def snapshot_span(first, last):
    from credgroup.trends.periods import span_between

    return span_between(first.start, last.end, today=service.today())


def login(client, user):
    from tests.fixtures.app import Browser

    browser = Browser(client)
    assert browser.login(user.email).status_code in (302, 303)
    return browser


@pytest.mark.parametrize("app_config", [{"TRENDS_SNAPSHOT_DAYS_BEFORE": 2}])
def test_how_many_days_before_is_configured(app, recent):
    assert app.config["TRENDS_SNAPSHOT_DAYS_BEFORE"] == 2
    inside = plan(recent, timedelta(days=1, hours=20))
    outside = plan(recent, timedelta(days=3))
    run_job(app, JOB)
    assert len(trend_items(inside)) == 1 and trend_items(outside) == []


def test_a_meeting_the_facilitator_already_froze_is_left_as_the_facilitator_left_it(app, recent):
    meeting = plan(recent, timedelta(days=3))
    item = agenda.attach_trend_report(recent.facilitator, meeting)
    db.session.commit()
    agenda.remove_item(recent.facilitator, item)  # they decided against it
    db.session.commit()
    outcome = run_job(app, JOB)
    assert outcome.status == "ok"
    assert len(snapshots()) == 1 and trend_items(meeting) == []
    # Asking for it again brings the same frozen report back, once.
    agenda.attach_trend_report(recent.facilitator, meeting)
    agenda.attach_trend_report(recent.facilitator, meeting)
    db.session.commit()
    assert [i.trend_report_ref for i in trend_items(meeting)] == [snapshots()[0].public_id]


def test_a_group_below_its_threshold_gets_the_explanation_not_a_failure(
    app, client, factory, recent
):
    small = factory.group(slug="tiny", name="Tiny Credit Group", anonymity_threshold=5)
    companies = [factory.company(f"Tiny {i}", groups=[small]) for i in range(2)]
    member = factory.member(companies[0], email="tiny@tiny.example")
    facilitator = factory.facilitator(groups=[small], email="fac@tiny.example")
    meeting = plan(recent, timedelta(days=5), group=small, actor=facilitator)

    outcome = run_job(app, JOB)
    assert outcome.status == "ok" and "1 of them for a group below its threshold" in outcome.detail
    (snapshot,) = snapshots()
    assert snapshot.payload["available"] is False
    explanation = snapshot.payload["explanation"]
    assert "This group has 2 member companies" in explanation

    page = login(client, member).get(f"/meetings/{meeting.public_id}").get_data(as_text=True)
    assert "This group has 2 member companies" in page and snapshot.public_id in page
    body = ApiClient(client, factory.api_token(member)).get(f"/api/v1/meetings/{meeting.public_id}")
    (item,) = [i for i in body.get_json()["agenda"] if i["kind"] == "trend_report"]
    assert item["trend_report"]["available"] is False
    assert item["trend_report"]["explanation"] == explanation
    assert item["trend_report"]["new_reports"] == {"value": None, "companies": None}


def test_the_agenda_api_carries_the_frozen_report_and_matches_its_document(
    app, client, factory, recent
):
    from openapi_schema_validator import OAS31Validator

    meeting = plan(recent, timedelta(days=1))
    run_job(app, JOB)
    (snapshot,) = snapshots()
    api = ApiClient(client, factory.api_token(recent.members[1]))
    body = api.get(f"/api/v1/meetings/{meeting.public_id}").get_json()
    (item,) = [i for i in body["agenda"] if i["kind"] == "trend_report"]
    assert item["trend_report"]["id"] == snapshot.public_id
    assert item["trend_report"]["new_reports"] == {"value": 8, "companies": 4}
    assert item["trend_report"]["links"]["self"].endswith(f"/trends/snapshots/{snapshot.public_id}")
    assert api.get(item["trend_report"]["links"]["self"]).status_code == 200
    others = [i for i in body["agenda"] if i["kind"] != "trend_report"]
    assert all(i["trend_report"] is None for i in others)
    document = client.get("/api/v1/openapi.json").get_json()
    content = document["paths"]["/meetings/{meeting_id}"]["get"]["responses"]["200"]["content"]
    schema = content["application/json"]["schema"]
    OAS31Validator({**schema, "components": document["components"]}).validate(body)


def test_another_groups_snapshot_named_on_an_agenda_shows_nothing(app, client, factory, recent):
    elsewhere = service.freeze_snapshot(None, recent.group, *snapshot_quarter_dates())
    other_group = factory.group(slug="elsewhere", name="Elsewhere Group")
    facilitator = factory.facilitator(groups=[other_group], email="fac@elsewhere.example")
    db.session.commit()
    meeting = plan(recent, timedelta(days=30), group=other_group, actor=facilitator)
    agenda.add_item(
        facilitator,
        meeting,
        title="Borrowed figures",
        kind="trend_report",
        trend_report_ref=elsewhere.public_id,
    )
    db.session.commit()
    rows = agenda.agenda_rows(meeting, facilitator)
    assert all(row.trend is None for row in rows)


def snapshot_quarter_dates():
    first, last = trend_snapshots.snapshot_quarters(datetime.now(UTC).date())
    return first.start, last.end


@pytest.mark.skipif(
    not is_postgres(),
    reason="two workers writing at once needs PostgreSQL (SQLite has one writer at a time, "
    "and the worker lease keeps one worker there)",
)
def test_two_workers_at_the_same_moment_freeze_one_snapshot_and_one_agenda_item(
    app, recent, monkeypatch
):
    meeting = plan(recent, timedelta(days=3))
    # Both workers look for the meeting's snapshot before either has written one, so both
    # go on to build and insert: the unique meeting id must make exactly one of them win.
    both_looked = threading.Barrier(2, timeout=30)
    real_lookup = service._meeting_snapshot
    looked = threading.local()

    def lookup(meeting_id):
        found = real_lookup(meeting_id)
        if not getattr(looked, "once", False):
            looked.once = True
            both_looked.wait()
        return found

    monkeypatch.setattr(service, "_meeting_snapshot", lookup)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            outcomes.append(run_job(app, JOB).detail)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert sorted(outcomes) == [
        "trend report frozen onto 0 agendas; 1 already done by another worker",
        "trend report frozen onto 1 agenda",
    ]
    db.session.expire_all()
    assert len(snapshots()) == 1
    assert [i.trend_report_ref for i in trend_items(meeting)] == [snapshots()[0].public_id]
