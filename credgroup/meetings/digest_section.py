"""The weekly trends email's "next meeting" section: for each of the person's groups, its
next published meeting (title, when in the meeting's own time zone, the agenda's address,
and whether the call for items is open). Registered with ``trends.digest`` by the
meetings feature's ``init_app``.

Nothing in it is about a member: a meeting's title, time and call are what the meeting
page shows every member of the group.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.groups.access import visible_groups
from credgroup.meetings import calls
from credgroup.meetings.meetings import local_start
from credgroup.meetings.models import Meeting, MeetingStatus
from credgroup.reports.notifications import absolute_url

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup

# About when the facilitator calls for items (six weeks before): a meeting further away
# is only news once its call is open, not every week for months.
HORIZON = timedelta(weeks=6)
WHEN_FORMAT = "%A %d %B %Y, %H:%M %Z"


def next_meetings_section(user: User, today: date) -> dict[str, Any] | None:
    """The email section, or None when none of the person's groups meets soon."""
    # From now on: a meeting earlier today is over or under way, not "next".
    start = max(datetime.combine(today, time(), UTC), datetime.now(UTC))
    found = [m for m in (next_meeting(g, start) for g in visible_groups(user)) if m]
    if not found:
        return None
    return {
        "title": "Your next meeting" if len(found) == 1 else "Your groups' next meetings",
        "lines": [meeting_lines(m, start) for m in found],
    }


def next_meeting(group: CreditGroup, start: datetime) -> Meeting | None:
    """The group's first published meeting from ``start`` on, if it is soon or calls for
    items."""
    meeting = db.session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.group_id == group.id,
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.starts_at >= start,
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(1)
    )
    if meeting is None:
        return None
    if meeting.starts_at > start + HORIZON and not calls.accepting(meeting.call, start):
        return None
    return meeting


def meeting_lines(meeting: Meeting, start: datetime) -> str:
    """One list entry: the meeting and when, the call for items, the agenda's address."""
    call = meeting.call
    if calls.accepting(call, start):
        deadline = call.deadline.astimezone(local_start(meeting).tzinfo)  # type: ignore[union-attr]
        call_line = f"The call for items is open until {deadline.strftime(WHEN_FORMAT)}."
    elif call is not None:
        call_line = "The call for items is closed."
    else:
        call_line = "No call for items yet."
    agenda = absolute_url("meetings.meeting_detail", public_id=meeting.public_id) + "#agenda"
    when = local_start(meeting).strftime(WHEN_FORMAT)
    return (
        f"{meeting.group.name}: {meeting.title}, {when} ({meeting.timezone})\n"
        f"  {call_line}\n"
        f"  Agenda: {agenda}"
    )
