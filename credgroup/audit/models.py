"""Audit log of facilitator and admin actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from credgroup.db import Base, utcnow


class AuditEvent(Base):
    """Who (staff) did what to which object, and when.

    Labels are snapshots so the log still reads after the object is renamed or deleted.
    Events about anonymous content never name the content's author.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    target_type: Mapped[str] = mapped_column(sa.String(60), default="")
    target_label: Mapped[str] = mapped_column(sa.String(300), default="")
    group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("credit_groups.id", ondelete="SET NULL"), index=True
    )
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
