"""The call for items: the facilitator opens it with a deadline, members submit items openly
or anonymously, the facilitator accepts, merges, defers or rejects them, and deferred and
unfinished items roll into the next meeting's call by themselves.

Anonymity: an anonymous submission keeps no user, only a keyed pseudonym in a scope of its
own (unrelated to report pseudonyms), so its submitter can find and withdraw it and nobody
else, facilitators and admins included, can tell who sent it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from credgroup.anonymity.pseudonyms import group_scope, person_pseudonym
from credgroup.audit.services import record
from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import is_facilitator, is_member, require_facilitator
from credgroup.meetings import inputs
from credgroup.meetings.agenda import _new_item, resolve_article, resolve_report
from credgroup.meetings.meetings import _require_changeable, next_meeting, touch
from credgroup.meetings.models import (
    AgendaItem,
    CallForItems,
    ItemKind,
    ItemMode,
    ItemSubmission,
    Meeting,
    MeetingStatus,
    SubmissionState,
)

if TYPE_CHECKING:
    from credgroup.accounts.models import User

ANONYMOUS_LABEL = "Anonymous member"
MAX_SUBMISSIONS_PER_PERSON = 20
DETAILS_MAX = 5_000


def meeting_pseudonym(user: User, meeting: Meeting) -> str:
    """The submitter's pseudonym for anonymous items of this group (meetings scope only)."""
    return person_pseudonym(user.id, "meetings:" + group_scope(meeting.group_id))


def _now() -> datetime:
    return datetime.now(UTC)


# --- opening and closing --------------------------------------------------------------------


def open_call(actor: User, meeting: Meeting, *, deadline: datetime | str) -> CallForItems:
    """Open (or reopen with a new deadline) the call for items. The deadline is a wall-clock
    time in the meeting's time zone (or aware); it must lie ahead and before the meeting.
    Deferred and unfinished items of earlier meetings roll in at once."""
    require_facilitator(actor, meeting.group)
    _require_changeable(meeting)
    if meeting.status is MeetingStatus.HELD:
        raise ValidationError(None, "This meeting was held; its call for items is over.")
    local = inputs.parse_local_datetime(deadline, "deadline")
    when = inputs.local_to_utc(local, meeting.timezone, "deadline")
    if when <= _now():
        raise ValidationError("deadline", "The deadline must be in the future.")
    if when > meeting.starts_at:
        raise ValidationError("deadline", "The deadline must be before the meeting starts.")
    call = meeting.call
    if call is None:
        call = CallForItems(meeting=meeting, deadline=when, opens_at=_now(), is_open=True)
        db.session.add(call)
    else:
        call.deadline, call.is_open, call.closed_at = when, True, None
    db.session.flush()
    roll_over(actor, meeting)
    record(
        actor,
        "meetings.call_opened",
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
        deadline=when.isoformat(),
    )
    return call


def close_call(actor: User, meeting: Meeting) -> CallForItems:
    require_facilitator(actor, meeting.group)
    call = meeting.call
    if call is None or not call.is_open:
        raise ValidationError(None, "There is no open call for items.")
    call.is_open, call.closed_at = False, _now()
    db.session.flush()
    record(
        actor,
        "meetings.call_closed",
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
    )
    return call


def accepting(call: CallForItems | None, now: datetime | None = None) -> bool:
    """True while members may still submit items."""
    if call is None or not call.is_open or call.meeting.status is MeetingStatus.CANCELLED:
        return False
    return (now or _now()) <= call.deadline


# --- members submit -------------------------------------------------------------------------


def submit_item(
    user: User,
    meeting: Meeting,
    *,
    topic: str,
    details: str = "",
    report: str | None = None,
    article: str | None = None,
    mode: ItemMode | str = ItemMode.DISCUSSION,
    anonymous: bool = False,
) -> ItemSubmission:
    """A member proposes an item while the call is open and before its deadline.
    Anonymous submissions keep only a pseudonym; staff always submit openly."""
    staff = is_facilitator(user, meeting.group)
    if not (is_member(user, meeting.group) or staff):
        raise NotFound("No such meeting.")
    call = meeting.call
    if meeting.status is MeetingStatus.CANCELLED:
        raise ValidationError(None, "This meeting was cancelled.")
    if call is None or not call.is_open:
        raise ValidationError(None, "The call for items for this meeting is not open.")
    if _now() > call.deadline:
        raise ValidationError(None, "The deadline for items has passed; ask the facilitator.")
    if anonymous and staff:
        raise ValidationError("anonymous", "Facilitators submit items openly.")
    fields = {
        "topic": inputs.clean_title(topic, "topic"),
        "details": inputs.clean_long_text(details, "details", DETAILS_MAX),
        "mode": inputs.clean_enum(mode, ItemMode, "mode"),
    }
    linked_report = resolve_report(user, meeting, report)
    linked_article = resolve_article(user, meeting, article)
    pseudonym = meeting_pseudonym(user, meeting) if anonymous else ""
    if len(own_submissions(user, meeting)) >= MAX_SUBMISSIONS_PER_PERSON:
        raise ValidationError("topic", "You have sent the most items one person can send.")
    submission = ItemSubmission(
        meeting=meeting,
        call=call,
        report_id=linked_report.id if linked_report else None,
        article_id=linked_article.id if linked_article else None,
        anonymous=bool(anonymous),
        submitter_id=None if anonymous else user.id,
        submitter_pseudonym=pseudonym,
        by_staff=staff,
        submitted_on=date.today(),
        **fields,
    )
    db.session.add(submission)
    db.session.flush()
    return submission


def is_own(user: User, submission: ItemSubmission) -> bool:
    if submission.anonymous:
        return submission.submitter_pseudonym == meeting_pseudonym(user, submission.meeting)
    return submission.submitter_id == user.id


def own_submissions(user: User, meeting: Meeting) -> list[ItemSubmission]:
    """The person's own submissions to this meeting (open and anonymous)."""
    return list(
        db.session.scalars(
            sa.select(ItemSubmission)
            .where(
                ItemSubmission.meeting_id == meeting.id,
                sa.or_(
                    ItemSubmission.submitter_id == user.id,
                    sa.and_(
                        ItemSubmission.anonymous.is_(True),
                        ItemSubmission.submitter_pseudonym == meeting_pseudonym(user, meeting),
                    ),
                ),
            )
            .order_by(ItemSubmission.id)
        )
    )


def withdraw_submission(user: User, submission: ItemSubmission) -> None:
    """The submitter takes back an item the facilitator has not decided on yet."""
    if not is_own(user, submission):
        raise NotFound("No such item.")
    if submission.state is not SubmissionState.PENDING:
        raise ValidationError(None, "The facilitator has already decided on this item.")
    db.session.delete(submission)
    db.session.flush()


def call_submissions(actor: User, meeting: Meeting) -> list[ItemSubmission]:
    """Every submission to the meeting, for its facilitators (pending first)."""
    require_facilitator(actor, meeting.group)
    order = sa.case((ItemSubmission.state == SubmissionState.PENDING, 0), else_=1)
    return list(
        db.session.scalars(
            sa.select(ItemSubmission)
            .where(ItemSubmission.meeting_id == meeting.id)
            .order_by(order, ItemSubmission.id)
        )
    )


def get_submission(viewer: User, meeting: Meeting, public_id: str) -> ItemSubmission:
    """A submission of this meeting: any for its facilitators, one's own for members.
    Anyone else's looks missing (an anonymous item is never confirmed to be someone's)."""
    submission = None
    if isinstance(public_id, str) and len(public_id) <= 64:
        submission = db.session.scalar(
            sa.select(ItemSubmission).where(
                ItemSubmission.public_id == public_id, ItemSubmission.meeting_id == meeting.id
            )
        )
    if submission is None or not (
        is_facilitator(viewer, meeting.group) or is_own(viewer, submission)
    ):
        raise NotFound("No such item.")
    return submission


def submitter_label(submission: ItemSubmission) -> str:
    """Who sent it, as shown to facilitators: a name only for open submissions."""
    if submission.anonymous:
        return ANONYMOUS_LABEL
    if submission.submitter_id is None:
        return "Carried over" if submission.by_staff else "A member"
    from credgroup.accounts.models import User

    person = db.session.get(User, submission.submitter_id)
    if person is None:
        return "A member"
    company = person.company.name if person.company is not None else "Facilitator"
    return f"{person.name} ({company})"


# --- the facilitator decides ------------------------------------------------------------------


def _require_pending(actor: User, submission: ItemSubmission) -> Meeting:
    meeting = submission.meeting
    require_facilitator(actor, meeting.group)
    _require_changeable(meeting)
    if submission.state is not SubmissionState.PENDING:
        raise ValidationError(None, "This item has already been decided.")
    return meeting


def _decided(actor: User, submission: ItemSubmission, action: str, note: str) -> None:
    submission.facilitator_note = inputs.clean_long_text(note, "note", inputs.NOTE_MAX)
    submission.decided_on = date.today()
    db.session.flush()
    # Nothing about who submitted goes into the audit log.
    record(
        actor,
        f"meetings.submission_{action}",
        target_type="meeting",
        target_label=submission.meeting.title,
        group=submission.meeting.group,
        meeting=submission.meeting.public_id,
        topic=submission.topic,
    )


def accept_submission(
    actor: User,
    submission: ItemSubmission,
    *,
    duration_minutes: int | str = 15,
    title: str | None = None,
    note: str = "",
) -> AgendaItem:
    """Put the item on the agenda (no trace of who submitted it goes with it)."""
    meeting = _require_pending(actor, submission)
    item = _new_item(
        meeting,
        title=inputs.clean_title(title or submission.topic),
        description=submission.details,
        kind=ItemKind.SUBMITTED,
        mode=submission.mode,
        duration_minutes=inputs.clean_minutes(duration_minutes, maximum=inputs.MAX_ITEM_MINUTES),
        report_id=submission.report_id,
        article_id=submission.article_id,
    )
    db.session.flush()
    submission.state = SubmissionState.ACCEPTED
    submission.agenda_item_id = item.id
    touch(meeting)
    _decided(actor, submission, "accepted", note)
    return item


def merge_submission(
    actor: User, submission: ItemSubmission, into: AgendaItem, note: str = ""
) -> AgendaItem:
    """Fold the item into one already on the agenda (its link joins if the item has none)."""
    meeting = _require_pending(actor, submission)
    if into.meeting_id != meeting.id or into.kind is ItemKind.STATEMENTS:
        raise ValidationError("into", "Choose an item of this meeting's agenda.")
    if into.report_id is None and submission.report_id is not None:
        into.report_id = submission.report_id
    if into.article_id is None and submission.article_id is not None:
        into.article_id = submission.article_id
    submission.state = SubmissionState.MERGED
    submission.agenda_item_id = into.id
    touch(meeting)
    _decided(actor, submission, "merged", note)
    return into


def defer_submission(actor: User, submission: ItemSubmission, note: str = "") -> None:
    """Keep the item for the next meeting: it rolls into the next call (now, if that call is
    already open)."""
    meeting = _require_pending(actor, submission)
    submission.state = SubmissionState.DEFERRED
    _decided(actor, submission, "deferred", note)
    following = next_meeting(meeting)
    if following is not None and following.call is not None:
        roll_over(actor, following)


def reject_submission(actor: User, submission: ItemSubmission, note: str = "") -> None:
    """Not for the agenda; the note (if any) reaches the submitter on their list."""
    _require_pending(actor, submission)
    submission.state = SubmissionState.REJECTED
    _decided(actor, submission, "rejected", note)


# --- rolling over ---------------------------------------------------------------------------------


def roll_over(actor: User | None, meeting: Meeting) -> list[ItemSubmission]:
    """Bring deferred submissions and unfinished agenda items of the group's earlier
    meetings into this meeting's call, each exactly once (as pending submissions that keep
    their anonymity: an anonymous one stays anonymous under the same pseudonym)."""
    call = meeting.call
    if call is None:
        return []
    earlier = sa.select(Meeting.id).where(
        Meeting.group_id == meeting.group_id,
        Meeting.starts_at < meeting.starts_at,
        Meeting.id != meeting.id,
    )
    already = sa.select(ItemSubmission.rolled_from_id).where(
        ItemSubmission.rolled_from_id.is_not(None)
    )
    already_items = sa.select(ItemSubmission.rolled_from_item_id).where(
        ItemSubmission.rolled_from_item_id.is_not(None)
    )
    deferred = db.session.scalars(
        sa.select(ItemSubmission)
        .where(
            ItemSubmission.meeting_id.in_(earlier),
            ItemSubmission.state == SubmissionState.DEFERRED,
            ItemSubmission.id.not_in(already),
        )
        .order_by(ItemSubmission.id)
    ).all()
    unfinished = db.session.scalars(
        sa.select(AgendaItem)
        .where(
            AgendaItem.meeting_id.in_(earlier),
            AgendaItem.unfinished.is_(True),
            AgendaItem.id.not_in(already_items),
        )
        .order_by(AgendaItem.id)
    ).all()
    rolled = [_copy_submission(call, s) for s in deferred]
    rolled += [_from_item(call, item) for item in unfinished]
    db.session.add_all(rolled)
    db.session.flush()
    return rolled


def _copy_submission(call: CallForItems, source: ItemSubmission) -> ItemSubmission:
    return ItemSubmission(
        meeting=call.meeting,
        call=call,
        topic=source.topic,
        details=source.details,
        report_id=source.report_id,
        article_id=source.article_id,
        mode=source.mode,
        anonymous=source.anonymous,
        submitter_id=source.submitter_id,
        submitter_pseudonym=source.submitter_pseudonym,
        by_staff=source.by_staff,
        rolled_from_id=source.id,
        submitted_on=date.today(),
    )


def _from_item(call: CallForItems, item: AgendaItem) -> ItemSubmission:
    return ItemSubmission(
        meeting=call.meeting,
        call=call,
        topic=item.title,
        details=item.description,
        report_id=item.report_id,
        article_id=item.article_id,
        mode=item.mode,
        anonymous=False,
        submitter_id=None,
        submitter_pseudonym="",
        by_staff=True,
        rolled_from_item_id=item.id,
        submitted_on=date.today(),
    )
