"""The Whoosh search backend: with its scorer ``whoosh_scoring``, the only modules in
credgroup that import whoosh.

Layout on disk: ``<SEARCH_INDEX_DIR>/CURRENT`` names the live generation directory
(``gen-<n>``) holding a Whoosh index. ``rebuild`` writes a new generation beside the live
one while holding the live index's writer lock (so no outbox change slips into the old
one), then swaps ``CURRENT`` atomically; readers pick the new generation up on their next
search. Whoosh allows one writer per index: every write asks for the lock with a timeout
and turns Whoosh's ``LockError`` into :class:`IndexBusy`, which callers retry later.

Searching: what matched is a bitmask of the same terms (``docsets``) restricted to the
documents the viewer may see and to the operators, before anything is counted; the total
and the facet counts come from it. Only the documents in that set are then scored
(Whoosh's BM25F with field boosts, computed in bulk by ``whoosh_scoring``), so a hidden
document can be neither counted nor shown.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from markupsafe import escape
from whoosh import columns, formats, highlight, index
from whoosh import query as wq
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer, Token
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, FieldType, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.util.filelock import try_for

from credgroup.search.backend import (
    BackendHit,
    BackendQuery,
    BackendResults,
    Clause,
    IndexBusy,
    IndexDoc,
)
from credgroup.search.docsets import (
    DocSets,
    intersection,
    segment_key,
    union,
)
from credgroup.search.whoosh_scoring import (
    expanded_words,
    phrase_mask,
    posting_arrays,
    score_candidates,
)

# Lower-case, English stop words, Porter stemming: "invoices" finds "invoice".
STEM = StemmingAnalyzer()
# Unstemmed words, the vocabulary "did you mean" picks from.
WORDS = RegexTokenizer() | LowercaseFilter()
# Title (and tags) over text. Tuned on CISI: a stronger title boost ranked worse there.
FIELD_BOOSTS = {"title": 1.5, "keywords": 1.5, "error": 1.0, "body": 1.0}
# A word naming a portal also matches that portal's documents (by their portal field).
PORTAL_BOOST = 1.2
NONE = "none"  # stands for an empty keyword value (Whoosh would index "")
GENERATION_PREFIX = "gen-"
KEEP_OLD_GENERATIONS = 1
PREFIX_EXPANSION_LIMIT = 512
# Segments as separate files: a compound segment is opened by copying each of its parts
# into memory (BytesIO of the mmap), ~90 ms for every new searcher at 100,000 documents.
WRITER_OPTIONS = {"compound": False}
# Fields whose postings docsets keeps for scoring (the text fields and the portal).
SCORED_FIELDS = frozenset([*FIELD_BOOSTS, "portal"])


def _keyword() -> ID:
    field = ID()
    # Whoosh looks up a field length for every posting while writing; without a lengths
    # column (unscorable fields) each look-up is a stat() of a missing file.
    field.scorable = True
    return field


def make_schema() -> Schema:
    text = {name: TEXT(analyzer=STEM) for name in FIELD_BOOSTS}
    return Schema(
        key=ID(unique=True, stored=True),
        # Each distinct word once, no frequencies: only "is it a word here?" is asked.
        spell=FieldType(formats.Existence(), WORDS, scorable=True),
        type=_keyword(),
        portal=_keyword(),
        categories=KEYWORD(commas=True, scorable=True),
        status=_keyword(),
        scope=_keyword(),
        published=COLUMN(columns.NumericColumn("i")),
        confirmed=COLUMN(columns.NumericColumn("i")),
        fingerprint=STORED,
        **text,
    )


def to_fields(doc: IndexDoc) -> dict[str, object]:
    texts = (doc.title, doc.body, doc.error_text, doc.keywords, doc.portal_names)
    return {
        "key": doc.key,
        "type": doc.doc_type,
        "title": doc.title,
        "body": doc.body,
        "error": doc.error_text,
        "keywords": doc.keywords,
        "spell": " ".join(sorted({t.text for text in texts for t in WORDS(text)})),
        "portal": doc.portal or NONE,
        "categories": ",".join(doc.categories) or NONE,
        "status": doc.status or NONE,
        "scope": doc.scope,
        "published": doc.published_day,
        "confirmed": doc.confirmed,
        "fingerprint": doc.fingerprint,
    }


_TOKENIZER, _, _STOPS, _STEMMER = STEM.items
_ANALYSED: dict[str, str] = {}  # lower-case word -> its text after STEM
_ANALYSED_MAX = 200_000


def _analysed(word: str) -> str:
    """What STEM makes of one lower-case word when stop words are kept: the word itself
    when it is a stop word (or too short or long), else its stem."""
    text = _ANALYSED.get(word)
    if text is None:
        stopped = (
            len(word) < _STOPS.min
            or (_STOPS.max is not None and len(word) > _STOPS.max)
            or word in _STOPS.stops
        )
        text = word if stopped or word in _STEMMER.ignore else _STEMMER._stem(word)
        if len(_ANALYSED) >= _ANALYSED_MAX:
            _ANALYSED.clear()
        _ANALYSED[word] = text
    return text


def highlight_tokens(text: str, **_options) -> Iterator[Token]:
    """STEM's tokens of ``text`` for highlighting (stop words kept, character offsets): the
    same texts and offsets as ``STEM(text, chars=True, removestops=False)``, from one
    generator and a cache of analysed words instead of a chain of four filters (a third of
    a search's time went to snippets)."""
    token = Token(positions=False, chars=True, removestops=False, mode="query")
    for match in _TOKENIZER.expression.finditer(text):
        token.text = _analysed(match.group(0).lower())
        token.boost = 1.0
        token.startchar, token.endchar = match.span()
        yield token


class _MarkFormatter(highlight.Formatter):
    """Escapes every character of the text and wraps matches in ``<mark>``."""

    between = " … "

    def _text(self, text: str) -> str:
        return str(escape(text))

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


# --- building Whoosh queries -------------------------------------------------------------


def analyse(text: str) -> list[str]:
    return [token.text for token in STEM(text)]


def _over_fields(make) -> wq.Query:
    return wq.Or([make(field, boost) for field, boost in FIELD_BOOSTS.items()])


def prefixes(text: str) -> list[str]:
    """What a prefix* looks for in stemmed fields: as typed, and stemmed ("subscription*"
    must find "subscript", the stem of "subscriptions")."""
    typed = text.lower()
    stem = next(iter(analyse(typed)), typed)
    if typed.startswith(stem):
        return [stem]  # finds everything the typed prefix finds, and the stemmed forms
    return [typed, stem]


def _text_query(kind: str, text: str, maxdist: int = 1) -> wq.Query | None:
    if kind == "prefix":
        return wq.Or(
            [_over_fields(lambda f, b, p=p: wq.Prefix(f, p, boost=b)) for p in prefixes(text)]
        )
    words = analyse(text)
    if not words:
        return None  # only stop words
    if len(words) > 1:
        return _over_fields(lambda f, b: wq.Phrase(f, words, boost=b))
    if kind == "fuzzy":
        return _over_fields(
            lambda f, b: wq.FuzzyTerm(f, words[0], boost=b, maxdist=maxdist, prefixlength=1)
        )
    return _over_fields(lambda f, b: wq.Term(f, words[0], boost=b))


def clause_query(clause: Clause) -> wq.Query | None:
    parts = [_text_query(clause.kind, clause.text, clause.maxdist)]
    parts += [_text_query("phrase", alternative) for alternative in clause.expansions]
    parts += [wq.Term("portal", slug, boost=PORTAL_BOOST) for slug in clause.portals]
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def scored_query(q: BackendQuery) -> wq.Query | None:
    """What the person typed; None when nothing in it can be scored."""
    positive = [clause_query(c) for c in q.clauses if not c.negated]
    negative = [clause_query(c) for c in q.clauses if c.negated]
    positive = [p for p in positive if p is not None]
    negative = [n for n in negative if n is not None]
    if not positive:
        main = None
    elif len(positive) == 1:
        main = positive[0]
    elif q.match_all_words:
        main = wq.And(positive)
    else:
        # A coordination bonus: documents matching more of the words rank higher.
        main = wq.Or(positive, scale=0.9)
    if negative:
        main = wq.AndNot(main or wq.Every(), wq.Or(negative))
    return main


def nothing_visible(q: BackendQuery) -> bool:
    """No scope to see, or an operator that names nothing that exists."""
    return not q.scopes or any(not values for values in q.filters.values())


# --- what matched, as bitmasks (the same clauses, the same filters) --------------------------

FACET_FIELDS = {
    "type": "type",
    "portal": "portal",
    "category": "categories",
    "status": "status",
    "group": "scope",
}


def _terms_mask(sets: DocSets, terms_by_field) -> int:
    return union(sets.term(f, t) for f, terms in terms_by_field for t in terms)


def text_mask(kind: str, text: str, maxdist: int, searcher, sets: DocSets) -> int | None:
    """Documents matching one piece of text, exactly as ``_text_query`` matches them."""
    if kind == "prefix":
        return _terms_mask(
            sets,
            (
                (f, expanded_words(wq.Prefix(f, p), sets))
                for f in FIELD_BOOSTS
                for p in prefixes(text)
            ),
        )
    words = analyse(text)
    if not words:
        return None
    if len(words) > 1:
        return sets.cached(
            ("phrase", tuple(words)),
            lambda: union(phrase_mask(wq.Phrase(f, words), sets, searcher) for f in FIELD_BOOSTS),
        )
    if kind == "fuzzy":
        return _terms_mask(
            sets,
            (
                (
                    f,
                    expanded_words(
                        wq.FuzzyTerm(f, words[0], maxdist=maxdist, prefixlength=1), sets
                    ),
                )
                for f in FIELD_BOOSTS
            ),
        )
    return _terms_mask(sets, ((f, [words[0]]) for f in FIELD_BOOSTS))


def clause_mask(clause: Clause, searcher, sets: DocSets) -> int | None:
    parts = [text_mask(clause.kind, clause.text, clause.maxdist, searcher, sets)]
    parts += [text_mask("phrase", alt, 1, searcher, sets) for alt in clause.expansions]
    parts += [sets.term("portal", slug) for slug in clause.portals]
    parts = [part for part in parts if part is not None]
    return union(parts) if parts else None


def matched_mask(q: BackendQuery, searcher, sets: DocSets) -> int:
    """Every document the query matches among those the viewer may see."""
    if nothing_visible(q):
        return 0
    allowed = union(sets.term("scope", scope) for scope in q.scopes)
    for field, values in q.filters.items():
        allowed &= union(sets.term(field, value) for value in values)
    if not allowed:
        return 0
    masks = [(c.negated, clause_mask(c, searcher, sets)) for c in q.clauses]
    positive = [m for negated, m in masks if not negated and m is not None]
    negative = [m for negated, m in masks if negated and m is not None]
    if not positive:
        main = sets.everything
    elif q.match_all_words:
        main = intersection(positive, sets.everything)
    else:
        main = union(positive)
    if negative:
        main &= ~union(negative)
    return main & allowed


def posting_blocks(reader, field: str, text: str):
    """A term's document numbers block by block, straight from the posting file (no call
    per posting; deleted documents included, docsets masks them out)."""
    btext = reader.schema[field].to_bytes(text)
    matcher = reader._terms.matcher(field, btext, reader.schema[field].format)
    if not hasattr(matcher, "_next_block"):  # short lists are stored inline
        yield list(matcher.all_ids())
        return
    while not matcher._atend:
        matcher._read_ids()
        yield matcher._ids
        matcher._next_block()


def _sort_key(sets: DocSets, sort: str):
    published = sets.cached(("column", "published"), lambda: _column(sets, "published"))
    if sort == "confirmed":
        confirmed = sets.cached(("column", "confirmed"), lambda: _column(sets, "confirmed"))
        return lambda d: (-confirmed[d], -published[d], d)
    return lambda d: (-published[d], d)


def _column(sets: DocSets, name: str) -> list[int]:
    return list(sets.reader.column_reader(name))


def _hit(stored: dict, score: float | None) -> BackendHit:
    doc_type, _, doc_id = stored["key"].partition(":")
    # Sorted searches give sort keys, not relevance, as the hit's score.
    relevance = float(score) if isinstance(score, int | float) else 0.0
    return BackendHit(doc_type=doc_type, doc_id=int(doc_id), score=relevance)  # type: ignore[arg-type]


# --- the backend -------------------------------------------------------------------------


class WhooshBackend:
    """Whoosh index generations under ``base``, with one cached searcher per thread."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._local = threading.local()
        self._indexes: dict[str, index.Index] = {}
        self._searchers: set = set()  # every open searcher, of every thread
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close every searcher this backend opened (their files stay open otherwise)."""
        with self._lock:
            searchers, self._searchers = self._searchers, set()
        for searcher in searchers:
            searcher.close()

    # generations

    def _current_path(self) -> str | None:
        try:
            with open(os.path.join(self.base, "CURRENT"), encoding="utf-8") as handle:
                name = handle.read().strip()
        except FileNotFoundError:
            return None
        path = os.path.join(self.base, name)
        return path if name and os.path.isdir(path) else None

    def live_path(self) -> str:
        """The live generation, created empty on first use (under a lock: several processes
        may start at once)."""
        path = self._current_path()
        if path is not None:
            return path
        os.makedirs(self.base, exist_ok=True)
        lock = FileStorage(self.base).lock("INIT")
        lock.acquire(blocking=True)
        try:
            path = self._current_path()
            if path is None:
                path = self._new_generation()
                self._swap_to(path)
            return path
        finally:
            lock.release()

    def _new_generation(self) -> str:
        name = f"{GENERATION_PREFIX}{time.time_ns():020d}"
        path = os.path.join(self.base, name)
        os.makedirs(path)
        index.create_in(path, make_schema())
        return path

    def _swap_to(self, path: str) -> None:
        tmp = os.path.join(self.base, f"CURRENT.{os.getpid()}.{threading.get_ident()}")
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(os.path.basename(path))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, os.path.join(self.base, "CURRENT"))

    def _index(self, path: str) -> index.Index:
        ix = self._indexes.get(path)
        if ix is None:
            ix = self._indexes[path] = index.open_dir(path)
        return ix

    def _drop_old_generations(self, live: str) -> None:
        names = sorted(
            n
            for n in os.listdir(self.base)
            if n.startswith(GENERATION_PREFIX) and n != os.path.basename(live)
        )
        for name in names[: max(0, len(names) - KEEP_OLD_GENERATIONS)]:
            shutil.rmtree(os.path.join(self.base, name), ignore_errors=True)
            self._indexes.pop(os.path.join(self.base, name), None)

    # writing

    @contextmanager
    def exclusive(self, timeout: float):
        """Be the one writer: held across reading outbox rows, writing the index and
        deleting those rows, so two writers never handle the same rows (on SQLite a
        deleted row's id can come back, and a late delete would remove the new row)."""
        self.live_path()  # creates the folder on first use
        lock = FileStorage(self.base).lock("WRITER")
        if not try_for(lock.acquire, timeout=max(timeout, 0.01), delay=0.05):
            raise IndexBusy("another process is writing the search index")
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def _writer(self, timeout: float):
        """The live index's writer, or IndexBusy. Re-checks the live generation after
        waiting: a rebuild may have swapped it while we waited for the old one's lock."""
        deadline = time.monotonic() + timeout
        while True:
            path = self.live_path()
            try:
                writer = self._index(path).writer(
                    timeout=max(0.0, deadline - time.monotonic()), **WRITER_OPTIONS
                )
            except LockError as error:
                raise IndexBusy(str(error)) from error
            if self._current_path() == path:
                break
            writer.cancel()
            if time.monotonic() >= deadline:
                raise IndexBusy("the index was being rebuilt")
        try:
            yield writer
        finally:
            if not writer.is_closed:
                writer.cancel()  # releases the lock

    def apply(self, upserts: Sequence[IndexDoc], deletes: Sequence[str], *, timeout: float) -> None:
        with self._writer(timeout) as writer:
            for key in deletes:
                writer.delete_by_term("key", key)
            for doc in upserts:
                writer.update_document(**to_fields(doc))
            writer.commit()

    def rebuild(self, docs: Iterable[IndexDoc], *, timeout: float) -> int:
        # Holding the live writer keeps outbox changes out of the old generation meanwhile.
        with self._writer(timeout):
            path = self._new_generation()
            count = 0
            writer = index.open_dir(path).writer(**WRITER_OPTIONS)
            try:
                for doc in docs:
                    writer.add_document(**to_fields(doc))
                    count += 1
            except BaseException:
                writer.cancel()
                shutil.rmtree(path, ignore_errors=True)
                raise
            writer.commit(optimize=True)
            self._swap_to(path)
        self._drop_old_generations(path)
        return count

    # reading

    def _reading(self) -> tuple[object, DocSets]:
        """This thread's searcher and bitmask cache, renewed when the index changed.
        (Whoosh's own ``refresh()`` reuses segment readers and can keep showing deleted
        documents, so a changed index gets a fresh searcher.)"""
        path = self.live_path()
        ix = self._index(path)
        cached = getattr(self._local, "reading", None)
        if cached is not None:
            cached_path, searcher, sets = cached
            if cached_path == path and searcher.reader().generation() == ix.latest_generation():
                return searcher, sets
            with self._lock:
                self._searchers.discard(searcher)
            searcher.close()
        searcher = ix.searcher()
        with self._lock:
            self._searchers.add(searcher)
        reader = searcher.reader()
        sets = DocSets(
            reader, self._segment_masks(reader), posting_blocks, posting_arrays, SCORED_FIELDS
        )
        self._local.reading = (path, searcher, sets)
        return searcher, sets

    def _segment_masks(self, reader) -> dict:
        """This thread's per-segment masks, without segments that no longer exist."""
        masks = getattr(self._local, "segments", {})
        live = {segment_key(leaf) for leaf, _ in reader.leaf_readers()}
        self._local.segments = {key: value for key, value in masks.items() if key in live}
        return self._local.segments

    def _searcher(self):
        return self._reading()[0]

    def search(self, q: BackendQuery) -> BackendResults:
        searcher, sets = self._reading()
        matched = matched_mask(q, searcher, sets)
        facets = {}
        if q.facets:
            facets = {name: sets.counts(field, matched) for name, field in FACET_FIELDS.items()}
            for counts in facets.values():
                counts.pop(NONE, None)  # "no portal", "no status": not a value to pick
        scored = scored_query(q)
        pages = self._page(q, searcher, sets, matched, scored)
        hits = [_hit(searcher.stored_fields(doc), score) for doc, score in pages]
        terms = self._matched_terms(scored, searcher, sets) if scored is not None else frozenset()
        return BackendResults(matched.bit_count(), hits, facets, terms)

    def _page(self, q: BackendQuery, searcher, sets: DocSets, matched: int, scored):
        """(document number, score) of the requested page."""
        end = q.offset + q.limit
        positive = any(not c.negated for c in q.clauses)
        if q.sort == "relevance" and positive and scored is not None and matched:
            # Every match the viewer may see is scored (Whoosh's BM25F, in bulk); Whoosh's
            # own walk visits every match in the index, seen or not (3-10x slower here).
            return score_candidates(scored, searcher, sets, matched, end)[q.offset : end]
        order = "confirmed" if q.sort == "confirmed" else "newest"
        ordered = sets.first(matched, order, _sort_key(sets, order), end)
        return [(doc, 0.0) for doc in ordered[q.offset : end]]

    def count(self, q: BackendQuery) -> int:
        searcher, sets = self._reading()
        return matched_mask(q, searcher, sets).bit_count()

    def _matched_terms(self, query: wq.Query, searcher, sets: DocSets) -> frozenset[str]:
        """Term texts of the text fields that the query matches in this index (prefix and
        fuzzy clauses expanded, from the segments' cached expansions). Query.existing_terms()
        would do, but in Whoosh 2.7 it skips every leaf after the first (its loop variable
        shadows a parameter)."""
        reader = searcher.reader()
        texts: set[str] = set()
        for leaf in query.leaves():
            if leaf.field() not in FIELD_BOOSTS:
                continue
            if type(leaf) in (wq.Prefix, wq.FuzzyTerm):
                words = expanded_words(leaf, sets)  # each is in the index
                texts.update(words[: max(0, PREFIX_EXPANSION_LIMIT - len(texts))])
                continue
            for field, text in leaf.expanded_terms(reader, phrases=True):
                if len(texts) >= PREFIX_EXPANSION_LIMIT:
                    break
                text = text.decode("utf-8") if isinstance(text, bytes) else text
                if (field, text.encode("utf-8")) in reader:
                    texts.add(text)
        return frozenset(texts)

    def suggestions(self, word: str, limit: int = 5) -> list[str]:
        word = word.lower()
        reader = self._searcher().reader()
        found: list[tuple[int, int, str]] = []
        for distance in (1, 2) if len(word) > 5 else (1,):
            for candidate in reader.terms_within("spell", word, distance, prefix=1):
                if candidate != word and candidate not in {c for _, _, c in found}:
                    found.append((distance, -reader.doc_frequency("spell", candidate), candidate))
            if found:
                break
        return [candidate for _, _, candidate in sorted(found)[:limit]]

    def highlights(
        self, texts: list[str], terms: frozenset[str], *, length: int = 240
    ) -> list[str]:
        return [self.highlight(text, terms, length=length) for text in texts]

    def highlight(self, text: str, terms: frozenset[str], *, length: int = 240) -> str:
        fragmenter = highlight.ContextFragmenter(maxchars=length, surround=length // 3)
        marked = highlight.highlight(
            text, terms, highlight_tokens, fragmenter, _MarkFormatter(), top=2
        )
        if marked:
            return marked
        short = text[:length]
        return str(escape(short + ("…" if len(text) > length else "")))

    def fingerprints(self) -> dict[str, str]:
        reader = self._searcher().reader()
        return {fields["key"]: fields["fingerprint"] for fields in reader.all_stored_fields()}
