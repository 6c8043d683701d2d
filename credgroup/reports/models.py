"""Reports of portal problems, their discussion, confirmations and questions.

No table here has a foreign key to a user or a member company. Authorship is held as keyed
pseudonyms (see credgroup.anonymity), and every date another person can see is a calendar
date, never a time of day (the incident itself only to the month).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from credgroup.db import Base, enum_type, new_public_id
from credgroup.portals.models import Portal
from credgroup.reports.enums import (
    AmountBand,
    ConfirmationKind,
    ContributionState,
    FeeKind,
    FeeSizeBand,
    InvoicesBand,
    ProblemCategory,
    ReportStatus,
    SubmissionChannel,
)

PSEUDONYM = sa.String(64)


class Report(Base):
    """One member company's account of what a customer's portal did to its invoices."""

    __tablename__ = "reports"
    __table_args__ = (
        sa.Index("ix_reports_group_state_published", "group_id", "state", "published_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("credit_groups.id", ondelete="CASCADE"), index=True
    )
    portal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("portals.id", ondelete="RESTRICT"), index=True
    )
    author_pseudonym: Mapped[str] = mapped_column(PSEUDONYM, index=True)
    company_pseudonym: Mapped[str] = mapped_column(PSEUDONYM, index=True)

    # Customer, as far as the group's naming policy allows at posting time.
    buyer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    buyer_industry: Mapped[str] = mapped_column(sa.String(200), default="")

    category: Mapped[ProblemCategory] = mapped_column(enum_type(ProblemCategory), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    error_message: Mapped[str] = mapped_column(sa.Text, default="")  # verbatim from the portal
    channel: Mapped[SubmissionChannel | None] = mapped_column(enum_type(SubmissionChannel))
    invoices_band: Mapped[InvoicesBand | None] = mapped_column(enum_type(InvoicesBand))
    amount_band: Mapped[AmountBand | None] = mapped_column(enum_type(AmountBand))
    fee_kind: Mapped[FeeKind | None] = mapped_column(enum_type(FeeKind))
    fee_size_band: Mapped[FeeSizeBand | None] = mapped_column(enum_type(FeeSizeBand))
    incident_month: Mapped[date | None]  # always the 1st of the month
    status: Mapped[ReportStatus] = mapped_column(
        enum_type(ReportStatus), default=ReportStatus.OPEN, index=True
    )
    workaround: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown

    state: Mapped[ContributionState] = mapped_column(
        enum_type(ContributionState), default=ContributionState.DRAFT, index=True
    )
    # What the antitrust/defamation check found, for the facilitator's review queue.
    review_flags: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    # The facilitator's note to the (unknown) author, relayed on their "my reports" page.
    facilitator_note: Mapped[str] = mapped_column(sa.Text, default="")
    # Kinds and counts of redactions the author accepted, e.g. {"company": 1, "email": 2}.
    redactions: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reports.id", ondelete="SET NULL")
    )

    # Calendar dates only: a time of day could be matched against who was online.
    created_on: Mapped[date]
    published_on: Mapped[date | None] = mapped_column(index=True)
    updated_on: Mapped[date]
    status_changed_on: Mapped[date | None]

    portal: Mapped[Portal] = relationship()
    group: Mapped[Any] = relationship("CreditGroup")
    merged_into: Mapped[Report | None] = relationship(remote_side=[id])
    comments: Mapped[list[ReportComment]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ReportComment.seq",
    )
    confirmations: Mapped[list[ReportConfirmation]] = relationship(
        back_populates="report", cascade="all, delete-orphan", passive_deletes=True
    )
    questions: Mapped[list[ReportQuestion]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ReportQuestion.seq",
    )

    def __repr__(self) -> str:
        return f"<Report {self.public_id}>"


class ReportComment(Base):
    """A message in a report's discussion."""

    __tablename__ = "report_comments"
    __table_args__ = (sa.UniqueConstraint("report_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]  # order within the report
    author_pseudonym: Mapped[str] = mapped_column(PSEUDONYM, index=True)
    company_pseudonym: Mapped[str] = mapped_column(PSEUDONYM, default="")  # "" for staff
    by_staff: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(sa.Text)  # Markdown
    is_workaround: Mapped[bool] = mapped_column(default=False)
    state: Mapped[ContributionState] = mapped_column(
        enum_type(ContributionState), default=ContributionState.PUBLISHED
    )
    review_flags: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    facilitator_note: Mapped[str] = mapped_column(sa.Text, default="")
    redactions: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    posted_on: Mapped[date]

    report: Mapped[Report] = relationship(back_populates="comments")


class ReportConfirmation(Base):
    """ "We hit this too" or "the workaround worked for us": one of each per member company."""

    __tablename__ = "report_confirmations"
    __table_args__ = (sa.UniqueConstraint("report_id", "company_pseudonym", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ConfirmationKind] = mapped_column(enum_type(ConfirmationKind))
    company_pseudonym: Mapped[str] = mapped_column(PSEUDONYM)
    author_pseudonym: Mapped[str] = mapped_column(PSEUDONYM)
    confirmed_on: Mapped[date]

    report: Mapped[Report] = relationship(back_populates="confirmations")


class ReportQuestion(Base):
    """ "Ask the reporter": a question relayed to the reporter, who answers in the platform.
    Neither side learns who the other is."""

    __tablename__ = "report_questions"
    __table_args__ = (sa.UniqueConstraint("report_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
    asker_pseudonym: Mapped[str] = mapped_column(PSEUDONYM, index=True)
    by_staff: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(sa.Text)
    asked_on: Mapped[date]
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_on: Mapped[date | None]
    # Shared with the whole group when the reporter answers "publicly"; else only the asker.
    answer_public: Mapped[bool] = mapped_column(default=False)

    report: Mapped[Report] = relationship(back_populates="questions")


class Watch(Base):
    """A member's interest in new reports about a portal or a category in a group.

    Holding the user here is fine: it says what someone reads, not what they wrote.
    """

    __tablename__ = "report_watches"
    __table_args__ = (sa.UniqueConstraint("user_id", "group_id", "portal_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("credit_groups.id", ondelete="CASCADE"), index=True
    )
    portal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("portals.id", ondelete="CASCADE"))
    category: Mapped[ProblemCategory | None] = mapped_column(enum_type(ProblemCategory))
    immediate: Mapped[bool] = mapped_column(default=False)  # else in the daily digest
    created_on: Mapped[date]

    portal: Mapped[Portal | None] = relationship()


class DigestItem(Base):
    """A newly published report waiting for the next digest of one watcher.

    Written when a report is published (same transaction), consumed by the worker's digest
    job; holds nothing about the author.
    """

    __tablename__ = "report_digest_items"
    __table_args__ = (sa.UniqueConstraint("user_id", "report_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id", ondelete="CASCADE"))
    queued_on: Mapped[date]

    report: Mapped[Report] = relationship()
