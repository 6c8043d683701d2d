"""Scheduled work for reports: the digest of new reports for people who watch portals or
categories (see ``notifications`` for who gets what)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.notify.services import queue_email
from credgroup.reports.enums import ContributionState
from credgroup.reports.models import DigestItem, Report
from credgroup.reports.notifications import (
    DIGEST_OFF,
    digest_setting,
    may_receive,
    report_facts,
    settings_links,
)
from credgroup.worker.registry import JobSpec

if TYPE_CHECKING:
    from credgroup.accounts.models import User

DIGEST_JOB = "reports.digest"
WEEKLY_DIGEST_WEEKDAY = 0  # Monday


def send_digests(today: date) -> int:
    """Queue one email per person listing the reports waiting in their digest, then drop
    those items. Returns how many emails were queued; the caller commits.

    People who turned email off, lost access to a report's group, or whose report was
    withdrawn meanwhile get nothing about it (the item goes). Weekly readers' items wait
    for Monday. A second run the same day queues nothing (the email's dedupe key is per
    person and day) and leaves new items for the next digest.
    """
    from credgroup.accounts.models import User

    items_by_user: dict[int, list[DigestItem]] = defaultdict(list)
    for item in _waiting_items():
        items_by_user[item.user_id].append(item)
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(items_by_user)))}
    return sum(_send_digest(users[uid], items, today) for uid, items in items_by_user.items())


def digest_job() -> str:
    """Email each watcher the digest of new reports (weekly readers on Mondays)."""
    sent = send_digests(utcnow().date())
    return f"{sent} digest email{'' if sent == 1 else 's'} queued"


def _waiting_items() -> list[DigestItem]:
    return list(
        db.session.scalars(
            sa.select(DigestItem)
            .options(selectinload(DigestItem.report).selectinload(Report.portal))
            .order_by(DigestItem.user_id, DigestItem.id)
        )
    )


def _send_digest(user: User, items: list[DigestItem], today: date) -> int:
    setting = digest_setting(user)
    if setting == "weekly" and today.weekday() != WEEKLY_DIGEST_WEEKDAY:
        return 0
    wanted = [i for i in items if setting != DIGEST_OFF and _deliverable(user, i.report)]
    if wanted and _queue_digest(user, [i.report for i in wanted], today) is None:
        # Already had today's digest: drop only what can never be sent, keep the rest.
        _delete([i for i in items if i not in wanted])
        return 0
    _delete(items)
    return 1 if wanted else 0


def _deliverable(user: User, report: Report) -> bool:
    return report.state is ContributionState.PUBLISHED and may_receive(user, report.group)


def _queue_digest(user: User, reports: list[Report], today: date):
    reports = sorted(reports, key=lambda r: (r.group.name, r.published_on or today, r.id))
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for report in reports:
        groups[report.group.name].append(report_facts(report))
    count = len(reports)
    return queue_email(
        user.email,
        f"{count} new report{'' if count == 1 else 's'} about what you watch",
        "report_digest",
        dedupe_key=f"report-digest:{user.public_id}:{today.isoformat()}",
        count=count,
        groups=[{"name": name, "reports": facts} for name, facts in groups.items()],
        **settings_links(),
    )


def _delete(items: list[DigestItem]) -> None:
    for item in items:
        db.session.delete(item)
    db.session.flush()


JOBS = (
    JobSpec(
        id=DIGEST_JOB,
        func=digest_job,
        trigger="cron",
        # 11:00 UTC is early morning across North America, where the groups meet.
        trigger_args={"hour": 11, "minute": 0},
        # A worker that was down at 11:00 still sends the day's digest when it is back.
        misfire_grace_time=12 * 60 * 60,
        # One run per UTC day (a JobRun row "reports.digest" / the date), however often
        # the worker restarts.
        period="daily",
    ),
)
