"""Snapshots: frozen once, never changed, one per meeting however often the worker asks;
and the command line that makes them."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from credgroup.audit.models import AuditEvent
from credgroup.errors import PermissionDenied
from credgroup.extensions import db
from credgroup.trends import service
from credgroup.trends.models import SnapshotFrozen, TrendSnapshot

JAN, MAR = date(2025, 1, 1), date(2025, 3, 31)


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(TrendSnapshot.id)))


def test_a_facilitator_freezes_a_report_and_the_audit_log_says_so(dataset):
    snapshot = service.freeze_snapshot(dataset.facilitator, dataset.group, JAN, date(2025, 2, 2))
    db.session.commit()
    assert (snapshot.period_from, snapshot.period_to) == (JAN, MAR)
    assert snapshot.frozen and snapshot.payload["summary"]["new_reports"]["value"] == 10
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "trends.snapshot_frozen")
    )
    assert (
        event.actor_id == dataset.facilitator.id and event.details["snapshot"] == snapshot.public_id
    )


def test_members_cannot_freeze(dataset):
    with pytest.raises(PermissionDenied):
        service.freeze_snapshot(dataset.members[0], dataset.group, JAN, MAR)
    assert count() == 0


def test_one_snapshot_per_meeting_however_often_it_is_asked_for(dataset):
    first = service.freeze_snapshot(None, dataset.group, JAN, MAR, meeting_id=41)
    db.session.commit()
    dataset.report(6, "coupa", "fees", date(2025, 3, 30))
    db.session.commit()
    again = service.freeze_snapshot(None, dataset.group, JAN, MAR, meeting_id=41)
    db.session.commit()
    assert again.id == first.id and count() == 1
    assert again.payload["summary"]["new_reports"]["value"] == 10
    other = service.freeze_snapshot(None, dataset.group, JAN, MAR, meeting_id=42)
    db.session.commit()
    assert other.payload["summary"]["new_reports"]["value"] == 11 and count() == 2


def test_a_second_worker_racing_for_the_same_meeting_gets_the_same_snapshot(dataset, monkeypatch):
    first = service.freeze_snapshot(None, dataset.group, JAN, MAR, meeting_id=7)
    db.session.commit()
    # The second worker looked before the first committed: it finds nothing, then inserts.
    calls = iter([None])
    real = service._meeting_snapshot
    monkeypatch.setattr(service, "_meeting_snapshot", lambda mid: next(calls, real(mid)))
    again = service.freeze_snapshot(None, dataset.group, JAN, MAR, meeting_id=7)
    db.session.commit()
    assert again.id == first.id and count() == 1


def test_frozen_snapshots_refuse_any_change_but_joining_a_meeting(dataset):
    snapshot = service.freeze_snapshot(None, dataset.group, JAN, MAR)
    db.session.commit()
    snapshot.meeting_id = 99  # the meetings feature attaches it once
    db.session.commit()
    for change in (
        lambda s: setattr(s, "payload", {"tampered": True}),
        lambda s: setattr(s, "period_to", date(2025, 6, 30)),
        lambda s: setattr(s, "meeting_id", 100),
        lambda s: setattr(s, "frozen", False),
    ):
        change(snapshot)
        with pytest.raises(SnapshotFrozen):
            db.session.flush()
        db.session.rollback()
    db.session.refresh(snapshot)
    assert snapshot.meeting_id == 99 and snapshot.payload["summary"]["new_reports"]["value"] == 10


def test_snapshot_for_period_finds_the_latest_frozen_one(dataset):
    assert service.snapshot_for_period(dataset.group, JAN, MAR) is None
    service.freeze_snapshot(None, dataset.group, JAN, MAR)
    db.session.commit()
    dataset.report(6, "coupa", "fees", date(2025, 3, 30))
    latest = service.freeze_snapshot(None, dataset.group, date(2025, 2, 1), date(2025, 2, 1))
    db.session.commit()
    found = service.snapshot_for_period(dataset.group, date(2025, 2, 14), date(2025, 3, 2))
    assert found.id == latest.id
    assert service.snapshot_for_period(dataset.group, date(2024, 10, 1), MAR) is None


def test_a_period_ending_in_the_future_is_taken_up_to_today(dataset):
    today = date.today()
    snapshot = service.freeze_snapshot(
        None, dataset.group, today.replace(day=1), date(today.year + 1, 1, 1)
    )
    assert snapshot.period_to >= today


def test_cli_generates_and_freezes_a_snapshot(runner, dataset):
    result = runner.invoke(
        args=[
            "trends",
            "generate",
            "--group",
            "steel",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Froze snapshot" in result.output and "New reports: 10" in result.output
    assert count() == 1
    result = runner.invoke(
        args=[
            "trends",
            "generate",
            "--group",
            "steel",
            "--from",
            "2025-01",
            "--to",
            "2025-01",
            "--print",
            "json",
        ]
    )
    assert json.loads(result.output)["period"]["quarters"] == ["2025-Q1"]
    result = runner.invoke(
        args=[
            "trends",
            "generate",
            "--group",
            "steel",
            "--from",
            "2025-01",
            "--to",
            "2025-01",
            "--print",
            "csv",
        ]
    )
    assert result.output.startswith("table,row,row_label")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--group", "nope", "--from", "2025-01", "--to", "2025-03"], "No such group."),
        (
            ["--group", "steel", "--from", "2025-03", "--to", "2025-01"],
            "to: The period ends before it starts.",
        ),
        (
            ["--group", "steel", "--from", "someday", "--to", "2025-01"],
            "from: Give a month as YYYY-MM",
        ),
        (
            ["--group", "steel", "--from", "2025-02-30", "--to", "2025-03"],
            "from: There is no such date.",
        ),
    ],
)
def test_cli_bad_input_is_a_clear_error_and_saves_nothing(runner, dataset, args, message):
    result = runner.invoke(args=["trends", "generate", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert count() == 0
