"""Trend report services: generate a group's report, freeze and read snapshots.

The meetings feature calls ``freeze_meeting_snapshot(group, start, end, meeting_id=...)``
some days before a meeting (idempotent per meeting: a rerun or a second worker gets the
same snapshot back, told that it did not freeze it) and ``group_snapshot`` to show the
one an agenda item names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from credgroup.audit.services import record
from credgroup.db import utcnow
from credgroup.errors import NotFound
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group, require_facilitator
from credgroup.groups.models import CreditGroup
from credgroup.trends import report as report_builder
from credgroup.trends.models import TrendSnapshot
from credgroup.trends.periods import Quarter, Span, parse_span, span_between

if TYPE_CHECKING:
    from credgroup.accounts.models import User


@dataclass(frozen=True)
class TrendReport:
    group: CreditGroup
    span: Span
    payload: dict[str, Any]


def today() -> date:
    return utcnow().date()


def span_from_args(args: Mapping[str, Any], *, now: date | None = None) -> Span:
    """The span a page or API request asks for (``period``, ``from``, ``to``)."""
    return parse_span(args.get("period"), args.get("from"), args.get("to"), today=now or today())


def generate_trend_report(viewer: User, slug: str, span: Span) -> TrendReport:
    """The group's published trend report for ``span``, for its members and facilitators
    (anyone else: NotFound)."""
    group = get_visible_group(viewer, slug)
    return TrendReport(group, span, report_builder.build_report(group, span, today()))


def freeze_snapshot(
    actor: User | None,
    group: CreditGroup,
    period_from: date,
    period_to: date,
    *,
    meeting_id: int | None = None,
    kind: str = "custom",
) -> TrendSnapshot:
    """Generate the report for the quarters covering ``period_from``-``period_to`` and
    freeze it. ``actor`` None is the worker or the command line; a person must facilitate
    the group. With ``meeting_id``, at most one snapshot per meeting: an existing one is
    returned unchanged. A ``period_to`` in the future is taken as today."""
    return _freeze(actor, group, period_from, period_to, meeting_id=meeting_id, kind=kind).snapshot


@dataclass(frozen=True)
class MeetingSnapshot:
    """A meeting's snapshot, and whether this call froze it (False: it was there already,
    made earlier or by another worker at the same moment)."""

    snapshot: TrendSnapshot
    created: bool


def freeze_meeting_snapshot(
    group: CreditGroup, period_from: date, period_to: date, *, meeting_id: int, kind: str = "custom"
) -> MeetingSnapshot:
    """As the system: the meeting's one snapshot, frozen now unless it exists. Safe against
    a second worker: the unique meeting id lets exactly one insert win, and only the winner
    sees ``created``."""
    return _freeze(None, group, period_from, period_to, meeting_id=meeting_id, kind=kind)


def _freeze(
    actor: User | None,
    group: CreditGroup,
    period_from: date,
    period_to: date,
    *,
    meeting_id: int | None,
    kind: str,
) -> MeetingSnapshot:
    if actor is not None:
        require_facilitator(actor, group)
    if meeting_id is not None:
        existing = _meeting_snapshot(meeting_id)
        if existing is not None:
            return MeetingSnapshot(existing, created=False)
    now = today()
    span = span_between(period_from, min(period_to, now), today=now, kind=kind)
    snapshot = TrendSnapshot(
        group_id=group.id,
        period_from=span.start,
        period_to=span.end,
        kind=kind,
        payload=report_builder.build_report(group, span, now),
        meeting_id=meeting_id,
        frozen=True,
    )
    if not _added(snapshot):
        # Another worker froze this meeting's snapshot at the same moment: use theirs.
        theirs = _meeting_snapshot(meeting_id)  # type: ignore[arg-type]
        return MeetingSnapshot(theirs, created=False)  # type: ignore[arg-type]
    record(
        actor,
        "trends.snapshot_frozen",
        target_type="trend_snapshot",
        target_label=f"{group.name}: {span.label}",
        group=group,
        snapshot=snapshot.public_id,
        meeting_id=meeting_id,
    )
    return MeetingSnapshot(snapshot, created=True)


def _added(snapshot: TrendSnapshot) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(snapshot)
            db.session.flush()
    except sa.exc.IntegrityError:
        return False
    return True


def _meeting_snapshot(meeting_id: int) -> TrendSnapshot | None:
    return db.session.scalar(sa.select(TrendSnapshot).where(TrendSnapshot.meeting_id == meeting_id))


def snapshot_for_period(
    group: CreditGroup, period_from: date, period_to: date
) -> TrendSnapshot | None:
    """The latest frozen snapshot of the group covering exactly the quarters of
    ``period_from``-``period_to``, or None."""
    first, last = Quarter.of(period_from), Quarter.of(period_to)
    return db.session.scalar(
        sa.select(TrendSnapshot)
        .where(
            TrendSnapshot.group_id == group.id,
            TrendSnapshot.frozen.is_(True),
            TrendSnapshot.period_from == first.start,
            TrendSnapshot.period_to == last.end,
        )
        .order_by(TrendSnapshot.generated_on.desc(), TrendSnapshot.id.desc())
        .limit(1)
    )


def list_snapshots(viewer: User, slug: str) -> tuple[CreditGroup, list[TrendSnapshot]]:
    """The group's frozen snapshots, newest first (members and facilitators)."""
    group = get_visible_group(viewer, slug)
    snapshots = db.session.scalars(
        sa.select(TrendSnapshot)
        .where(TrendSnapshot.group_id == group.id)
        .order_by(TrendSnapshot.generated_on.desc(), TrendSnapshot.id.desc())
    )
    return group, list(snapshots)


def get_snapshot(viewer: User, public_id: str, slug: str | None = None) -> TrendSnapshot:
    """A snapshot of a group the viewer sees (and, with ``slug``, of that group)."""
    if not isinstance(public_id, str) or not 0 < len(public_id) <= 64:
        raise NotFound("No such snapshot.")
    snapshot = db.session.scalar(
        sa.select(TrendSnapshot).where(TrendSnapshot.public_id == public_id)
    )
    if snapshot is None or (slug is not None and snapshot.group.slug != slug):
        raise NotFound("No such snapshot.")
    get_visible_group(viewer, snapshot.group.slug)  # NotFound for anyone else
    return snapshot


def snapshot_payload(snapshot: TrendSnapshot) -> dict[str, Any]:
    """The frozen report as it may be shown today."""
    return report_builder.for_viewing(snapshot.payload, snapshot.group)


def group_snapshot(group_id: int, public_id: str) -> TrendSnapshot | None:
    """The group's snapshot with this public id, or None (another group's never). No
    viewer check: for callers already showing the group's page, such as a meeting's agenda."""
    if not isinstance(public_id, str) or not 0 < len(public_id) <= 64:
        return None
    return db.session.scalar(
        sa.select(TrendSnapshot).where(
            TrendSnapshot.public_id == public_id, TrendSnapshot.group_id == group_id
        )
    )
