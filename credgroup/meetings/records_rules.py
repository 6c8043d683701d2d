"""Rules shared by the meeting records (RSVPs, attendance, acknowledgements, minutes,
actions): which meetings accept them, who counts as a person of the meeting, clean text.

Every cleaner raises ``ValidationError(field, message)`` naming the input at fault, so pages
show the message next to the field and the API answers 422 with ``field``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from credgroup.db import utcnow
from credgroup.errors import ValidationError
from credgroup.meetings.inputs import TEXT_MAX, clean_long_text
from credgroup.meetings.meetings import ends_at, meeting_audience
from credgroup.meetings.models import Meeting, MeetingStatus

if TYPE_CHECKING:
    from credgroup.accounts.models import User

MAX_PERSON_ID = 64


def clean_record_text(value: Any, field: str, max_length: int = TEXT_MAX) -> str:
    """Trimmed text with Unix line ends; NUL characters are refused (PostgreSQL cannot store
    them, and no person types one)."""
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError(field, "The text contains a NUL character, which is not allowed.")
    return clean_long_text(value, field, max_length)


def refuse_unless_scheduled(meeting: Meeting, field: str) -> None:
    """Cancelled, draft and already held meetings take no answers (RSVPs, acknowledgements)."""
    if meeting.status is MeetingStatus.CANCELLED:
        raise ValidationError(field, "This meeting was cancelled.")
    if meeting.status is MeetingStatus.DRAFT:
        raise ValidationError(field, "This meeting is not published yet.")
    if meeting.status is MeetingStatus.HELD or has_ended(meeting):
        raise ValidationError(field, "This meeting has already taken place.")


def refuse_unless_taking_place(meeting: Meeting, field: str) -> None:
    """Attendance and minutes belong to a meeting that was (or is being) held."""
    if meeting.status is MeetingStatus.CANCELLED:
        raise ValidationError(field, "This meeting was cancelled.")
    if meeting.status is MeetingStatus.DRAFT:
        raise ValidationError(field, "This meeting is not published yet.")


def has_ended(meeting: Meeting, now: datetime | None = None) -> bool:
    return ends_at(meeting) <= (now or utcnow())


def has_started(meeting: Meeting, now: datetime | None = None) -> bool:
    return meeting.starts_at <= (now or utcnow())


def audience_by_public_id(meeting: Meeting) -> dict[str, User]:
    """The people who may take part in the meeting, by their public id."""
    return {person.public_id: person for person in meeting_audience(meeting)}


def person_of_meeting(meeting: Meeting, public_id: Any, field: str) -> User:
    """A person of the meeting's group (member or facilitator), named by public id."""
    if not isinstance(public_id, str) or not public_id.strip() or len(public_id) > MAX_PERSON_ID:
        raise ValidationError(field, "Choose a person of this group.")
    person = audience_by_public_id(meeting).get(public_id.strip())
    if person is None:
        raise ValidationError(field, "That person is not in this group.")
    return person
