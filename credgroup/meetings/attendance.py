"""Attendance: on the day, the facilitator ticks who is present (the group's people and its
staff). Every person on the sheet gets a row, present or not, so the sheet also records who
was expected: the yearly report counts meetings attended out of meetings held.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from credgroup.audit.services import record
from credgroup.db import utcnow
from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.groups.access import require_facilitator
from credgroup.meetings.compliance import acknowledgements
from credgroup.meetings.inputs import clean_enum
from credgroup.meetings.meetings import meeting_audience
from credgroup.meetings.models import Attendance, AttendanceMode, Meeting, Rsvp
from credgroup.meetings.records_rules import MAX_PERSON_ID, refuse_unless_taking_place

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.meetings.models import StatementAcknowledgement

MAX_PEOPLE = 2_000


@dataclass(frozen=True)
class SheetRow:
    """One person on the attendance sheet, with what they said and what was recorded."""

    person: User
    company: str  # "" for association staff
    rsvp: Rsvp | None
    attendance: Attendance | None
    acknowledgement: StatementAcknowledgement | None

    @property
    def present(self) -> bool:
        return bool(self.attendance and self.attendance.present)

    @property
    def mode(self) -> AttendanceMode | None:
        if self.attendance and self.attendance.attendance:
            return self.attendance.attendance
        return self.rsvp.attendance if self.rsvp else None


def sheet_people(meeting: Meeting) -> list[User]:
    """The group's people now, plus anyone already recorded (who may have left since)."""
    people = {person.id: person for person in meeting_audience(meeting)}
    for row in _attendance_rows(meeting):
        people.setdefault(row.user_id, row.user)
    return sorted(people.values(), key=_sort_key)


def _sort_key(person: User) -> tuple[int, str, str]:
    company = person.company.name if person.company else ""
    return (1 if person.is_staff else 0, company.casefold(), person.name.casefold())


def attendance_sheet(actor: User, meeting: Meeting) -> list[SheetRow]:
    """The sheet the facilitator fills in: every person with RSVP, presence and
    acknowledgement."""
    require_facilitator(actor, meeting.group)
    return sheet_rows(meeting)


def sheet_rows(meeting: Meeting) -> list[SheetRow]:
    rsvps = {r.user_id: r for r in db.session.scalars(sa.select(Rsvp).filter_by(meeting=meeting))}
    taken = {a.user_id: a for a in _attendance_rows(meeting)}
    acks = acknowledgements(meeting)
    return [
        SheetRow(
            person=person,
            company=person.company.name if person.company else "",
            rsvp=rsvps.get(person.id),
            attendance=taken.get(person.id),
            acknowledgement=acks.get(person.id),
        )
        for person in sheet_people(meeting)
    ]


def _attendance_rows(meeting: Meeting) -> list[Attendance]:
    return list(
        db.session.scalars(sa.select(Attendance).where(Attendance.meeting_id == meeting.id))
    )


def record_attendance(
    actor: User,
    meeting: Meeting,
    present: Iterable[Any],
    modes: Mapping[str, Any] | None = None,
) -> list[Attendance]:
    """Record who was present (public ids of people on the sheet); everyone else on the
    sheet is recorded as absent. ``modes`` optionally says in person / remote per person.
    Unknown people are refused before anything is written."""
    require_facilitator(actor, meeting.group)
    refuse_unless_taking_place(meeting, "present")
    _refuse_before_the_day(meeting)
    people = {person.public_id: person for person in sheet_people(meeting)}
    present_ids = _known_ids(present, people, "present")
    chosen_modes = _modes(modes or {}, people)
    existing = {a.user_id: a for a in _attendance_rows(meeting)}
    rows = [
        _mark(
            meeting, actor, person, public_id in present_ids, chosen_modes.get(public_id), existing
        )
        for public_id, person in people.items()
    ]
    db.session.flush()
    record(
        actor,
        "meeting.attendance_taken",
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
        present=len(present_ids),
        on_sheet=len(people),
    )
    return rows


def _refuse_before_the_day(meeting: Meeting) -> None:
    zone = ZoneInfo(meeting.timezone)
    if datetime.now(zone).date() < meeting.starts_at.astimezone(zone).date():
        raise ValidationError("present", "Attendance is taken on the day of the meeting.")


def _known_ids(values: Iterable[Any], people: Mapping[str, User], field: str) -> set[str]:
    values = list(values)
    if len(values) > MAX_PEOPLE:
        raise ValidationError(field, "Too many people.")
    ids = set()
    for value in values:
        if not isinstance(value, str) or len(value) > MAX_PERSON_ID or value not in people:
            raise ValidationError(field, "Someone on the list is not a person of this group.")
        ids.add(value)
    return ids


def _modes(modes: Mapping[str, Any], people: Mapping[str, User]) -> dict[str, AttendanceMode]:
    _known_ids(modes.keys(), people, "attendance")
    return {
        key: clean_enum(value, AttendanceMode, "attendance")
        for key, value in modes.items()
        if value not in (None, "")
    }


def _mark(
    meeting: Meeting,
    actor: User,
    person: User,
    present: bool,
    mode: AttendanceMode | None,
    existing: dict[int, Attendance],
) -> Attendance:
    row = existing.get(person.id)
    if row is None:
        row = Attendance(meeting_id=meeting.id, user_id=person.id)
        db.session.add(row)
    row.present = present
    row.attendance = mode if present else None
    row.recorded_by_id, row.recorded_at = actor.id, utcnow()
    return row


def attendance_taken(meeting: Meeting) -> bool:
    return (
        db.session.scalar(sa.select(Attendance.id).where(Attendance.meeting_id == meeting.id))
        is not None
    )


def is_attendee(user: User, meeting: Meeting) -> bool:
    """True when the facilitator recorded the person as present."""
    return (
        db.session.scalar(
            sa.select(Attendance.id).where(
                Attendance.meeting_id == meeting.id,
                Attendance.user_id == user.id,
                Attendance.present.is_(True),
            )
        )
        is not None
    )


def attendees(meeting: Meeting) -> list[User]:
    """The people recorded as present, by name."""
    rows = [a for a in _attendance_rows(meeting) if a.present]
    return sorted((a.user for a in rows), key=_sort_key)
