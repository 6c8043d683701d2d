"""Recurring meeting series: cadence, defaults, standing items, and when the next one is.

A series keeps the *local* wall-clock time of its meetings (10:00 in Chicago stays 10:00 in
Chicago across daylight-saving changes); the UTC instant is derived per meeting.
"""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from credgroup.audit.services import record
from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import can_view_group, require_facilitator
from credgroup.meetings import inputs
from credgroup.meetings.models import Cadence, ItemMode, MeetingSeries, StandingItem

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup

MAX_STANDING_ITEMS = 30
SERIES_FIELDS = (
    "title",
    "cadence",
    "timezone",
    "default_place",
    "default_video_link",
    "default_duration_minutes",
    "active",
)


def _clean_series(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "title" in fields:
        cleaned["title"] = inputs.clean_title(fields["title"])
    if "cadence" in fields:
        cleaned["cadence"] = inputs.clean_enum(fields["cadence"], Cadence, "cadence")
    if "timezone" in fields:
        cleaned["timezone"] = inputs.clean_zone(fields["timezone"])
    if "default_place" in fields:
        cleaned["default_place"] = inputs.clean_place(fields["default_place"], "default_place")
    if "default_video_link" in fields:
        cleaned["default_video_link"] = inputs.clean_url(
            fields["default_video_link"], "default_video_link"
        )
    if "default_duration_minutes" in fields:
        cleaned["default_duration_minutes"] = inputs.clean_minutes(
            fields["default_duration_minutes"],
            "default_duration_minutes",
            maximum=inputs.MAX_MEETING_MINUTES,
        )
    if "active" in fields:
        cleaned["active"] = bool(fields["active"])
    return cleaned


def create_series(
    actor: User,
    group: CreditGroup,
    *,
    title: str,
    cadence: Cadence | str = Cadence.MONTHLY,
    timezone: str | None = None,
    default_place: str = "",
    default_video_link: str = "",
    default_duration_minutes: int | str = 120,
) -> MeetingSeries:
    """A new recurring series for the group (facilitators). Time zone: the group's by default."""
    require_facilitator(actor, group)
    fields = _clean_series(
        {
            "title": title,
            "cadence": cadence,
            "timezone": timezone or group.timezone,
            "default_place": default_place,
            "default_video_link": default_video_link,
            "default_duration_minutes": default_duration_minutes,
        }
    )
    series = MeetingSeries(group_id=group.id, group=group, **fields)
    db.session.add(series)
    db.session.flush()
    record(
        actor,
        "meetings.series_created",
        target_type="meeting_series",
        target_label=series.title,
        group=group,
        series=series.public_id,
    )
    return series


def update_series(actor: User, series: MeetingSeries, **fields: Any) -> MeetingSeries:
    """Change a series' defaults; meetings already made keep their own values."""
    require_facilitator(actor, series.group)
    unknown = set(fields) - set(SERIES_FIELDS)
    if unknown:
        raise ValueError(f"not series fields: {sorted(unknown)}")
    for name, value in _clean_series(fields).items():
        setattr(series, name, value)
    db.session.flush()
    record(
        actor,
        "meetings.series_updated",
        target_type="meeting_series",
        target_label=series.title,
        group=series.group,
        series=series.public_id,
    )
    return series


def add_standing_item(
    actor: User,
    series: MeetingSeries,
    *,
    title: str,
    duration_minutes: int | str = 15,
    mode: ItemMode | str = ItemMode.DISCUSSION,
) -> StandingItem:
    """An item that every new agenda of the series starts with."""
    require_facilitator(actor, series.group)
    if len(series.standing_items) >= MAX_STANDING_ITEMS:
        raise ValidationError("title", f"A series has at most {MAX_STANDING_ITEMS} standing items.")
    item = StandingItem(
        series=series,
        position=max((s.position for s in series.standing_items), default=0) + 1,
        title=inputs.clean_title(title),
        duration_minutes=inputs.clean_minutes(duration_minutes, maximum=inputs.MAX_ITEM_MINUTES),
        mode=inputs.clean_enum(mode, ItemMode, "mode"),
    )
    db.session.add(item)
    db.session.flush()
    record(
        actor,
        "meetings.standing_item_added",
        target_type="meeting_series",
        target_label=series.title,
        group=series.group,
        item=item.title,
    )
    return item


def remove_standing_item(actor: User, item: StandingItem) -> None:
    """Stop adding the item to new agendas (agendas already made keep it)."""
    series = item.series
    require_facilitator(actor, series.group)
    series.standing_items.remove(item)
    db.session.delete(item)
    db.session.flush()
    record(
        actor,
        "meetings.standing_item_removed",
        target_type="meeting_series",
        target_label=series.title,
        group=series.group,
        item=item.title,
    )


def group_series(viewer: User, group: CreditGroup) -> list[MeetingSeries]:
    if not can_view_group(viewer, group):
        raise NotFound("No such group.")
    return list(
        db.session.scalars(
            sa.select(MeetingSeries)
            .where(MeetingSeries.group_id == group.id)
            .order_by(MeetingSeries.active.desc(), MeetingSeries.title)
        )
    )


def get_series(viewer: User, public_id: str) -> MeetingSeries:
    series = None
    if isinstance(public_id, str) and len(public_id) <= 64:
        series = db.session.scalar(
            sa.select(MeetingSeries).where(MeetingSeries.public_id == public_id)
        )
    if series is None or not can_view_group(viewer, series.group):
        raise NotFound("No such meeting series.")
    return series


def get_standing_item(actor: User, series: MeetingSeries, public_id: str) -> StandingItem:
    for item in series.standing_items:
        if item.public_id == public_id:
            return item
    raise NotFound("No such standing item.")


# --- when is the next one -------------------------------------------------------------------


def add_months_same_weekday(local: datetime, months: int) -> datetime:
    """The same weekday of the same week of the month, ``months`` later, at the same wall time.

    Credit groups meet on "the second Tuesday" rather than "the 12th". A meeting in the last
    week (a fifth Thursday) moves to the last such weekday of the target month.
    """
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    week = (local.day - 1) // 7  # 0..4
    days_in_month = calendar.monthrange(year, month)[1]
    first_weekday = calendar.weekday(year, month, 1)
    first = 1 + (local.weekday() - first_weekday) % 7
    day = first + 7 * week
    while day > days_in_month:
        day -= 7
    return local.replace(year=year, month=month, day=day)


def next_local_start(last_local: datetime, cadence: Cadence, not_before: datetime) -> datetime:
    """The next start after ``last_local`` by ``cadence``, and not before ``not_before`` (both
    naive local wall times)."""
    step = 1
    candidate = add_months_same_weekday(last_local, cadence.months)
    while candidate < not_before and step < 240:
        step += 1
        candidate = add_months_same_weekday(last_local, cadence.months * step)
    return candidate
