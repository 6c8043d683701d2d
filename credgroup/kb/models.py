"""Knowledge base of portal workarounds: articles, their revisions, suggested edits,
freshness confirmations and links to reports.

Articles may be written openly (by staff or a member, named) or anonymously by a member; an
anonymous author or editor is held only as a keyed pseudonym, like report authors.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from credgroup.db import Base, enum_type, new_public_id, utcnow
from credgroup.portals.models import Portal

PSEUDONYM = sa.String(64)


class ArticleState(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class FreshnessKind(enum.Enum):
    WORKED = "worked"  # "worked for us"
    NO_LONGER_WORKS = "no_longer_works"


class SuggestionState(enum.Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Article(Base):
    """A workaround for a problem members meet on a portal (optionally one buyer's setup).

    ``group_id`` None means association-wide; otherwise only that group's people see it.
    ``version`` increases on every saved revision: an edit based on an older version is
    refused instead of silently overwriting someone else's work.
    """

    __tablename__ = "kb_articles"
    __table_args__ = (
        # A portal's latest workarounds (the portal page): read in order, newest first.
        sa.Index("ix_kb_articles_portal_updated", "portal_id", "updated_at"),
        # How many published ones a member may see about a portal, from the index alone.
        sa.Index("ix_kb_articles_portal_state_group", "portal_id", "state", "group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    slug: Mapped[str] = mapped_column(sa.String(120), index=True)
    group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("credit_groups.id", ondelete="CASCADE"), index=True
    )
    portal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("portals.id", ondelete="SET NULL"), index=True
    )
    buyer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    title: Mapped[str] = mapped_column(sa.String(200))
    problem: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    workaround: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, step by step
    error_text: Mapped[str] = mapped_column(sa.Text, default="")
    categories: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # ProblemCategory keys
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    channels: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # SubmissionChannel keys
    state: Mapped[ArticleState] = mapped_column(
        enum_type(ArticleState), default=ArticleState.DRAFT, index=True
    )
    # Open authorship: the user (shown by name). Anonymous: only the pseudonym.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    author_pseudonym: Mapped[str] = mapped_column(PSEUDONYM, default="")
    anonymous: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    # For idempotent imports (``kb import`` lines carry an ``id``).
    external_id: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Indexed: the knowledge base lists the most recently changed first.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    published_on: Mapped[date | None]

    portal: Mapped[Portal | None] = relationship()
    group: Mapped[Any] = relationship("CreditGroup")
    author: Mapped[Any] = relationship("User")
    revisions: Mapped[list[ArticleRevision]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ArticleRevision.number",
    )


class ArticleRevision(Base):
    """A saved version of an article's content, with who (or "a member") and why."""

    __tablename__ = "kb_article_revisions"
    __table_args__ = (sa.UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    problem: Mapped[str] = mapped_column(sa.Text, default="")
    workaround: Mapped[str] = mapped_column(sa.Text, default="")
    error_text: Mapped[str] = mapped_column(sa.Text, default="")
    categories: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    channels: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    editor_pseudonym: Mapped[str] = mapped_column(PSEUDONYM, default="")
    # Calendar date for anonymous edits (no time of day to correlate); exact for open ones.
    created_on: Mapped[date]

    article: Mapped[Article] = relationship(back_populates="revisions")
    editor: Mapped[Any] = relationship("User")


class EditSuggestion(Base):
    """A proposed edit from someone without edit rights; an editor accepts or declines it."""

    __tablename__ = "kb_edit_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True
    )
    base_version: Mapped[int]
    proposed: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    suggester_pseudonym: Mapped[str] = mapped_column(PSEUDONYM)
    state: Mapped[SuggestionState] = mapped_column(
        enum_type(SuggestionState), default=SuggestionState.PENDING, index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")
    suggested_on: Mapped[date]
    decided_on: Mapped[date | None]

    article: Mapped[Article] = relationship()


class ArticleConfirmation(Base):
    """ "Worked for us" / "no longer works", one current verdict per member company."""

    __tablename__ = "kb_article_confirmations"
    __table_args__ = (sa.UniqueConstraint("article_id", "company_pseudonym"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True
    )
    company_pseudonym: Mapped[str] = mapped_column(PSEUDONYM)
    kind: Mapped[FreshnessKind] = mapped_column(enum_type(FreshnessKind))
    confirmed_on: Mapped[date]


class ArticleReportLink(Base):
    """An article and a report about the same problem, linked both ways."""

    __tablename__ = "kb_article_report_links"
    __table_args__ = (sa.UniqueConstraint("article_id", "report_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    linked_on: Mapped[date]
