"""Reminder emails through the outbox, each sent exactly once.

* the meeting, ``MEETING_REMINDER_DAYS`` before it starts, with the agenda and the .ics;
* the call for items, ``MEETING_CALL_REMINDER_DAYS`` before its deadline;
* an open action item once it is past its due date (to its owner, else the facilitators).

"Exactly once" is a row in ``meeting_reminder_log`` with a unique (kind, period key), written
in the same transaction as the emails: a worker that restarts, or two that race, cannot
send a reminder twice (the loser's insert fails and its emails roll back with it). The key
holds what the reminder is about *as scheduled* (the meeting's start, the deadline, the due
date), so rescheduling re-times the reminder instead of silencing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from credgroup.extensions import db
from credgroup.groups.access import can_view_group
from credgroup.meetings.agenda import agenda_rows
from credgroup.meetings.calendar import ics_filename, meeting_ics
from credgroup.meetings.meetings import meeting_audience
from credgroup.meetings.models import (
    ActionItem,
    ActionStatus,
    CallForItems,
    Meeting,
    MeetingStatus,
    ReminderKind,
    ReminderLog,
    Rsvp,
    RsvpAnswer,
)
from credgroup.notify.services import Attachment, queue_email

if TYPE_CHECKING:
    from credgroup.accounts.models import User

DEFAULT_MEETING_DAYS = 7
DEFAULT_CALL_DAYS = 2


@dataclass
class ReminderResult:
    meetings: int = 0
    calls: int = 0
    actions: int = 0
    emails: int = 0

    def __str__(self) -> str:
        return (
            f"{self.meetings} meeting, {self.calls} call and {self.actions} action reminders "
            f"({self.emails} emails)"
        )


def _days(name: str, default: int) -> timedelta:
    return timedelta(days=int(current_app.config.get(name, default)))


def _claim(kind: ReminderKind, key: str, **targets: Any) -> bool:
    """Record that this reminder is being sent; False if it already was. The unique key makes
    a concurrent second sender fail at commit, rolling its emails back."""
    exists = db.session.scalar(
        sa.select(ReminderLog.id).where(ReminderLog.kind == kind, ReminderLog.period_key == key)
    )
    if exists is not None:
        return False
    db.session.add(ReminderLog(kind=kind, period_key=key, **targets))
    db.session.flush()
    return True


def meeting_url(meeting: Meeting) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/meetings/{meeting.public_id}"


def _person_zone(person: User | None, meeting: Meeting) -> ZoneInfo:
    try:
        return ZoneInfo((person.timezone if person else None) or meeting.timezone)
    except (KeyError, ValueError):
        return ZoneInfo(meeting.timezone)


def email_context(meeting: Meeting, person: User | None) -> dict[str, Any]:
    """What meeting emails say: times in the recipient's zone and the meeting's, the
    agenda's titles and times (never the facilitator's notes, never who proposed an item)."""
    zone = _person_zone(person, meeting)
    meeting_zone = ZoneInfo(meeting.timezone)
    return {
        "meeting": {
            "title": meeting.title,
            "group": meeting.group.name,
            "starts_local": meeting.starts_at.astimezone(zone).strftime("%A %d %B %Y, %H:%M %Z"),
            "starts_meeting_tz": meeting.starts_at.astimezone(meeting_zone).strftime("%H:%M %Z"),
            "timezone": meeting.timezone,
            "duration": meeting.duration_minutes,
            "place": meeting.place,
            "video_link": meeting.video_link,
            "url": meeting_url(meeting),
        },
        "agenda": [
            {
                "number": row.number,
                "time": row.starts_at.astimezone(zone).strftime("%H:%M"),
                "title": row.item.title,
                "minutes": row.item.duration_minutes,
            }
            for row in agenda_rows(meeting, None)
        ],
    }


# --- meeting reminders -------------------------------------------------------------------------


def due_meetings(now: datetime) -> list[Meeting]:
    window = _days("MEETING_REMINDER_DAYS", DEFAULT_MEETING_DAYS)
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.status == MeetingStatus.PUBLISHED,
                Meeting.starts_at > now,
                Meeting.starts_at <= now + window,
            )
            .order_by(Meeting.starts_at)
        )
    )


def meeting_reminder_key(meeting: Meeting) -> str:
    return f"{meeting.public_id}:{meeting.starts_at.astimezone(UTC):%Y%m%dT%H%MZ}"


def send_meeting_reminder(meeting: Meeting) -> int:
    """Email everyone invited (except those who said no) with the .ics attached, once per
    scheduled start. Returns the number of emails queued."""
    key = meeting_reminder_key(meeting)
    if not _claim(ReminderKind.MEETING, key, meeting_id=meeting.id):
        return 0
    declined = set(
        db.session.scalars(
            sa.select(Rsvp.user_id).where(
                Rsvp.meeting_id == meeting.id, Rsvp.answer == RsvpAnswer.NO
            )
        )
    )
    attachment = Attachment(
        ics_filename(meeting), "text/calendar; method=PUBLISH", meeting_ics(meeting).decode()
    )
    sent = 0
    for person in meeting_audience(meeting):
        if person.id in declined:
            continue
        queued = queue_email(
            person.email,
            f"Reminder: {meeting.title} on {_short_date(meeting, person)}",
            "meetings/reminder",
            dedupe_key=f"meeting-reminder:{key}:{person.public_id}",
            attachment=attachment,
            **email_context(meeting, person),
        )
        sent += queued is not None
    _set_recipients(ReminderKind.MEETING, key, sent)
    return sent


def _short_date(meeting: Meeting, person: User) -> str:
    return meeting.starts_at.astimezone(_person_zone(person, meeting)).strftime("%d %b %Y")


def _set_recipients(kind: ReminderKind, key: str, count: int) -> None:
    db.session.execute(
        sa.update(ReminderLog)
        .where(ReminderLog.kind == kind, ReminderLog.period_key == key)
        .values(recipients=count)
        .execution_options(synchronize_session=False)
    )


# --- call-for-items deadline ------------------------------------------------------------------


def due_calls(now: datetime) -> list[CallForItems]:
    window = _days("MEETING_CALL_REMINDER_DAYS", DEFAULT_CALL_DAYS)
    return list(
        db.session.scalars(
            sa.select(CallForItems)
            .join(Meeting, Meeting.id == CallForItems.meeting_id)
            .where(
                CallForItems.is_open.is_(True),
                Meeting.status.in_((MeetingStatus.DRAFT, MeetingStatus.PUBLISHED)),
                CallForItems.deadline > now,
                CallForItems.deadline <= now + window,
            )
            .order_by(CallForItems.deadline)
        )
    )


def send_call_reminder(call: CallForItems) -> int:
    """Tell the group's members the deadline for items is near (once per deadline)."""
    meeting = call.meeting
    key = f"{call.public_id}:{call.deadline.astimezone(UTC):%Y%m%dT%H%MZ}"
    if not _claim(ReminderKind.CALL_DEADLINE, key, meeting_id=meeting.id, call_id=call.id):
        return 0
    sent = 0
    for person in meeting_audience(meeting):
        if person.is_staff:
            continue
        zone = _person_zone(person, meeting)
        queued = queue_email(
            person.email,
            f"Items for {meeting.title}: deadline {call.deadline.astimezone(zone):%d %b}",
            "meetings/call_deadline",
            dedupe_key=f"call-reminder:{key}:{person.public_id}",
            deadline=call.deadline.astimezone(zone).strftime("%A %d %B %Y, %H:%M %Z"),
            submit_url=f"{meeting_url(meeting)}/items/new",
            **email_context(meeting, person),
        )
        sent += queued is not None
    _set_recipients(ReminderKind.CALL_DEADLINE, key, sent)
    return sent


# --- overdue action items -----------------------------------------------------------------------


def overdue_actions(now: datetime) -> list[ActionItem]:
    """Open actions whose due date has passed where the group meets (one day of slack for
    the zones: the exact check is per group below)."""
    candidates = db.session.scalars(
        sa.select(ActionItem)
        .join(Meeting, Meeting.id == ActionItem.meeting_id)
        .where(
            ActionItem.status == ActionStatus.OPEN,
            ActionItem.due_on.is_not(None),
            ActionItem.due_on < (now + timedelta(days=1)).date(),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    overdue = []
    for action in candidates:
        today = now.astimezone(ZoneInfo(action.meeting.group.timezone)).date()
        if action.due_on < today:
            overdue.append(action)
    return overdue


def send_action_reminder(action: ActionItem) -> int:
    """Remind the owner (or, with no owner who can still see the group, its facilitators)
    once per due date: moving the due date re-arms the reminder."""
    key = f"{action.public_id}:{action.due_on.isoformat()}"
    if not _claim(
        ReminderKind.ACTION_OVERDUE, key, meeting_id=action.meeting_id, action_item_id=action.id
    ):
        return 0
    meeting = action.meeting
    owner = action.owner
    if owner is not None and owner.active and can_view_group(owner, meeting.group):
        recipients = [owner]
    else:
        recipients = [p for p in meeting_audience(meeting) if p.is_staff]
    sent = 0
    for person in recipients:
        queued = queue_email(
            person.email,
            f"Overdue action from {meeting.title}",
            "meetings/action_overdue",
            dedupe_key=f"action-reminder:{key}:{person.public_id}",
            action={
                "what": action.what,
                "owner": action.owner_label or (owner.name if owner else ""),
                "due": action.due_on.strftime("%d %b %Y"),
            },
            **email_context(meeting, person),
        )
        sent += queued is not None
    _set_recipients(ReminderKind.ACTION_OVERDUE, key, sent)
    return sent


# --- all of it ----------------------------------------------------------------------------------


def send_due_reminders(now: datetime | None = None) -> ReminderResult:
    """Queue every reminder that is due and not yet sent. The caller commits."""
    now = now or datetime.now(UTC)
    result = ReminderResult()
    for meeting in due_meetings(now):
        sent = send_meeting_reminder(meeting)
        result.meetings += bool(sent)
        result.emails += sent
    for call in due_calls(now):
        sent = send_call_reminder(call)
        result.calls += bool(sent)
        result.emails += sent
    for action in overdue_actions(now):
        sent = send_action_reminder(action)
        result.actions += bool(sent)
        result.emails += sent
    return result
