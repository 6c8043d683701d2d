"""The tables of the PostgreSQL search backend (``SEARCH_BACKEND = "postgres"``).

``search_documents`` is the index: one row per searchable document, with the columns the
facets count and a weighted ``tsvector`` (title A, error text and tags B, text C, and D
labels for the operators: its portal, type, status and categories as lexemes of their
own, so one GIN look-up answers words and operators together). ``search_words`` is the
vocabulary "did you mean" and fuzzy~ words pick from (unstemmed words, trigram-indexed).

Both tables exist on every database, SQLite included, and stay empty unless the postgres
backend is chosen. That keeps one schema for the models and the migrations on both
databases (the migration test compares them), where a table created only on PostgreSQL
would need a dialect condition in the models, the migration and that test alike. Only the
column types and index methods differ: a ``tsvector`` and a GIN index on PostgreSQL, plain
text and a plain index on SQLite (harmless on an empty table).

The trigram index needs the ``pg_trgm`` extension, which ships with PostgreSQL (Debian's
``postgresql`` package includes the contrib modules) and is a *trusted* extension since
PostgreSQL 13, so the database owner may create it without being a superuser. Migration
0006 creates it, and so does ``create_all`` (tests) through the hook below.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from credgroup.db import Base

#: A text-search vector on PostgreSQL; never written on other databases.
VECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")
#: Category keys of the document (an array, so facets can ``unnest`` it in SQL).
CATEGORIES = sa.JSON().with_variant(postgresql.ARRAY(sa.String(40)), "postgresql")


class SearchDocument(Base):
    """One searchable report or article as the postgres backend indexes it: public fields
    only (the same as :class:`~credgroup.search.backend.IndexDoc`), and no text itself,
    only its analysed vector."""

    __tablename__ = "search_documents"
    __table_args__ = (
        sa.Index("ix_search_documents_vector", "vector", postgresql_using="gin"),
        # What a viewer may see, newest first: searches with operators but no words.
        sa.Index("ix_search_documents_scope_published", "scope", "published_day"),
    )

    doc_type: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    doc_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    scope: Mapped[str] = mapped_column(sa.String(20))
    portal: Mapped[str] = mapped_column(sa.String(80))  # slug, "" when none
    categories: Mapped[list[str]] = mapped_column(CATEGORIES)
    status: Mapped[str] = mapped_column(sa.String(30))  # "" for articles
    published_day: Mapped[int]
    confirmed: Mapped[int]
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    vector: Mapped[str] = mapped_column(VECTOR)


class SearchWord(Base):
    """A word some indexed document contains (lower-case, not stemmed). Words of
    documents removed since are pruned by the next ``search reindex``; until then they
    are harmless, because every suggestion is counted against what the viewer may see."""

    __tablename__ = "search_words"
    __table_args__ = (
        sa.Index(
            "ix_search_words_trigram",
            "word",
            postgresql_using="gist",
            postgresql_ops={"word": "gist_trgm_ops"},
        ),
    )

    word: Mapped[str] = mapped_column(sa.String(40), primary_key=True)


CREATE_TRIGRAMS = sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm")
sa.event.listen(
    SearchWord.__table__, "before_create", CREATE_TRIGRAMS.execute_if(dialect="postgresql")
)
