"""Frozen trend reports ("snapshots"): what a group's figures were when they were taken."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from credgroup.db import Base, new_public_id, utcnow
from credgroup.errors import Conflict

# Of a frozen snapshot only the meeting it belongs to may be set, once.
MUTABLE_WHEN_FROZEN = frozenset({"meeting_id"})


class TrendSnapshot(Base):
    """A trend report frozen for a group and a span of whole quarters.

    ``payload`` is the published report (already suppressed: see ``trends.disclosure``)
    exactly as it was shown when the snapshot was taken; it never changes afterwards.
    ``meeting_id`` ties a snapshot to the meeting whose agenda it was made for (no foreign
    key yet: the meetings feature adds it); at most one snapshot per meeting.
    """

    __tablename__ = "trend_snapshots"
    __table_args__ = (
        sa.Index("ix_trend_snapshots_group_period", "group_id", "period_from", "period_to"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("credit_groups.id", ondelete="CASCADE"), index=True
    )
    period_from: Mapped[date]  # first day of the first quarter
    period_to: Mapped[date]  # last day of the last quarter
    kind: Mapped[str] = mapped_column(sa.String(20))  # what was asked: month, quarter, custom
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    generated_on: Mapped[datetime] = mapped_column(default=utcnow)
    frozen: Mapped[bool] = mapped_column(default=True)
    meeting_id: Mapped[int | None] = mapped_column(unique=True)

    group: Mapped[Any] = relationship("CreditGroup")

    def __repr__(self) -> str:
        return f"<TrendSnapshot {self.public_id}>"


class SnapshotFrozen(Conflict):
    """A frozen snapshot never changes."""


@sa.event.listens_for(TrendSnapshot, "before_update")
def _refuse_changes_to_frozen(mapper: Any, connection: Any, target: TrendSnapshot) -> None:
    """Frozen means frozen: refuse any change but attaching it to a meeting once. The
    stored row decides (an expired object does not know its old values)."""
    table = TrendSnapshot.__table__
    stored = connection.execute(
        sa.select(table.c.frozen, table.c.meeting_id).where(table.c.id == target.id)
    ).one()
    if not stored.frozen:
        return
    for attr in sa.inspect(target).attrs:
        if not attr.history.has_changes():
            continue
        if attr.key in MUTABLE_WHEN_FROZEN and stored.meeting_id is None:
            continue
        raise SnapshotFrozen("This snapshot is frozen and cannot change.")
