"""Search bookkeeping: the index outbox and the anonymous query log for analytics."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from credgroup.db import Base, utcnow

# The postgres backend's index tables live in every database (see pg_schema's docstring).
from credgroup.search.pg_schema import SearchDocument, SearchWord

__all__ = ["SearchDocument", "SearchOutbox", "SearchQueryLog", "SearchWord"]


class SearchOutbox(Base):
    """An index change waiting for the single index writer.

    Written in the same transaction as the change to the document, so a rollback leaves no
    stale entry and a crash loses none; the writer applies and deletes rows in order.
    """

    __tablename__ = "search_outbox"
    __table_args__ = (sa.Index("ix_search_outbox_doc", "doc_type", "doc_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(sa.String(20))  # "report" | "article"
    doc_id: Mapped[int]
    op: Mapped[str] = mapped_column(sa.String(10))  # "upsert" | "delete"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")


class SearchQueryLog(Base):
    """One search, for facilitators' analytics (top queries, queries with no result).

    Holds no user: what people search for can be as telling as what they write.
    """

    __tablename__ = "search_query_log"
    __table_args__ = (sa.Index("ix_search_query_log_group_on", "group_id", "searched_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("credit_groups.id", ondelete="CASCADE")
    )
    query: Mapped[str] = mapped_column(sa.String(200))  # normalised: lower-case, trimmed
    result_count: Mapped[int]
    searched_on: Mapped[date]
