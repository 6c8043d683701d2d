"""Meetings of a group: create, edit, clone from the last, publish, cancel, mark held, and
who may see or attend them.

Times: ``starts_at`` is stored in UTC; people give and see wall-clock times in the meeting's
(or their own) time zone. ``sequence`` goes up on every change calendar clients must pick up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from credgroup.audit.services import record
from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import can_view_group, is_facilitator, is_member, require_facilitator
from credgroup.groups.models import FacilitatorAssignment, GroupMembership
from credgroup.meetings import inputs
from credgroup.meetings.models import Cadence, ItemKind, Meeting, MeetingSeries, MeetingStatus
from credgroup.meetings.series import next_local_start
from credgroup.notify.services import queue_email

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup

# Fields whose change calendar clients must see (they are all in the .ics).
MEETING_FIELDS = (
    "title",
    "description",
    "starts_local",
    "starts_at",
    "duration_minutes",
    "timezone",
    "place",
    "video_link",
)
ACTIVE = (MeetingStatus.DRAFT, MeetingStatus.PUBLISHED)


# --- reading ----------------------------------------------------------------------------------


def local_start(meeting: Meeting, zone: str | None = None) -> datetime:
    """The start as an aware datetime in the meeting's (or ``zone``'s) time zone."""
    return meeting.starts_at.astimezone(ZoneInfo(zone or meeting.timezone))


def ends_at(meeting: Meeting) -> datetime:
    return meeting.starts_at + timedelta(minutes=meeting.duration_minutes)


def can_attend(user: User, meeting: Meeting) -> bool:
    """Members of the group's companies and its facilitators (admins count as facilitators)."""
    return is_member(user, meeting.group) or is_facilitator(user, meeting.group)


def meeting_audience(meeting: Meeting) -> list[User]:
    """Everyone invited: active members of the group's companies and its facilitators."""
    from credgroup.accounts.models import User

    companies = sa.select(GroupMembership.company_id).where(
        GroupMembership.group_id == meeting.group_id
    )
    staff = sa.select(FacilitatorAssignment.user_id).where(
        FacilitatorAssignment.group_id == meeting.group_id
    )
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.active.is_(True))
            .where(sa.or_(User.company_id.in_(companies), User.id.in_(staff)))
            .options(selectinload(User.company))
            .order_by(User.name, User.id)
        )
    )


def _visible_to(viewer: User, meeting: Meeting) -> bool:
    if not can_view_group(viewer, meeting.group) or meeting.group.archived_at is not None:
        return False
    # Drafts are the facilitator's work in progress: members do not see them.
    return meeting.status is not MeetingStatus.DRAFT or is_facilitator(viewer, meeting.group)


def get_meeting(viewer: User, public_id: str) -> Meeting:
    """The meeting if the viewer may see it; otherwise NotFound (drafts look missing to
    members, other groups' meetings to everyone outside them)."""
    meeting = None
    if isinstance(public_id, str) and 0 < len(public_id) <= 64:
        meeting = db.session.scalar(sa.select(Meeting).where(Meeting.public_id == public_id))
    if meeting is None or not _visible_to(viewer, meeting):
        raise NotFound("No such meeting.")
    return meeting


def get_managed_meeting(actor: User, public_id: str) -> Meeting:
    """A meeting the actor facilitates (PermissionDenied for members who can see it)."""
    meeting = get_meeting(actor, public_id)
    require_facilitator(actor, meeting.group)
    return meeting


@dataclass(frozen=True)
class GroupMeetings:
    upcoming: list[Meeting]
    past: list[Meeting]
    drafts: list[Meeting]


def group_meetings(
    viewer: User, group: CreditGroup, *, now: datetime | None = None
) -> GroupMeetings:
    """The group's meetings for its meeting list: upcoming (soonest first), past (latest
    first) and, for facilitators, drafts."""
    if not can_view_group(viewer, group):
        raise NotFound("No such group.")
    now = now or datetime.now(UTC)
    rows = list(
        db.session.scalars(
            sa.select(Meeting).where(Meeting.group_id == group.id).order_by(Meeting.starts_at)
        )
    )
    staff = is_facilitator(viewer, group)
    drafts = [m for m in rows if m.status is MeetingStatus.DRAFT] if staff else []
    shown = [m for m in rows if m.status is not MeetingStatus.DRAFT]
    upcoming = [m for m in shown if ends_at(m) >= now and m.status is not MeetingStatus.HELD]
    past = [m for m in reversed(shown) if m not in upcoming]
    return GroupMeetings(upcoming=upcoming, past=past, drafts=drafts)


def upcoming_meetings(
    viewer: User, group: CreditGroup | None = None, *, limit: int = 10
) -> list[Meeting]:
    """Published meetings not yet over, in the viewer's groups (or one group), soonest first."""
    from credgroup.groups.access import visible_groups

    groups = [group] if group is not None else visible_groups(viewer)
    group_ids = [g.id for g in groups if can_view_group(viewer, g)]
    if not group_ids:
        return []
    now = datetime.now(UTC)
    candidates = db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.group_id.in_(group_ids),
            Meeting.status == MeetingStatus.PUBLISHED,
            # Started up to a day ago: still "on" (the end is checked below).
            Meeting.starts_at >= now - timedelta(minutes=inputs.MAX_MEETING_MINUTES),
        )
        .order_by(Meeting.starts_at)
        .limit(limit * 2)
    )
    return [m for m in candidates if ends_at(m) >= now][:limit]


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The group's last meeting before this one that was not cancelled (drafts excluded)."""
    return db.session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.group_id == meeting.group_id,
            Meeting.id != meeting.id,
            Meeting.starts_at < meeting.starts_at,
            Meeting.status.in_((MeetingStatus.PUBLISHED, MeetingStatus.HELD)),
        )
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The group's next meeting after this one that is not cancelled (drafts included: the
    facilitator prepares the next agenda as a draft)."""
    return db.session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.group_id == meeting.group_id,
            Meeting.id != meeting.id,
            Meeting.starts_at > meeting.starts_at,
            Meeting.status.in_(ACTIVE),
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )


# --- writing -----------------------------------------------------------------------------------


def touch(meeting: Meeting) -> None:
    """Something calendar clients show changed: bump the iCalendar SEQUENCE."""
    meeting.sequence = (meeting.sequence or 0) + 1
    meeting.updated_at = datetime.now(UTC)


def _require_changeable(meeting: Meeting) -> None:
    if meeting.status is MeetingStatus.CANCELLED:
        raise ValidationError(None, "This meeting was cancelled; it cannot be changed.")


def _clean_meeting(fields: dict[str, Any], *, timezone: str) -> dict[str, Any]:
    """Validate meeting fields; ``starts_local`` (naive wall time in ``timezone``, or a text
    in ISO form) becomes ``starts_at`` in UTC."""
    cleaned: dict[str, Any] = {}
    if "title" in fields:
        cleaned["title"] = inputs.clean_title(fields["title"])
    if "description" in fields:
        cleaned["description"] = inputs.clean_long_text(fields["description"], "description")
    if "place" in fields:
        cleaned["place"] = inputs.clean_place(fields["place"])
    if "video_link" in fields:
        cleaned["video_link"] = inputs.clean_url(fields["video_link"])
    if "duration_minutes" in fields:
        cleaned["duration_minutes"] = inputs.clean_minutes(
            fields["duration_minutes"], maximum=inputs.MAX_MEETING_MINUTES
        )
    raw_start = fields.get("starts_local", fields.get("starts_at"))
    if raw_start is not None:
        local = inputs.parse_local_datetime(raw_start, "starts_at")
        cleaned["starts_at"] = inputs.check_plausible(inputs.local_to_utc(local, timezone))
    return cleaned


def create_meeting(
    actor: User,
    group: CreditGroup,
    *,
    title: str,
    starts_local: datetime | str | None = None,
    starts_at: datetime | str | None = None,
    duration_minutes: int | str = 120,
    timezone: str | None = None,
    place: str = "",
    video_link: str = "",
    description: str = "",
    series: MeetingSeries | None = None,
) -> Meeting:
    """A new draft meeting with its first agenda (the statements first, then the series'
    standing items, the previous minutes and open actions).

    ``starts_local`` is the wall-clock start in ``timezone`` (the group's by default);
    ``starts_at`` may be given instead as an aware datetime.
    """
    require_facilitator(actor, group)
    if series is not None and series.group_id != group.id:
        raise NotFound("No such meeting series.")
    zone = inputs.clean_zone(timezone or (series.timezone if series else group.timezone))
    start = starts_local if starts_local is not None else starts_at
    if start is None:
        raise ValidationError("starts_at", "Enter when the meeting starts.")
    fields = _clean_meeting(
        {
            "title": title,
            "description": description,
            "place": place,
            "video_link": video_link,
            "duration_minutes": duration_minutes,
            "starts_local": start,
        },
        timezone=zone,
    )
    meeting = Meeting(
        group_id=group.id,
        group=group,
        series=series,
        timezone=zone,
        status=MeetingStatus.DRAFT,
        **fields,
    )
    db.session.add(meeting)
    db.session.flush()
    from credgroup.meetings import agenda

    agenda.initial_agenda(meeting)
    record(
        actor,
        "meetings.created",
        target_type="meeting",
        target_label=meeting.title,
        group=group,
        meeting=meeting.public_id,
    )
    return meeting


def update_meeting(actor: User, meeting: Meeting, **fields: Any) -> Meeting:
    """Change a meeting. A new start re-times its reminders (their keys contain the start);
    the calendar SEQUENCE goes up so subscribed calendars pick the change up."""
    require_facilitator(actor, meeting.group)
    _require_changeable(meeting)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"not meeting fields: {sorted(unknown)}")
    zone = meeting.timezone
    if "timezone" in fields:
        zone = inputs.clean_zone(fields.pop("timezone"))
        if "starts_local" not in fields and "starts_at" not in fields:
            # Keep the wall-clock start: "10:00" means 10:00 in the new zone.
            fields["starts_local"] = local_start(meeting).replace(tzinfo=None)
    cleaned = _clean_meeting(fields, timezone=zone)
    cleaned["timezone"] = zone
    changed = {name for name, value in cleaned.items() if getattr(meeting, name) != value}
    for name in changed:
        setattr(meeting, name, cleaned[name])
    if changed:
        touch(meeting)
        db.session.flush()
        record(
            actor,
            "meetings.updated",
            target_type="meeting",
            target_label=meeting.title,
            group=meeting.group,
            meeting=meeting.public_id,
            fields=sorted(changed),
        )
    return meeting


def publish_meeting(actor: User, meeting: Meeting) -> Meeting:
    """Show a draft meeting to the group's members (and their calendars)."""
    require_facilitator(actor, meeting.group)
    _require_changeable(meeting)
    if meeting.status is not MeetingStatus.DRAFT:
        raise ValidationError(None, "Only a draft meeting can be published.")
    meeting.status = MeetingStatus.PUBLISHED
    touch(meeting)
    db.session.flush()
    record(
        actor,
        "meetings.published",
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
    )
    return meeting


def cancel_meeting(actor: User, meeting: Meeting, reason: str = "") -> Meeting:
    """Cancel a meeting: calendars show it cancelled (STATUS:CANCELLED, new SEQUENCE), no more
    reminders go out, and invitees of a published meeting are told by email."""
    require_facilitator(actor, meeting.group)
    if meeting.status is MeetingStatus.CANCELLED:
        raise ValidationError(None, "This meeting is already cancelled.")
    if meeting.status is MeetingStatus.HELD:
        raise ValidationError(None, "This meeting was held; it cannot be cancelled.")
    reason = inputs.clean_long_text(reason, "reason", inputs.NOTE_MAX)
    was_published = meeting.status is MeetingStatus.PUBLISHED
    meeting.status = MeetingStatus.CANCELLED
    touch(meeting)
    if meeting.call is not None and meeting.call.is_open:
        meeting.call.is_open = False
        meeting.call.closed_at = datetime.now(UTC)
    db.session.flush()
    if was_published:
        _tell_cancelled(meeting, reason)
    record(
        actor,
        "meetings.cancelled",
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
    )
    return meeting


def _tell_cancelled(meeting: Meeting, reason: str) -> None:
    from credgroup.meetings.reminders import email_context

    for person in meeting_audience(meeting):
        queue_email(
            person.email,
            f"Cancelled: {meeting.title}",
            "meetings/cancelled",
            dedupe_key=f"meeting-cancelled:{meeting.public_id}:{meeting.sequence}:{person.id}",
            reason=reason,
            **email_context(meeting, person),
        )


def mark_held(actor: User, meeting: Meeting) -> Meeting:
    """The meeting took place (after its start): minutes and attendance follow."""
    require_facilitator(actor, meeting.group)
    _require_changeable(meeting)
    if meeting.status is MeetingStatus.HELD:
        return meeting
    if meeting.starts_at > datetime.now(UTC):
        raise ValidationError(None, "A meeting can be marked as held once it has started.")
    meeting.status = MeetingStatus.HELD
    db.session.flush()
    record(
        actor,
        "meetings.held",
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
    )
    return meeting


def last_meeting(group: CreditGroup, series: MeetingSeries | None = None) -> Meeting | None:
    """The latest meeting of the group (or series), not cancelled if there is such a one."""
    query = sa.select(Meeting).where(Meeting.group_id == group.id)
    if series is not None:
        query = query.where(Meeting.series_id == series.id)
    ordered = query.order_by(Meeting.starts_at.desc()).limit(1)
    return db.session.scalar(
        ordered.where(Meeting.status != MeetingStatus.CANCELLED)
    ) or db.session.scalar(ordered)


CLONED_KINDS = (ItemKind.OTHER, ItemKind.TREND_REPORT)


def clone_from_last(
    actor: User, group: CreditGroup, series: MeetingSeries | None = None
) -> Meeting:
    """A draft copy of the last meeting, one cadence later (the series', else monthly) on the
    same weekday of the month at the same local time; its fixed items come along, its
    submitted items do not."""
    require_facilitator(actor, group)
    if series is not None and series.group_id != group.id:
        raise NotFound("No such meeting series.")
    last = last_meeting(group, series)
    if last is None:
        raise ValidationError(None, "There is no earlier meeting to copy; create one first.")
    series = series or last.series
    cadence = series.cadence if series is not None else Cadence.MONTHLY
    tz = ZoneInfo(last.timezone)
    now_local = datetime.now(UTC).astimezone(tz).replace(tzinfo=None)
    start = next_local_start(local_start(last).replace(tzinfo=None), cadence, now_local)
    meeting = create_meeting(
        actor,
        group,
        title=last.title,
        starts_local=start,
        duration_minutes=last.duration_minutes,
        timezone=last.timezone,
        place=last.place,
        video_link=last.video_link,
        description=last.description,
        series=series,
    )
    from credgroup.meetings import agenda

    agenda.copy_fixed_items(last, meeting)
    return meeting
