"""Demo records for a past meeting: answers, attendance, acknowledgements before the
meeting, published minutes with an attendee's approval, and action items (one overdue, so
the reminders job has something to do).

Called by the meetings demo (``credgroup/meetings/demo.py``) for held meetings. Rows are
written directly with times around the meeting (the services refuse RSVPs and
acknowledgements once a meeting is over, rightly), and no email is queued for the past.
Idempotent: a meeting that already has minutes is left alone. The caller commits.
"""

from __future__ import annotations

from datetime import timedelta

from credgroup.extensions import db
from credgroup.meetings.agenda import ordered_items
from credgroup.meetings.compliance import statements_digest
from credgroup.meetings.meetings import meeting_audience
from credgroup.meetings.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceMode,
    ItemKind,
    Meeting,
    Minutes,
    MinutesEntry,
    MinutesReview,
    MinutesState,
    Rsvp,
    RsvpAnswer,
    StatementAcknowledgement,
)

TEXTS = {
    ItemKind.STATEMENTS: ("The facilitator read the three statements.", ""),
    ItemKind.MINUTES_APPROVAL: ("The minutes of the previous meeting were approved.", ""),
    ItemKind.ACTION_REVIEW: ("Open action items were reviewed.", "Overdue items stay open."),
}
DISCUSSED = (
    "Several members described the same behaviour since the last meeting. Workarounds "
    "that helped were shared; facts only, no names of member companies.",
    "Members who have not met it will watch the portal and report through credgroup.",
)


def add_demo_records(meeting: Meeting) -> None:
    """Fill a held meeting's records (see the module docstring)."""
    if meeting.minutes is not None:
        return
    people = meeting_audience(meeting)
    staff = next((p for p in people if p.is_staff), None)
    present = [p for index, p in enumerate(people) if p.is_staff or index % 3 != 2]
    _attendance(meeting, people, present, staff)
    _minutes(meeting, present)
    _actions(meeting, [p for p in present if not p.is_staff])
    db.session.flush()


def _attendance(meeting: Meeting, people, present, staff) -> None:
    start = meeting.starts_at
    digest = statements_digest(meeting.group)
    for index, person in enumerate(people):
        came = person in present
        mode = AttendanceMode.REMOTE if index % 2 else AttendanceMode.IN_PERSON
        db.session.add(
            Rsvp(
                meeting_id=meeting.id,
                user_id=person.id,
                answer=RsvpAnswer.YES if came else RsvpAnswer.NO,
                attendance=mode if came else None,
                responded_at=start - timedelta(days=6, hours=index),
            )
        )
        db.session.add(
            Attendance(
                meeting_id=meeting.id,
                user_id=person.id,
                present=came,
                attendance=mode if came else None,
                recorded_by_id=staff.id if staff else None,
                recorded_at=start + timedelta(minutes=10),
            )
        )
        if came:
            db.session.add(
                StatementAcknowledgement(
                    meeting_id=meeting.id,
                    user_id=person.id,
                    acknowledged_at=start - timedelta(hours=20 - index % 12),
                    statements_digest=digest,
                )
            )


def _minutes(meeting: Meeting, present) -> None:
    minutes = Minutes(
        meeting_id=meeting.id,
        state=MinutesState.PUBLISHED,
        summary=f"{len(present)} people attended, in person and by video.",
        review_started_at=meeting.starts_at + timedelta(days=1),
        published_at=meeting.starts_at + timedelta(days=4),
    )
    meeting.minutes = minutes
    for item in ordered_items(meeting):
        text, decisions = TEXTS.get(item.kind, DISCUSSED)
        minutes.entries.append(MinutesEntry(agenda_item_id=item.id, text=text, decisions=decisions))
    reviewer = next((p for p in present if not p.is_staff), None)
    if reviewer is not None:
        minutes.reviews.append(
            MinutesReview(
                user_id=reviewer.id,
                approved=True,
                reviewed_at=meeting.starts_at + timedelta(days=2),
            )
        )


def _actions(meeting: Meeting, members) -> None:
    items = [i for i in ordered_items(meeting) if i.kind in (ItemKind.OTHER, ItemKind.SUBMITTED)]
    under = items[0].id if items else None
    start_day = meeting.starts_at.date()
    if members:
        db.session.add(
            ActionItem(
                meeting_id=meeting.id,
                agenda_item_id=under,
                what="Share the portal's rejection code list with the group",
                owner_user_id=members[0].id,
                due_on=start_day + timedelta(days=21),
                status=ActionStatus.OPEN,
            )
        )
    db.session.add(
        ActionItem(
            meeting_id=meeting.id,
            agenda_item_id=under,
            what="Ask the portal vendor's supplier support for an escalation contact",
            owner_label="Facilitator",
            due_on=start_day + timedelta(days=14),
            status=ActionStatus.DONE,
            completed_on=start_day + timedelta(days=10),
        )
    )
