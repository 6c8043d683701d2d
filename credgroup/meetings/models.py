"""Meetings: series, meetings, the call for items, agendas, attendance, minutes, actions.

Times are stored as aware UTC datetimes (``UTCDateTime``) together with the IANA time zone
the meeting is held in, so a local wall-clock time survives daylight-saving changes.

Anonymity: an anonymous item submission holds no user FK, only a keyed pseudonym in a
meetings-only scope (unrelated to report pseudonyms). Agenda items and minutes never say
who submitted an item.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from credgroup.db import Base, TimestampMixin, enum_type, new_public_id, utcnow
from credgroup.reports.enums import LabelledEnum

PSEUDONYM = sa.String(64)
TITLE = sa.String(200)
URL = sa.String(500)


class Cadence(LabelledEnum):
    MONTHLY = ("monthly", "Monthly")
    BIMONTHLY = ("bimonthly", "Every two months")
    QUARTERLY = ("quarterly", "Quarterly")

    @property
    def months(self) -> int:
        return {"monthly": 1, "bimonthly": 2, "quarterly": 3}[self.value]


class MeetingStatus(LabelledEnum):
    DRAFT = ("draft", "Draft")
    PUBLISHED = ("published", "Published")
    HELD = ("held", "Held")
    CANCELLED = ("cancelled", "Cancelled")


class ItemKind(LabelledEnum):
    STATEMENTS = ("statements", "Antitrust, anti-defamation and confidentiality statements")
    STANDING = ("standing", "Standing item")
    SUBMITTED = ("submitted", "Submitted item")
    MINUTES_APPROVAL = ("minutes_approval", "Approval of the previous minutes")
    TREND_REPORT = ("trend_report", "Trend report")
    ACTION_REVIEW = ("action_review", "Review of open action items")
    OTHER = ("other", "Other")


class ItemMode(LabelledEnum):
    DISCUSSION = ("discussion", "For discussion")
    INFORMATION = ("information", "For information")


class SubmissionState(LabelledEnum):
    PENDING = ("pending", "Waiting for the facilitator")
    ACCEPTED = ("accepted", "On the agenda")
    MERGED = ("merged", "Merged into another item")
    DEFERRED = ("deferred", "Deferred to the next meeting")
    REJECTED = ("rejected", "Not taken")


class RsvpAnswer(LabelledEnum):
    YES = ("yes", "Yes")
    NO = ("no", "No")
    MAYBE = ("maybe", "Maybe")


class AttendanceMode(LabelledEnum):
    IN_PERSON = ("in_person", "In person")
    REMOTE = ("remote", "Remote")


class MinutesState(LabelledEnum):
    DRAFT = ("draft", "Draft")
    REVIEW = ("review", "In review by attendees")
    PUBLISHED = ("published", "Published")


class ActionStatus(LabelledEnum):
    OPEN = ("open", "Open")
    DONE = ("done", "Done")
    DROPPED = ("dropped", "Dropped")


class ReminderKind(LabelledEnum):
    MEETING = ("meeting", "Meeting reminder")
    CALL_DEADLINE = ("call_deadline", "Call-for-items deadline")
    ACTION_OVERDUE = ("action_overdue", "Overdue action item")


def _group_fk() -> Any:
    return sa.ForeignKey("credit_groups.id", ondelete="CASCADE")


def _meeting_fk() -> Any:
    return sa.ForeignKey("meetings.id", ondelete="CASCADE")


def _user_fk(ondelete: str = "CASCADE") -> Any:
    return sa.ForeignKey("users.id", ondelete=ondelete)


class MeetingSeries(TimestampMixin, Base):
    """A recurring meeting of a group, with the defaults new meetings are cloned from."""

    __tablename__ = "meeting_series"
    __table_args__ = (sa.CheckConstraint("default_duration_minutes > 0", name="duration_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    group_id: Mapped[int] = mapped_column(_group_fk(), index=True)
    title: Mapped[str] = mapped_column(TITLE)
    cadence: Mapped[Cadence] = mapped_column(enum_type(Cadence), default=Cadence.MONTHLY)
    timezone: Mapped[str] = mapped_column(sa.String(64))
    default_place: Mapped[str] = mapped_column(sa.String(300), default="")
    default_video_link: Mapped[str] = mapped_column(URL, default="")
    default_duration_minutes: Mapped[int] = mapped_column(default=120)
    active: Mapped[bool] = mapped_column(default=True)

    group: Mapped[Any] = relationship("CreditGroup")
    standing_items: Mapped[list[StandingItem]] = relationship(
        back_populates="series",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StandingItem.position",
    )


class StandingItem(Base):
    """An item that appears on every agenda of a series."""

    __tablename__ = "meeting_standing_items"
    __table_args__ = (sa.CheckConstraint("duration_minutes > 0", name="duration_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    series_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting_series.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(TITLE)
    duration_minutes: Mapped[int] = mapped_column(default=15)
    mode: Mapped[ItemMode] = mapped_column(enum_type(ItemMode), default=ItemMode.DISCUSSION)

    series: Mapped[MeetingSeries] = relationship(back_populates="standing_items")


class Meeting(TimestampMixin, Base):
    """One meeting of a group. ``starts_at`` is UTC; ``timezone`` is where it is held."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint("duration_minutes > 0", name="duration_positive"),
        sa.Index("ix_meetings_group_starts", "group_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    group_id: Mapped[int] = mapped_column(_group_fk(), index=True)
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(TITLE)
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, for members
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=120)
    timezone: Mapped[str] = mapped_column(sa.String(64))
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    video_link: Mapped[str] = mapped_column(URL, default="")
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus), default=MeetingStatus.DRAFT, index=True
    )
    # iCalendar SEQUENCE: bumped on every change calendar clients must pick up.
    sequence: Mapped[int] = mapped_column(default=0)

    group: Mapped[Any] = relationship("CreditGroup")
    series: Mapped[MeetingSeries | None] = relationship()
    call: Mapped[CallForItems | None] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True
    )
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(AgendaItem.position, AgendaItem.id)",
        foreign_keys="AgendaItem.meeting_id",
    )
    minutes: Mapped[Minutes | None] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Meeting {self.public_id}>"


class CallForItems(Base):
    """The facilitator's call for agenda items for one meeting, with a deadline."""

    __tablename__ = "meeting_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    meeting_id: Mapped[int] = mapped_column(_meeting_fk(), unique=True)
    opens_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime]
    is_open: Mapped[bool] = mapped_column(default=True)
    closed_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship(back_populates="call")
    submissions: Mapped[list[ItemSubmission]] = relationship(
        back_populates="call", order_by="ItemSubmission.id"
    )


class AgendaItem(Base):
    """One item of a meeting's agenda, in ``position`` order.

    ``notes`` are for the facilitator only. Statements items cannot be removed.
    """

    __tablename__ = "agenda_items"
    __table_args__ = (sa.CheckConstraint("duration_minutes > 0", name="duration_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    meeting_id: Mapped[int] = mapped_column(_meeting_fk(), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(TITLE)
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, for members
    notes: Mapped[str] = mapped_column(sa.Text, default="")  # facilitator only
    duration_minutes: Mapped[int] = mapped_column(default=15)
    kind: Mapped[ItemKind] = mapped_column(enum_type(ItemKind), default=ItemKind.OTHER)
    mode: Mapped[ItemMode] = mapped_column(enum_type(ItemMode), default=ItemMode.DISCUSSION)
    removable: Mapped[bool] = mapped_column(default=True)
    report_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reports.id", ondelete="SET NULL"), index=True
    )
    article_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kb_articles.id", ondelete="SET NULL"), index=True
    )
    # The trend report has no table yet (trends issue): held as its public id.
    trend_report_ref: Mapped[str] = mapped_column(sa.String(64), default="")
    # minutes_approval items point at the meeting whose minutes are to be approved.
    previous_meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL")
    )
    standing_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_standing_items.id", ondelete="SET NULL")
    )
    # Set after the meeting when the item was not finished: it rolls into the next call.
    unfinished: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="items", foreign_keys=[meeting_id])
    previous_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[previous_meeting_id])
    report: Mapped[Any] = relationship("Report")
    article: Mapped[Any] = relationship("Article")


class ItemSubmission(Base):
    """A member's proposal for the agenda, made openly or anonymously.

    Anonymous: ``submitter_id`` is NULL and only ``submitter_pseudonym`` (meetings scope) is
    kept, so the submitter can find their own item and nobody else can tell who it was.
    Open: ``submitter_id`` is set and the pseudonym is empty (never both: that would link
    the person to their anonymous items).
    """

    __tablename__ = "meeting_item_submissions"
    __table_args__ = (
        sa.CheckConstraint(
            "(anonymous AND submitter_id IS NULL) OR (NOT anonymous AND submitter_pseudonym = '')",
            name="anonymous_has_no_user",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    meeting_id: Mapped[int] = mapped_column(_meeting_fk(), index=True)
    call_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_calls.id", ondelete="SET NULL"), index=True
    )
    topic: Mapped[str] = mapped_column(TITLE)
    details: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reports.id", ondelete="SET NULL"))
    article_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kb_articles.id", ondelete="SET NULL")
    )
    mode: Mapped[ItemMode] = mapped_column(enum_type(ItemMode), default=ItemMode.DISCUSSION)
    anonymous: Mapped[bool] = mapped_column(default=False)
    submitter_id: Mapped[int | None] = mapped_column(_user_fk("SET NULL"), index=True)
    submitter_pseudonym: Mapped[str] = mapped_column(PSEUDONYM, default="", index=True)
    by_staff: Mapped[bool] = mapped_column(default=False)  # rolled over or added by staff
    state: Mapped[SubmissionState] = mapped_column(
        enum_type(SubmissionState), default=SubmissionState.PENDING, index=True
    )
    facilitator_note: Mapped[str] = mapped_column(sa.Text, default="")  # shown to submitter
    # The agenda item it became (accepted) or was merged into (merged).
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    # Rolled over from a deferred submission or an unfinished item of an earlier meeting.
    rolled_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_item_submissions.id", ondelete="SET NULL")
    )
    rolled_from_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    # A calendar date only: a time of day could be matched against who was online.
    submitted_on: Mapped[date]
    decided_on: Mapped[date | None]

    meeting: Mapped[Meeting] = relationship()
    call: Mapped[CallForItems | None] = relationship(back_populates="submissions")
    report: Mapped[Any] = relationship("Report")
    article: Mapped[Any] = relationship("Article")
    agenda_item: Mapped[AgendaItem | None] = relationship(foreign_keys=[agenda_item_id])
    rolled_from: Mapped[ItemSubmission | None] = relationship(
        remote_side=[id], foreign_keys=[rolled_from_id]
    )
    rolled_from_item: Mapped[AgendaItem | None] = relationship(foreign_keys=[rolled_from_item_id])


class Rsvp(Base):
    """A person's answer to a meeting invitation."""

    __tablename__ = "meeting_rsvps"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(_meeting_fk(), index=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    answer: Mapped[RsvpAnswer] = mapped_column(enum_type(RsvpAnswer))
    attendance: Mapped[AttendanceMode | None] = mapped_column(enum_type(AttendanceMode))
    responded_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    user: Mapped[Any] = relationship("User")


RSVP = Rsvp  # the name used in the brief


class Attendance(Base):
    """Who was there, taken by the facilitator on the day."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(_meeting_fk(), index=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    present: Mapped[bool] = mapped_column(default=True)
    attendance: Mapped[AttendanceMode | None] = mapped_column(enum_type(AttendanceMode))
    recorded_by_id: Mapped[int | None] = mapped_column(_user_fk("SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    user: Mapped[Any] = relationship("User", foreign_keys=[user_id])
    recorded_by: Mapped[Any] = relationship("User", foreign_keys=[recorded_by_id])


class StatementAcknowledgement(Base):
    """An attendee's acknowledgement of the group's three statements before a meeting."""

    __tablename__ = "meeting_statement_acks"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(_meeting_fk(), index=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(default=utcnow)
    # sha256 of the statements' text as shown, so a later edit does not rewrite history.
    statements_digest: Mapped[str] = mapped_column(sa.String(64), default="")

    meeting: Mapped[Meeting] = relationship()
    user: Mapped[Any] = relationship("User")


class Minutes(TimestampMixin, Base):
    """A meeting's minutes: draft -> review by attendees -> published."""

    __tablename__ = "meeting_minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    meeting_id: Mapped[int] = mapped_column(_meeting_fk(), unique=True)
    state: Mapped[MinutesState] = mapped_column(enum_type(MinutesState), default=MinutesState.DRAFT)
    summary: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    review_started_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship(back_populates="minutes")
    entries: Mapped[list[MinutesEntry]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", passive_deletes=True
    )
    reviews: Mapped[list[MinutesReview]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", passive_deletes=True
    )


class MinutesEntry(Base):
    """What was said and decided under one agenda item."""

    __tablename__ = "meeting_minutes_entries"
    __table_args__ = (sa.UniqueConstraint("minutes_id", "agenda_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting_minutes.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    decisions: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown

    minutes: Mapped[Minutes] = relationship(back_populates="entries")
    agenda_item: Mapped[AgendaItem] = relationship()


class MinutesReview(Base):
    """An attendee's review of minutes in the review state: approve or comment."""

    __tablename__ = "meeting_minutes_reviews"
    __table_args__ = (sa.UniqueConstraint("minutes_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting_minutes.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    approved: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)

    minutes: Mapped[Minutes] = relationship(back_populates="reviews")
    user: Mapped[Any] = relationship("User")


class ActionItem(TimestampMixin, Base):
    """Something someone agreed to do after a meeting."""

    __tablename__ = "meeting_action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    meeting_id: Mapped[int] = mapped_column(_meeting_fk(), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    what: Mapped[str] = mapped_column(sa.String(500))
    owner_user_id: Mapped[int | None] = mapped_column(_user_fk("SET NULL"), index=True)
    owner_label: Mapped[str] = mapped_column(sa.String(200), default="")  # e.g. "Facilitator"
    due_on: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[ActionStatus] = mapped_column(
        enum_type(ActionStatus), default=ActionStatus.OPEN, index=True
    )
    completed_on: Mapped[date | None]

    meeting: Mapped[Meeting] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    owner: Mapped[Any] = relationship("User")


class CalendarFeedToken(Base):
    """A secret, revocable calendar subscription URL for one person (hash stored only)."""

    __tablename__ = "calendar_feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[Any] = relationship("User")


class ReminderLog(Base):
    """One row per reminder sent: the unique key makes each reminder go out exactly once.

    The key includes what the reminder is about *as scheduled* (e.g. the meeting's start),
    so rescheduling a meeting produces a new key and a fresh reminder.
    """

    __tablename__ = "meeting_reminder_log"
    __table_args__ = (sa.UniqueConstraint("kind", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReminderKind] = mapped_column(enum_type(ReminderKind))
    period_key: Mapped[str] = mapped_column(sa.String(200))
    meeting_id: Mapped[int | None] = mapped_column(_meeting_fk(), index=True)
    call_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_calls.id", ondelete="CASCADE")
    )
    action_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_action_items.id", ondelete="CASCADE")
    )
    recipients: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
