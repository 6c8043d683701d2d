"""The PostgreSQL full-text search backend (``SEARCH_BACKEND = "postgres"``).

The index is a table in the application's own database (``pg_schema``), so every app host
searches the same index and a deployment may run several. It implements the same
protocol as the Whoosh backend; what differs is said where it differs:

- **Writing.** One writer still applies the outbox: ``exclusive`` is a PostgreSQL
  advisory lock held on a connection of its own (released by the server if the process
  dies, unlike a lock file). ``apply`` writes inside the caller's transaction, the one
  that also deletes the applied outbox rows, so index and outbox commit together: exactly
  once, even across a crash. Every write is a row-level upsert or delete on rows locked in
  key order, so should two writers ever run at once (a lock timeout, a bulk job) they wait
  for each other row by row and cannot deadlock; a wait longer than the lock timeout is
  :class:`IndexBusy`, kept for the next run, never an error.
- **Rebuilding** deletes and refills the table in one transaction: searches keep seeing
  the old rows until it commits (MVCC gives the "build beside, then swap" of the Whoosh
  generations without a second table).
- **Ranking** is ``ts_rank_cd`` (cover density: words close together first) when every
  word must match, ``ts_rank`` (frequency) when any may, with weights A title, B error
  text and tags, C text, D portal. Neither knows inverse document frequency: a rare word
  counts no more than a common one, where Whoosh's BM25F weighs it up (CISI nDCG@10 0.29
  against 0.35).
- **Typos.** Fuzzy words and "did you mean" pick from ``search_words`` by trigram
  distance (``pg_trgm``), then keep the words within the edit distance Whoosh allows
  (first letter kept, transpositions count one). Suggestions are ordered by distance and
  trigram similarity; Whoosh orders equally close words by how many documents hold them.
- **Snippets** come from ``ts_headline`` with private-use characters as the highlight
  marks; the text is HTML-escaped afterwards and only then do the marks become
  ``<mark>``, so nothing in a document can produce markup.

Only this module and ``pg_query``/``pg_schema`` speak PostgreSQL's dialect.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

import sqlalchemy as sa
from markupsafe import escape
from sqlalchemy.exc import OperationalError

from credgroup.extensions import db
from credgroup.search import pg_query
from credgroup.search.backend import (
    BackendHit,
    BackendQuery,
    BackendResults,
    IndexBusy,
    IndexDoc,
    doc_key,
)

BATCH = 500
# The advisory lock key of the one index writer (per database).
WRITER_LOCK = int.from_bytes(hashlib.sha256(b"credgroup search writer").digest()[:8], "big") >> 1
LOCK_POLL_SECONDS = 0.05
LOCK_NOT_AVAILABLE = "55P03"
# Did-you-mean / fuzzy candidates: the nearest words by trigrams, then edit distance.
NEAR_WORDS = 64
MAX_FUZZY_WORDS = 32
WORD = re.compile(r"\w+")
MIN_WORD, MAX_WORD = 2, 40
# Punctuation becomes a space before indexing: the query parser reads "INV-15" and
# "e-invoice" as words next to each other, and so must the index (PostgreSQL's parser
# would otherwise add "inv-15" as one more word and shift every position after it).
PUNCTUATION = re.compile(r"[^\w\s]+")
# Highlight marks and stand-ins for < and > (ts_headline drops anything tag-like).
START, STOP, LT, GT = "\ue000", "\ue001", "\ue002", "\ue003"
PRIVATE = re.compile("[\ue000-\ue003]")

# Between the fields, a lexeme no text produces: concatenated vectors continue each other's
# positions, and a phrase must not run from the end of a title into the error text.
FIELD_GAP = "'~':1"
UPSERT = """
INSERT INTO search_documents AS d (doc_type, doc_id, scope, portal, categories, status,
                                   published_day, confirmed, fingerprint, vector)
SELECT r.doc_type, r.doc_id, r.scope, r.portal, string_to_array(r.categories, ','), r.status,
       r.published_day, r.confirmed, r.fingerprint,
       setweight(to_tsvector('english', r.title), 'A') || CAST(:gap AS tsvector)
       || setweight(to_tsvector('english', r.error), 'B') || CAST(:gap AS tsvector)
       || setweight(to_tsvector('english', r.keywords), 'B') || CAST(:gap AS tsvector)
       || setweight(to_tsvector('english', r.body), 'C')
       || setweight(CAST(r.labels AS tsvector), 'D')
FROM unnest(CAST(:doc_type AS varchar[]), CAST(:doc_id AS integer[]), CAST(:scope AS varchar[]),
            CAST(:portal AS varchar[]), CAST(:categories AS text[]), CAST(:status AS varchar[]),
            CAST(:published_day AS integer[]), CAST(:confirmed AS integer[]),
            CAST(:fingerprint AS varchar[]), CAST(:title AS text[]), CAST(:error AS text[]),
            CAST(:keywords AS text[]), CAST(:body AS text[]), CAST(:labels AS text[]))
     AS r(doc_type, doc_id, scope, portal, categories, status, published_day, confirmed,
          fingerprint, title, error, keywords, body, labels)
ORDER BY r.doc_type, r.doc_id
ON CONFLICT (doc_type, doc_id) DO UPDATE SET
    scope = excluded.scope, portal = excluded.portal, categories = excluded.categories,
    status = excluded.status, published_day = excluded.published_day,
    confirmed = excluded.confirmed, fingerprint = excluded.fingerprint, vector = excluded.vector
WHERE d.fingerprint IS DISTINCT FROM excluded.fingerprint
"""
KEYS = "SELECT * FROM unnest(CAST(:doc_type AS varchar[]), CAST(:doc_id AS integer[]))"
LOCK_ROWS = f"""
SELECT 1 FROM search_documents WHERE (doc_type, doc_id) IN ({KEYS})
ORDER BY doc_type, doc_id FOR UPDATE
"""  # noqa: S608 - constants only
DELETE = f"DELETE FROM search_documents WHERE (doc_type, doc_id) IN ({KEYS})"  # noqa: S608
ADD_WORDS = """
INSERT INTO search_words (word) SELECT w FROM unnest(CAST(:words AS varchar[])) AS w
ORDER BY w ON CONFLICT DO NOTHING
"""
NEAR = "SELECT word FROM search_words ORDER BY word <-> :word LIMIT :limit"
HEADLINES = """
SELECT ts_headline('english', t.text, CAST(:query AS tsquery), t.options)
FROM unnest(CAST(:texts AS text[]), CAST(:options AS text[])) WITH ORDINALITY AS t(text, options, n)
ORDER BY t.n
"""


# --- documents as rows -------------------------------------------------------------------


def _indexed_text(text: str) -> str:
    return PUNCTUATION.sub(" ", text)


def rows_of(docs: Sequence[IndexDoc]) -> dict[str, Any]:
    """The documents as one array per column (for ``unnest``), in key order."""
    ordered = sorted(docs, key=lambda d: (d.doc_type, d.doc_id))
    return {
        "gap": FIELD_GAP,
        "doc_type": [d.doc_type for d in ordered],
        "doc_id": [d.doc_id for d in ordered],
        "scope": [d.scope for d in ordered],
        "portal": [d.portal for d in ordered],
        "categories": [",".join(d.categories) for d in ordered],
        "status": [d.status for d in ordered],
        "published_day": [d.published_day for d in ordered],
        "confirmed": [d.confirmed for d in ordered],
        "fingerprint": [d.fingerprint for d in ordered],
        "title": [_indexed_text(d.title) for d in ordered],
        "error": [_indexed_text(d.error_text) for d in ordered],
        "keywords": [_indexed_text(d.keywords) for d in ordered],
        "body": [_indexed_text(d.body) for d in ordered],
        "labels": [
            " ".join(f"{pg_query.literal(x)}:1" for x in pg_query.labels(d)) for d in ordered
        ],
    }


def words_of(docs: Iterable[IndexDoc]) -> list[str]:
    """The vocabulary of ``docs`` (what "did you mean" may offer), sorted."""
    found: set[str] = set()
    for d in docs:
        text = " ".join((d.title, d.body, d.error_text, d.keywords, d.portal_names))
        found.update(w for w in WORD.findall(text.lower()) if MIN_WORD <= len(w) <= MAX_WORD)
    return sorted(found)


def _keys(keys: Iterable[tuple[str, int]]) -> dict[str, list]:
    ordered = sorted(keys)
    return {"doc_type": [t for t, _ in ordered], "doc_id": [i for _, i in ordered]}


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent transpositions counting one (optimal string
    alignment), or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        # Past the limit for good: this row is, and a transposition from the row before
        # (one more edit) would be too.
        if min(current) > limit and min(previous) >= limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _nothing_visible(q: BackendQuery) -> bool:
    """No scope to see, or an operator that names nothing that exists."""
    return not q.scopes or any(not values for values in q.filters.values())


def _busy(error: OperationalError) -> bool:
    return getattr(error.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE


# --- the backend -------------------------------------------------------------------------


class PostgresBackend:
    """Search through the ``search_documents`` table of the app's PostgreSQL database."""

    def close(self) -> None:
        """Nothing to release: connections belong to the app's engine."""

    # writing

    @contextmanager
    def exclusive(self, timeout: float):
        """Be the one writer: an advisory lock on a connection of its own, held across
        the caller's commits (reading outbox rows, writing, deleting them)."""
        connection = db.engine.connect()
        try:
            if not self._take_lock(connection, timeout):
                raise IndexBusy("another process is writing the search index")
            try:
                yield
            finally:
                self._release_lock(connection)
        finally:
            connection.close()

    @staticmethod
    def _take_lock(connection: sa.Connection, timeout: float) -> bool:
        deadline = time.monotonic() + max(timeout, 0.01)
        while True:
            taken = connection.scalar(
                sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": WRITER_LOCK}
            )
            connection.commit()  # a session lock: no transaction left open while it is held
            if taken:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(LOCK_POLL_SECONDS)

    @staticmethod
    def _release_lock(connection: sa.Connection) -> None:
        try:
            connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": WRITER_LOCK})
            connection.commit()
        except Exception:
            connection.invalidate()  # closing the connection is what releases the lock then
            raise

    def apply(self, upserts: Sequence[IndexDoc], deletes: Sequence[str], *, timeout: float) -> None:
        """Upsert and delete rows in the caller's transaction (the caller commits)."""
        deleted = [(t, int(i)) for t, _, i in (key.partition(":") for key in deletes)]
        connection = db.session.connection()
        try:
            self._lock_timeout(connection, timeout)
            self._lock_rows(connection, [*deleted, *((d.doc_type, d.doc_id) for d in upserts)])
            if deleted:
                connection.execute(sa.text(DELETE), _keys(deleted))
            self._write(connection, upserts)
        except OperationalError as error:
            if _busy(error):
                raise IndexBusy("index rows are being written by another writer") from error
            raise

    @staticmethod
    def _lock_timeout(connection: sa.Connection, timeout: float) -> None:
        milliseconds = max(1, int(timeout * 1000))
        connection.execute(sa.text(f"SET LOCAL lock_timeout = {milliseconds}"))

    @staticmethod
    def _lock_rows(connection: sa.Connection, keys: list[tuple[str, int]]) -> None:
        """Lock the existing rows about to change, in key order (so writers never wait for
        each other in a circle)."""
        if keys:
            connection.execute(sa.text(LOCK_ROWS), _keys(set(keys)))

    @staticmethod
    def _write(connection: sa.Connection, docs: Sequence[IndexDoc]) -> None:
        if docs:
            connection.execute(sa.text(ADD_WORDS), {"words": words_of(docs)})
            connection.execute(sa.text(UPSERT), rows_of(docs))

    def rebuild(self, docs: Iterable[IndexDoc], *, timeout: float) -> int:
        """Empty and refill the index and the vocabulary in one transaction."""
        count = 0
        try:
            with db.engine.begin() as connection:
                self._lock_timeout(connection, timeout)
                connection.execute(sa.text("DELETE FROM search_documents"))
                connection.execute(sa.text("DELETE FROM search_words"))
                for batch in _batches(docs, BATCH):
                    self._write(connection, batch)
                    count += len(batch)
        except OperationalError as error:
            if _busy(error):
                raise IndexBusy("the index is being written by another writer") from error
            raise
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            # The replaced rows' index entries go now rather than at autovacuum's leisure
            # (searches would step over them), and fresh statistics (lexeme frequencies
            # too) let the planner choose between the word and scope indexes well.
            connection.execute(sa.text("VACUUM (ANALYZE) search_documents, search_words"))
        return count

    # reading

    def _text_query(self, q: BackendQuery) -> pg_query.TextQuery:
        fuzzy = {
            c.text.lower(): self._fuzzy_words(c.text.lower(), c.maxdist)
            for c in q.clauses
            if c.kind == "fuzzy"
        }
        wanted = pg_query.all_pieces(q.clauses, fuzzy)
        analysed = {}
        if wanted:
            kinds, texts = zip(*wanted, strict=True)
            rows = db.session.scalars(
                sa.text(pg_query.ANALYSE), {"kinds": list(kinds), "texts": list(texts)}
            )
            analysed = dict(zip(wanted, rows, strict=True))
        return pg_query.text_query(q, analysed, fuzzy)

    def search(self, q: BackendQuery) -> BackendResults:
        if _nothing_visible(q):
            return BackendResults(0, [], {})
        text = self._text_query(q)
        sql, params = pg_query.search_sql(q, text, on_rows=self._few_rows(q))
        row = db.session.execute(sa.text(sql), params).mappings().one()
        hits = [
            BackendHit(doc_type=doc_type, doc_id=int(doc_id), score=float(score))
            for doc_type, doc_id, score in row["hits"] or []
        ]
        facets = {}
        if q.facets:
            facets = {name: dict(row[f"f_{name}"] or {}) for name in pg_query.FACET_SQL}
        return BackendResults(int(row["total"]), hits, facets, text.lexemes)

    @staticmethod
    def _few_rows(q: BackendQuery) -> bool:
        """Whether the scopes are few and small enough to match on their rows (see
        ``pg_query.FEW_SCOPES``): counted from the scope index, up to FEW_ROWS."""
        scopes = pg_query.searched_scopes(q)
        if not scopes or len(scopes) > pg_query.FEW_SCOPES:
            return False
        limit = pg_query.FEW_ROWS
        found = db.session.scalar(sa.text(pg_query.SCOPE_ROWS), {"scopes": scopes, "limit": limit})
        return int(found or 0) < limit

    def count(self, q: BackendQuery) -> int:
        # No shortcut when nothing is visible: /readyz counts over no scope to see that the
        # table answers (the WHERE clause then matches nothing, through the index).
        sql, params = pg_query.count_sql(q, self._text_query(q))
        return int(db.session.scalar(sa.text(sql), params) or 0)

    def _near_words(self, word: str) -> list[str]:
        rows = db.session.scalars(sa.text(NEAR), {"word": word, "limit": NEAR_WORDS})
        return [w for w in rows if w[:1] == word[:1]]  # the first letter is never a typo

    def _fuzzy_words(self, word: str, maxdist: int) -> list[str]:
        near = [w for w in self._near_words(word) if edit_distance(word, w, maxdist) <= maxdist]
        return [word, *(w for w in near if w != word)][:MAX_FUZZY_WORDS]

    def suggestions(self, word: str, limit: int = 5) -> list[str]:
        """Known words one edit from ``word`` (two for words over five letters), nearest
        first; the service keeps only those that find something the viewer may see."""
        word = word.lower()
        near = [w for w in self._near_words(word) if w != word]
        for distance in (1, 2) if len(word) > 5 else (1,):
            found = [w for w in near if edit_distance(word, w, distance) <= distance]
            if found:
                return found[:limit]
        return []

    def highlight(self, text: str, terms: frozenset[str], *, length: int = 240) -> str:
        """An escaped snippet with the matched words in ``<mark>`` (see the module doc)."""
        return self.highlights([text], terms, length=length)[0]

    def highlights(
        self, texts: list[str], terms: frozenset[str], *, length: int = 240
    ) -> list[str]:
        """The snippets of several texts from one statement: a page of results used to ask
        for its snippets one by one, ten round trips."""
        texts = [PRIVATE.sub("", text) for text in texts]
        wanted = [i for i, text in enumerate(texts) if terms and text.strip()]
        marked: dict[int, str] = {}
        if wanted:
            rows = db.session.scalars(
                sa.text(HEADLINES),
                {
                    "texts": [texts[i].replace("<", LT).replace(">", GT) for i in wanted],
                    "query": pg_query.highlight_tsquery(terms),
                    "options": [_headline_options(texts[i], length) for i in wanted],
                },
            )
            marked = dict(zip(wanted, rows, strict=True))
        return [_snippet_html(text, marked.get(i), length) for i, text in enumerate(texts)]

    def fingerprints(self) -> dict[str, str]:
        rows = db.session.execute(
            sa.text("SELECT doc_type, doc_id, fingerprint FROM search_documents")
        )
        return {doc_key(doc_type, doc_id): fingerprint for doc_type, doc_id, fingerprint in rows}


def _snippet_html(text: str, marked: str | None, length: int) -> str:
    """``ts_headline``'s answer as HTML (its marks as ``<mark>``, everything else
    escaped); the start of the text when nothing was marked."""
    if marked and START in marked:
        html = str(escape(marked))
        for mark, markup in ((START, "<mark>"), (STOP, "</mark>"), (LT, "&lt;"), (GT, "&gt;")):
            html = html.replace(mark, markup)
        return html
    short = text[:length]
    return str(escape(short + ("…" if len(text) > length else "")))


def _headline_options(text: str, length: int) -> str:
    """A short text is shown whole; a long one as up to two passages around matches."""
    marks = f"StartSel={START}, StopSel={STOP}"
    if len(text) <= length:
        return f"{marks}, HighlightAll=true"
    words = max(length // 7, 10)
    return (
        f"{marks}, MaxWords={words}, MinWords={words // 2}, ShortWord=2, MaxFragments=2, "
        f'FragmentDelimiter=" … "'
    )
