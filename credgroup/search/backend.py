"""The small interface between the search service and an index engine.

The service speaks in these plain dataclasses; ``whoosh_backend`` (the only module that
imports whoosh) implements them, and so does ``pg_backend``, the PostgreSQL full-text
backend for deployments with several app hosts. ``SEARCH_BACKEND`` chooses (see
:func:`get_backend`).

Everything a backend holds is derived data, rebuilt from the database on demand: an
:class:`IndexDoc` carries only public fields of a published report or article (no
pseudonym, author, company or buyer), so the index files reveal nothing a member of the
document's group could not read anyway.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Literal, Protocol

from flask import Flask, current_app

DocType = Literal["report", "article"]
ClauseKind = Literal["term", "phrase", "prefix", "fuzzy"]
Sort = Literal["relevance", "newest", "confirmed"]

#: Facet names, in the order pages show them.
FACETS = ("type", "portal", "category", "status", "group")
#: Scope value of association-wide articles (group documents carry "g<group id>").
ASSOCIATION_SCOPE = "all"


class IndexBusy(Exception):
    """Another process holds the index's single writer lock; try again later."""


def doc_key(doc_type: str, doc_id: int) -> str:
    return f"{doc_type}:{doc_id}"


def group_scope(group_id: int) -> str:
    return f"g{group_id}"


@dataclass(frozen=True)
class IndexDoc:
    """What the index holds about one searchable document: public fields only."""

    doc_type: DocType
    doc_id: int
    public_id: str
    title: str
    body: str
    error_text: str
    keywords: str
    portal: str  # slug, "" when none
    portal_names: str  # the portal's name and aliases (for "did you mean" and drift checks)
    categories: tuple[str, ...]
    status: str  # report status key, "" for articles
    scope: str  # ASSOCIATION_SCOPE or group_scope(id)
    published_day: int  # date.toordinal(): a calendar day, never a time
    confirmed: int
    fingerprint: str = ""  # of everything above; ``verify`` compares it with the database

    @property
    def key(self) -> str:
        return doc_key(self.doc_type, self.doc_id)


@dataclass(frozen=True)
class Clause:
    """One piece of what the person typed: a word, a "phrase", a prefix* or a fuzzy~ word.

    ``expansions`` are alternative phrases that count as a match too (a portal's other
    names), and documents about the ``portals`` (slugs) match too; ``negated`` clauses
    exclude documents.
    """

    kind: ClauseKind
    text: str
    negated: bool = False
    expansions: tuple[str, ...] = ()
    maxdist: int = 1
    portals: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackendQuery:
    """A search as the backend sees it: clauses to score, and filters applied inside the
    engine (so totals and facet counts only ever include documents in ``scopes``)."""

    clauses: tuple[Clause, ...]
    scopes: frozenset[str]
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    match_all_words: bool = True
    sort: Sort = "relevance"
    offset: int = 0
    limit: int = 10
    facets: bool = True


@dataclass(frozen=True)
class BackendHit:
    doc_type: DocType
    doc_id: int
    score: float


@dataclass
class BackendResults:
    total: int
    hits: list[BackendHit]
    facets: dict[str, dict[str, int]]
    # Analysed term texts that matched (prefix and fuzzy clauses expanded), for highlights.
    highlight_terms: frozenset[str] = frozenset()


class SearchBackend(Protocol):
    def search(self, query: BackendQuery) -> BackendResults: ...

    def count(self, query: BackendQuery) -> int: ...

    def suggestions(self, word: str, limit: int = 5) -> list[str]:
        """Known words close to ``word`` (best first), for "did you mean"."""
        ...

    def highlight(self, text: str, terms: frozenset[str], *, length: int = 240) -> str:
        """An HTML-escaped snippet of ``text`` with matched words in ``<mark>``."""
        ...

    def highlights(
        self, texts: list[str], terms: frozenset[str], *, length: int = 240
    ) -> list[str]:
        """``highlight`` of each of ``texts`` (a page of results), in order."""
        ...

    def exclusive(self, timeout: float) -> AbstractContextManager[None]:
        """Hold the one-writer lock (IndexBusy if it stays taken for ``timeout`` s)."""
        ...

    def apply(self, upserts: Sequence[IndexDoc], deletes: Sequence[str], *, timeout: float) -> None:
        """Write changes to the index; raises IndexBusy if its lock stays taken."""
        ...

    def rebuild(self, docs: Iterable[IndexDoc], *, timeout: float) -> int:
        """Build a fresh index from ``docs`` beside the live one, then swap it in."""
        ...

    def fingerprints(self) -> dict[str, str]:
        """``{doc key: fingerprint}`` of everything in the index (for ``verify``)."""
        ...

    def close(self) -> None:
        """Release open files (the app is going away)."""
        ...


#: ``SEARCH_BACKEND`` values: the index on this host's disk, or in the PostgreSQL database.
BACKENDS = ("whoosh", "postgres")


def backend_name(app: Flask) -> str:
    return str(app.config.get("SEARCH_BACKEND") or "whoosh").strip().lower()


def check_backend(app: Flask) -> None:
    """Refuse to start with an unknown ``SEARCH_BACKEND``, or "postgres" without PostgreSQL."""
    from credgroup.config import ConfigurationError

    name = backend_name(app)
    if name not in BACKENDS:
        raise ConfigurationError(
            f"CREDGROUP_SEARCH_BACKEND must be one of {', '.join(BACKENDS)} (got {name!r})."
        )
    database = str(app.config.get("SQLALCHEMY_DATABASE_URI", ""))
    if name == "postgres" and not database.startswith("postgresql"):
        raise ConfigurationError(
            "CREDGROUP_SEARCH_BACKEND=postgres keeps the index in the database and needs "
            "PostgreSQL, but CREDGROUP_DATABASE_URL is not a PostgreSQL database. "
            "Use SEARCH_BACKEND=whoosh, or a postgresql+psycopg:// database."
        )


def get_backend(app: Flask | None = None) -> SearchBackend:
    """The app's search backend (``SEARCH_BACKEND``), created once per app (the Whoosh
    backend caches open searchers). The one place that chooses it."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    backend = app.extensions.get("credgroup_search")
    if backend is None:
        backend = _make_backend(app)
        app.extensions["credgroup_search"] = backend
        weakref.finalize(app, backend.close)
    return backend


def _make_backend(app: Flask) -> SearchBackend:
    if backend_name(app) == "postgres":
        from credgroup.search.pg_backend import PostgresBackend

        return PostgresBackend()
    from credgroup.search.whoosh_backend import WhooshBackend

    return WhooshBackend(index_dir(app))


def index_dir(app: Flask) -> str:
    """``SEARCH_INDEX_DIR``, else ``<instance>/search-index``. A testing app without the
    setting gets a fresh temporary index of its own: the tests' database is emptied after
    each test, and an index shared between runs would hold ids of rows long gone."""
    import os

    configured = app.config.get("SEARCH_INDEX_DIR")
    if configured:
        return configured
    if app.testing:
        import shutil
        import tempfile

        path = tempfile.mkdtemp(prefix="credgroup-search-test-")
        weakref.finalize(app, shutil.rmtree, path, ignore_errors=True)
        return path
    return os.path.join(app.instance_path, "search-index")
