"""Jobs declared as data: the registry, their triggers and period keys."""

from __future__ import annotations

import sys
import types
from datetime import UTC, datetime, timedelta, timezone

import pytest

from credgroup.worker.registry import JOB_MODULES, JobSpec, collect_jobs, period_key


def noop() -> None:
    """Do nothing."""


def test_registry_lists_the_outbox_drain_and_the_account_purge():
    ids = [spec.id for spec in collect_jobs()]

    assert "credgroup.notify.jobs" in JOB_MODULES
    assert "credgroup.accounts.jobs" in JOB_MODULES
    assert "notify.drain_outbox" in ids
    assert "accounts.purge_expired_records" in ids


def test_every_job_has_a_utc_trigger_a_real_grace_time_and_runs_alone(app):
    for spec in collect_jobs():
        trigger = spec.build_trigger(app.config)
        assert str(trigger.timezone) == "UTC", spec.id
        assert spec.misfire_grace_time >= 60, spec.id
        assert spec.coalesce and spec.max_instances == 1, spec.id
        assert spec.description != spec.id, "jobs need a docstring"


@pytest.fixture
def app_config():
    return {"WORKER_OUTBOX_INTERVAL_SECONDS": 7}


def test_outbox_drain_interval_comes_from_configuration(app):
    [drain] = [spec for spec in collect_jobs() if spec.id == "notify.drain_outbox"]

    assert drain.build_trigger(app.config).interval == timedelta(seconds=7)


def test_account_purge_runs_daily_at_most_once_per_day(app):
    [purge] = [spec for spec in collect_jobs() if spec.id == "accounts.purge_expired_records"]
    trigger = purge.build_trigger(app.config)

    next_run = trigger.get_next_fire_time(None, datetime(2025, 3, 7, 12, 0, tzinfo=UTC))

    assert purge.period == "daily"
    assert next_run == datetime(2025, 3, 8, 3, 30, tzinfo=UTC)


def test_duplicate_job_ids_are_refused(monkeypatch):
    module = types.ModuleType("tests_fake_jobs")
    module.JOBS = (
        JobSpec("same", noop, "interval", {"seconds": 5}, misfire_grace_time=60),
        JobSpec("same", noop, "interval", {"seconds": 9}, misfire_grace_time=60),
    )
    monkeypatch.setitem(sys.modules, "tests_fake_jobs", module)

    with pytest.raises(ValueError, match="duplicate job ids: same"):
        collect_jobs(["tests_fake_jobs"])


@pytest.mark.parametrize(
    "changes",
    [{"trigger": "date"}, {"period": "monthly"}, {"misfire_grace_time": 0}],
)
def test_job_specs_refuse_unknown_triggers_periods_and_missing_grace(changes):
    values = {
        "id": "x",
        "func": noop,
        "trigger": "interval",
        "trigger_args": {"seconds": 5},
        "misfire_grace_time": 60,
    }

    with pytest.raises(ValueError):
        JobSpec(**{**values, **changes})


def test_period_keys_are_utc_hours_days_and_iso_weeks():
    # 23:30 in New York on 31 Dec 2024 is already 1 Jan 2025 in UTC.
    when = datetime(2024, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))

    assert period_key("hourly", when) == "2025-01-01T04"
    assert period_key("daily", when) == "2025-01-01"
    assert period_key("weekly", when) == "2025-W01"
