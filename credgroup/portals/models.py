"""Portals: SAP Business Network (Ariba), Coupa, OpenInvoice, Tungsten, Basware..."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from credgroup.db import Base, TimestampMixin, new_public_id


class Portal(TimestampMixin, Base):
    """A portal in the catalogue, or one a member named that is not (yet) listed.

    Unlisted portals (``listed`` False) are created when a member names one; an admin later
    lists them or merges them into a catalogue entry (``merged_into``), which moves their
    reports along.
    """

    __tablename__ = "portals"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    vendor: Mapped[str] = mapped_column(sa.String(120), default="")
    aliases: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # What suppliers are charged, in plain words with sources (Markdown).
    fees_summary: Mapped[str] = mapped_column(sa.Text, default="")
    listed: Mapped[bool] = mapped_column(default=True)
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("portals.id", ondelete="SET NULL")
    )
    merged_at: Mapped[datetime | None]

    merged_into: Mapped[Portal | None] = relationship(remote_side=[id])

    @property
    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]

    def __repr__(self) -> str:
        return f"<Portal {self.slug}>"
