"""RSVPs: will a person come to a meeting (yes / no / maybe), in person or remotely?

Members of the group and its facilitators answer for themselves. Cancelled, unpublished or
past meetings take no answers. The facilitator sees the list; members see counts only.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from credgroup.db import utcnow
from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import require_facilitator
from credgroup.meetings.inputs import clean_enum
from credgroup.meetings.meetings import can_attend
from credgroup.meetings.models import AttendanceMode, Meeting, Rsvp, RsvpAnswer
from credgroup.meetings.records_rules import refuse_unless_scheduled

if TYPE_CHECKING:
    from credgroup.accounts.models import User


def respond(user: User, meeting: Meeting, answer: Any, attendance: Any = None) -> Rsvp:
    """Record (or change) the person's answer. ``attendance`` is needed for yes or maybe
    when the meeting can be joined both in person and by video; otherwise it is implied."""
    if not can_attend(user, meeting):
        raise NotFound("No such meeting.")
    refuse_unless_scheduled(meeting, "answer")
    answer = clean_enum(answer, RsvpAnswer, "answer")
    mode = _mode(meeting, answer, attendance)
    rsvp = rsvp_of(user, meeting)
    if rsvp is None:
        rsvp = Rsvp(meeting_id=meeting.id, user_id=user.id, answer=answer)
        db.session.add(rsvp)
    rsvp.answer, rsvp.attendance, rsvp.responded_at = answer, mode, utcnow()
    db.session.flush()
    return rsvp


def _mode(meeting: Meeting, answer: RsvpAnswer, attendance: Any) -> AttendanceMode | None:
    if answer is RsvpAnswer.NO:
        return None
    if attendance not in (None, ""):
        mode = clean_enum(attendance, AttendanceMode, "attendance")
        if mode is AttendanceMode.REMOTE and not meeting.video_link:
            raise ValidationError("attendance", "This meeting has no video link: come in person.")
        if mode is AttendanceMode.IN_PERSON and not meeting.place:
            raise ValidationError("attendance", "This meeting is held by video only.")
        return mode
    if meeting.place and meeting.video_link:
        raise ValidationError("attendance", "Say whether you will come in person or join remotely.")
    return AttendanceMode.REMOTE if meeting.video_link else AttendanceMode.IN_PERSON


def rsvp_of(user: User, meeting: Meeting) -> Rsvp | None:
    """The person's own answer, if they gave one."""
    return db.session.scalar(
        sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id)
    )


def rsvp_list(viewer: User, meeting: Meeting) -> list[Rsvp]:
    """Everyone's answers, for the facilitator (by name)."""
    require_facilitator(viewer, meeting.group)
    return list(
        db.session.scalars(
            sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id).order_by(Rsvp.responded_at)
        )
    )


def rsvp_counts(meeting: Meeting) -> dict[str, int]:
    """How many said yes (in person / remote), maybe and no: what members may see."""
    rows = db.session.execute(
        sa.select(Rsvp.answer, Rsvp.attendance).where(Rsvp.meeting_id == meeting.id)
    ).all()
    counts: Counter[str] = Counter()
    for answer, mode in rows:
        counts[answer.value] += 1
        if answer is RsvpAnswer.YES and mode is not None:
            counts[f"yes_{mode.value}"] += 1
    keys = ("yes", "yes_in_person", "yes_remote", "maybe", "no")
    return {key: counts.get(key, 0) for key in keys}
