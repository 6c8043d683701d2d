"""People, their credentials, invitations, reset tokens, API tokens and login attempts."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from credgroup.db import Base, TimestampMixin, enum_type, new_public_id, utcnow
from credgroup.groups.models import MemberCompany


class Role(enum.Enum):
    """What a person is in the association. Facilitation is per group (FacilitatorAssignment)."""

    MEMBER = "member"
    FACILITATOR = "facilitator"
    ADMIN = "admin"


DEFAULT_NOTIFICATION_PREFS: dict[str, Any] = {
    "meeting_reminders": True,
    "digest": "daily",  # "immediate", "daily", "weekly" or "off"
}


def trends_digest_chosen(prefs: dict[str, Any]) -> bool:
    """Whether the person wants the weekly trends email: the profile's box once they have
    set it; before that, yes unless they chose no email about reports at all."""
    chosen = prefs.get("trends_digest")
    if chosen is not None:
        return bool(chosen)
    return prefs.get("digest") != "off"


class User(UserMixin, TimestampMixin, Base):
    """A member company's credit professional, or association staff (facilitator / admin)."""

    __tablename__ = "users"
    __table_args__ = (
        # Staff belong to the association, members to exactly one company.
        sa.CheckConstraint(
            "(is_staff AND company_id IS NULL) OR (NOT is_staff AND company_id IS NOT NULL)",
            name="staff_or_member",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("member_companies.id", ondelete="RESTRICT"), index=True
    )
    is_staff: Mapped[bool] = mapped_column(default=False)
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/New_York")
    notification_prefs: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON, default=lambda: dict(DEFAULT_NOTIFICATION_PREFS)
    )
    # Bumped on password change / sign-out everywhere; part of the session identity so
    # that old sessions and remember-me cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None]

    company: Mapped[MemberCompany | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:  # Flask-Login: public id + version, never the row id
        return f"{self.public_id}:{self.session_version}"

    @property
    def role(self) -> Role:
        if self.is_admin:
            return Role.ADMIN
        if self.is_staff:
            return Role.FACILITATOR
        return Role.MEMBER

    def __repr__(self) -> str:
        return f"<User {self.public_id}>"


class Invitation(Base):
    """An emailed, expiring invitation to join as a member of a company (and group) or as staff."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("member_companies.id", ondelete="CASCADE")
    )
    group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("credit_groups.id", ondelete="CASCADE")
    )
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    company: Mapped[MemberCompany | None] = relationship()
    group: Mapped[Any] = relationship("CreditGroup")
    invited_by: Mapped[User | None] = relationship()


class PasswordResetToken(Base):
    """A single-use, expiring password reset token. Only its hash is stored."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class ApiToken(Base):
    """A personal API token. The secret is shown once; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))  # shown in lists to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """One sign-in attempt. Kept in the database so throttling holds across worker processes.

    ``account_key`` is a hash of the submitted (normalised) email whether or not such an
    account exists, so throttling never reveals which emails have accounts.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        sa.Index("ix_login_attempts_account_key_created_at", "account_key", "created_at"),
        sa.Index("ix_login_attempts_ip_created_at", "ip", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(sa.String(64))
    ip: Mapped[str] = mapped_column(sa.String(45))
    succeeded: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
