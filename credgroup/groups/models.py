"""The association, its credit groups, member companies and who belongs where."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from credgroup.db import Base, TimestampMixin, enum_type, utcnow
from credgroup.groups import statements

MIN_ANONYMITY_THRESHOLD = 3
DEFAULT_ANONYMITY_THRESHOLD = 5


class CustomerNaming(enum.Enum):
    """How far reports in a group may identify the customer (buyer)."""

    NAMED = "named"
    INDUSTRY_ONLY = "industry_only"
    NOT_NAMED = "not_named"

    @property
    def label(self) -> str:
        return {
            "named": "Customers may be named",
            "industry_only": "Customer's industry only",
            "not_named": "Customers are not named",
        }[self.value]


class Association(TimestampMixin, Base):
    """The trade credit association that runs the deployment (exactly one row)."""

    __tablename__ = "association"
    __table_args__ = (
        # A retention of 0 months would purge every report the night it is set: the
        # service asks for far more (see groups.retention), the database refuses nonsense.
        sa.CheckConstraint(
            "report_retention_months IS NULL OR report_retention_months > 0",
            name="retention_positive",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    # Reports with no activity for this many months are purged by the worker (with their
    # discussion); None keeps every report for ever.
    report_retention_months: Mapped[int | None]


class CreditGroup(TimestampMixin, Base):
    """An industry credit group: member companies whose credit managers meet to share."""

    __tablename__ = "credit_groups"
    __table_args__ = (
        sa.CheckConstraint(
            f"anonymity_threshold >= {MIN_ANONYMITY_THRESHOLD}", name="threshold_floor"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    industry: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/New_York")
    anonymity_threshold: Mapped[int] = mapped_column(default=DEFAULT_ANONYMITY_THRESHOLD)
    customer_naming: Mapped[CustomerNaming] = mapped_column(
        enum_type(CustomerNaming),
        default=CustomerNaming.INDUSTRY_ONLY,
    )
    antitrust_statement: Mapped[str] = mapped_column(sa.Text, default=statements.ANTITRUST)
    antidefamation_statement: Mapped[str] = mapped_column(
        sa.Text, default=statements.ANTI_DEFAMATION
    )
    confidentiality_statement: Mapped[str] = mapped_column(
        sa.Text, default=statements.CONFIDENTIALITY
    )
    archived_at: Mapped[datetime | None]

    memberships: Mapped[list[GroupMembership]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )
    facilitator_assignments: Mapped[list[FacilitatorAssignment]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<CreditGroup {self.slug}>"


class MemberCompany(TimestampMixin, Base):
    """A supplier company; it can belong to several groups."""

    __tablename__ = "member_companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # Other names the company goes by: the report scrubber redacts these too.
    aliases: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    industry: Mapped[str] = mapped_column(sa.String(200), default="")

    memberships: Mapped[list[GroupMembership]] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<MemberCompany {self.name}>"


class GroupMembership(Base):
    """A member company's seat in a group. Deleting it revokes its people's access at once."""

    __tablename__ = "group_memberships"
    __table_args__ = (sa.UniqueConstraint("group_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("credit_groups.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("member_companies.id", ondelete="CASCADE"), index=True
    )
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[CreditGroup] = relationship(back_populates="memberships")
    company: Mapped[MemberCompany] = relationship(back_populates="memberships")


class FacilitatorAssignment(Base):
    """Association staff who facilitate a group."""

    __tablename__ = "facilitator_assignments"
    __table_args__ = (sa.UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("credit_groups.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[CreditGroup] = relationship(back_populates="facilitator_assignments")
    user: Mapped["User"] = relationship()  # noqa: F821, UP037 - defined in accounts.models
