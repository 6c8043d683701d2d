"""Minutes: what was said and decided under each agenda item, written by the facilitator,
reviewed by the attendees (approve, or comment), then published to the group.

Who sees them: drafts only the group's facilitators; minutes in review also the attendees
(the people recorded as present); published minutes everyone who sees the meeting.

Anonymity: an agenda item is shown by its own title only. Minutes never look at the item
submissions, so nothing here can say who proposed an item, least of all an anonymous one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import url_for

from credgroup.audit.services import record
from credgroup.db import utcnow
from credgroup.errors import Conflict, NotFound, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import is_facilitator, require_facilitator
from credgroup.meetings.agenda import mark_unfinished, ordered_items
from credgroup.meetings.attendance import attendees, is_attendee
from credgroup.meetings.inputs import NOTE_MAX, TEXT_MAX
from credgroup.meetings.models import (
    ActionItem,
    AgendaItem,
    Meeting,
    Minutes,
    MinutesEntry,
    MinutesReview,
    MinutesState,
)
from credgroup.meetings.records_rules import clean_record_text, refuse_unless_taking_place
from credgroup.notify.services import queue_email
from credgroup.reports.notifications import absolute_url

if TYPE_CHECKING:
    from credgroup.accounts.models import User

MAX_ITEM_ID = 64
NOT_VISIBLE = "These minutes are not published yet."


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesRow:
    """One agenda item in the minutes: its number and title, what was said and decided,
    and the action items agreed under it."""

    number: int
    item: AgendaItem
    text: str
    decisions: str
    actions: list[ActionItem] = field(default_factory=list)


@dataclass(frozen=True)
class MinutesView:
    meeting: Meeting
    minutes: Minutes | None
    rows: list[MinutesRow]
    other_actions: list[ActionItem]  # not tied to an agenda item
    can_edit: bool
    can_review: bool
    my_review: MinutesReview | None
    reviews: list[MinutesReview]  # everyone's: facilitators only; else empty

    @property
    def state(self) -> MinutesState | None:
        return self.minutes.state if self.minutes else None

    @property
    def approvals(self) -> int:
        return sum(1 for review in self.reviews if review.approved)


def can_read(viewer: User, meeting: Meeting, minutes: Minutes | None) -> bool:
    """Drafts: facilitators. In review: facilitators and attendees. Published: everyone
    who may see the meeting (the caller has checked that)."""
    if is_facilitator(viewer, meeting.group):
        return True
    if minutes is None or minutes.state is MinutesState.DRAFT:
        return False
    if minutes.state is MinutesState.REVIEW:
        return is_attendee(viewer, meeting)
    return True


def minutes_view(viewer: User, meeting: Meeting) -> MinutesView:
    """The minutes of a meeting the viewer can see (NotFound when they may not read them)."""
    minutes = meeting.minutes
    if not can_read(viewer, meeting, minutes):
        raise NotFound(NOT_VISIBLE)
    staff = is_facilitator(viewer, meeting.group)
    reviews = list(minutes.reviews) if minutes else []
    mine = next((r for r in reviews if r.user_id == viewer.id), None)
    rows, loose = _rows(meeting, minutes)
    return MinutesView(
        meeting=meeting,
        minutes=minutes,
        rows=rows,
        other_actions=loose,
        can_edit=staff and (minutes is None or minutes.state is not MinutesState.PUBLISHED),
        can_review=bool(minutes)
        and minutes.state is MinutesState.REVIEW
        and is_attendee(viewer, meeting),
        my_review=mine,
        reviews=sorted(reviews, key=lambda r: r.reviewed_at) if staff else [],
    )


def _rows(meeting: Meeting, minutes: Minutes | None) -> tuple[list[MinutesRow], list[ActionItem]]:
    entries = {e.agenda_item_id: e for e in (minutes.entries if minutes else [])}
    from credgroup.meetings.actions import meeting_actions

    actions = meeting_actions(meeting)
    rows = [
        MinutesRow(
            number=number,
            item=item,
            text=entries[item.id].text if item.id in entries else "",
            decisions=entries[item.id].decisions if item.id in entries else "",
            actions=[a for a in actions if a.agenda_item_id == item.id],
        )
        for number, item in enumerate(ordered_items(meeting), start=1)
    ]
    item_ids = {item.id for item in meeting.items}
    return rows, [a for a in actions if a.agenda_item_id not in item_ids]


def minutes_url(meeting: Meeting) -> str:
    return url_for("meeting_records.minutes", public_id=meeting.public_id)


# --- writing (facilitator) --------------------------------------------------------------------


def start_minutes(actor: User, meeting: Meeting) -> Minutes:
    """The meeting's minutes, created as a draft the first time."""
    require_facilitator(actor, meeting.group)
    refuse_unless_taking_place(meeting, "summary")
    if meeting.minutes is None:
        meeting.minutes = Minutes(meeting_id=meeting.id, state=MinutesState.DRAFT)
        db.session.flush()
    return meeting.minutes


def save_minutes(
    actor: User,
    meeting: Meeting,
    *,
    summary: Any = None,
    entries: Mapping[str, Mapping[str, Any]] | None = None,
) -> Minutes:
    """Write the summary and, per agenda item (by its public id), ``text``, ``decisions``
    and optionally ``unfinished`` (true: the item rolls into the next meeting's call).
    Items left out keep what they had. Published minutes cannot change."""
    minutes = start_minutes(actor, meeting)
    if minutes.state is MinutesState.PUBLISHED:
        raise Conflict("These minutes are published and can no longer be changed.")
    cleaned = _clean_entries(meeting, entries or {})
    if summary is not None:
        minutes.summary = clean_record_text(summary, "summary", TEXT_MAX)
    existing = {e.agenda_item_id: e for e in minutes.entries}
    for item, (text, decisions, unfinished) in cleaned:
        entry = existing.get(item.id)
        if entry is None:
            entry = MinutesEntry(agenda_item_id=item.id)
            minutes.entries.append(entry)
        entry.text, entry.decisions = text, decisions
        if unfinished is not None and unfinished != item.unfinished:
            mark_unfinished(actor, item, unfinished)
    minutes.updated_at = utcnow()
    db.session.flush()
    return minutes


def _clean_entries(
    meeting: Meeting, entries: Mapping[str, Mapping[str, Any]]
) -> list[tuple[AgendaItem, tuple[str, str, bool | None]]]:
    items = {item.public_id: item for item in meeting.items}
    cleaned = []
    for public_id, values in entries.items():
        item = items.get(public_id) if isinstance(public_id, str) else None
        if item is None:
            raise ValidationError("entries", "An entry names an item that is not on this agenda.")
        if not isinstance(values, Mapping):
            raise ValidationError("entries", "Each entry needs its text and decisions.")
        text = clean_record_text(values.get("text"), f"text__{public_id}")
        decisions = clean_record_text(values.get("decisions"), f"decisions__{public_id}")
        unfinished = values.get("unfinished")
        if unfinished is not None and not isinstance(unfinished, bool):
            raise ValidationError(f"unfinished__{public_id}", "'unfinished' must be true or false.")
        cleaned.append((item, (text, decisions, unfinished)))
    return cleaned


def send_for_review(actor: User, meeting: Meeting) -> Minutes:
    """Draft -> review: the attendees are asked (by email) to approve or comment."""
    minutes = start_minutes(actor, meeting)
    if minutes.state is not MinutesState.DRAFT:
        raise ValidationError(None, "Only draft minutes can be sent for review.")
    reviewers = [person for person in attendees(meeting) if person.id != actor.id]
    if not attendees(meeting):
        raise ValidationError(
            None, "Take attendance first: the attendees are the ones who review the minutes."
        )
    minutes.state, minutes.review_started_at = MinutesState.REVIEW, utcnow()
    db.session.flush()
    for person in reviewers:
        _ask_for_review(meeting, minutes, person)
    _audit(actor, "meeting.minutes_sent_for_review", meeting, reviewers=len(reviewers))
    return minutes


def _ask_for_review(meeting: Meeting, minutes: Minutes, person: User) -> None:
    stamp = int(minutes.review_started_at.timestamp()) if minutes.review_started_at else 0
    queue_email(
        person.email,
        f"Please review the minutes: {meeting.title}",
        "meetings/minutes_review",
        dedupe_key=f"minutes-review:{minutes.public_id}:{stamp}:{person.public_id}",
        name=person.name,
        meeting=meeting,
        group_name=meeting.group.name,
        url=absolute_url("meeting_records.minutes", public_id=meeting.public_id),
    )


def back_to_draft(actor: User, meeting: Meeting) -> Minutes:
    """Review -> draft, to rework the minutes after comments (the reviews are kept)."""
    minutes = start_minutes(actor, meeting)
    if minutes.state is not MinutesState.REVIEW:
        raise ValidationError(None, "Only minutes in review can go back to draft.")
    minutes.state = MinutesState.DRAFT
    db.session.flush()
    _audit(actor, "meeting.minutes_back_to_draft", meeting)
    return minutes


def publish_minutes(actor: User, meeting: Meeting) -> Minutes:
    """Review -> published: the group's members can read them."""
    minutes = start_minutes(actor, meeting)
    if minutes.state is not MinutesState.REVIEW:
        raise ValidationError(None, "Send the minutes to the attendees for review first.")
    minutes.state, minutes.published_at = MinutesState.PUBLISHED, utcnow()
    db.session.flush()
    approvals = sum(1 for review in minutes.reviews if review.approved)
    _audit(actor, "meeting.minutes_published", meeting, approvals=approvals)
    return minutes


def _audit(actor: User, action: str, meeting: Meeting, **details: Any) -> None:
    record(
        actor,
        action,
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
        **details,
    )


# --- review (attendees) -----------------------------------------------------------------------


def review_minutes(
    user: User, meeting: Meeting, *, approve: Any, comment: Any = ""
) -> MinutesReview:
    """An attendee approves the minutes, or comments on them (or both). Reviewing again
    replaces the earlier review."""
    minutes = meeting.minutes
    if not can_read(user, meeting, minutes) or minutes is None:
        raise NotFound(NOT_VISIBLE)
    if not is_attendee(user, meeting):
        raise PermissionDenied("Only the people who attended review the minutes.")
    if minutes.state is not MinutesState.REVIEW:
        raise ValidationError(None, "These minutes are not open for review.")
    if not isinstance(approve, bool):
        raise ValidationError("approve", "Say whether you approve the minutes.")
    comment = clean_record_text(comment, "comment", NOTE_MAX)
    if not approve and not comment:
        raise ValidationError("comment", "Approve the minutes, or say what should change.")
    review = next((r for r in minutes.reviews if r.user_id == user.id), None)
    if review is None:
        review = MinutesReview(user_id=user.id, user=user)
        minutes.reviews.append(review)
    review.approved, review.comment, review.reviewed_at = approve, comment, utcnow()
    db.session.flush()
    return review


def published_minutes_of(meeting: Meeting) -> Minutes | None:
    minutes = meeting.minutes
    return minutes if minutes and minutes.state is MinutesState.PUBLISHED else None
