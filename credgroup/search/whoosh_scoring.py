"""Scoring the viewer's visible matches in bulk, with Whoosh's own BM25F figures.

Whoosh scores by walking a tree of matchers: several Python calls per posting of every
term in every field. For a word found in a third of 100,000 documents that walk took
50-200 ms, mostly on documents the viewer may not see. Here the same scores come from the
postings ``docsets`` keeps per segment (document numbers and frequencies, read once): for
each term of the query, the viewer's matches among its postings are picked out in C
(``compress`` over ``map`` of a set's membership test) and only those are scored, with the
statistics and the formula of Whoosh's ``BM25FScorer``. The query tree is combined as
Whoosh's matchers combine it (sums for Or and And, boosts, the coordination bonus of
``Or(scale=...)``, prefixes and typos expanded per segment), so scores and ranking are
Whoosh's. Any other kind of query (a phrase) is scored by Whoosh's own matcher, skipping
straight to each candidate.

Part of the Whoosh backend: with ``whoosh_backend`` the only modules importing whoosh.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, compress, repeat
from operator import neg
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.scoring import BM25FScorer
from whoosh.util.numeric import byte_to_length

from credgroup.search.docsets import DocSets, SegmentMasks, from_ids, to_ids

# Field length of each length byte (Whoosh stores lengths as one logarithmic byte).
LENGTHS = tuple(byte_to_length(b) for b in range(256))
# Whoosh's Or turns into a preloaded, differently scored matcher from this many terms on;
# such an expansion is left to Whoosh's own matcher.
TOO_MANY_TERMS = wq.Or.TOO_MANY_CLAUSES
# Binary-search each candidate in a posting list this many times longer than their number.
BISECT_RATIO = 32


# --- reading a segment (the only places that know Whoosh's storage) ---------------------


def posting_arrays(reader: Any, field: str, text: str) -> tuple[array, array]:
    """A term's document numbers and frequencies in one segment, block by block straight
    from the posting file (deleted documents included: they are never candidates)."""
    btext = reader.schema[field].to_bytes(text)
    matcher = reader._terms.matcher(field, btext, reader.schema[field].format)
    ids, weights = array("I"), array("f")
    if not hasattr(matcher, "_next_block"):  # a single posting stored inline
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return ids, weights
    while not matcher._atend:
        matcher._read_data()  # the block's (ids, weights, values), unpickled
        block_ids, block_weights = matcher._data[0], matcher._data[1]
        # As W3LeafMatcher._read_ids/_read_weights decode them, without a Python call per
        # posting: ids are stored as gaps, weights as None (all 1.0), one float, or a list.
        ids.extend(block_ids if matcher._byteids else accumulate(block_ids))
        if block_weights is None or isinstance(block_weights, float):
            weights.extend(repeat(1.0 if block_weights is None else block_weights, len(block_ids)))
        else:
            weights.extend(block_weights)
        matcher._next_block()
    return ids, weights


def length_bytes(reader: Any, field: str) -> bytes:
    """One length byte per document of the segment, as ``doc_field_length`` reads them
    (a missing lengths column counts as length 1, Whoosh's default there)."""
    count = reader.doc_count_all()
    perdoc = reader._perdoc
    column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return bytes([1]) * count
    stored = column._count
    data = column._dbfile.get(column._basepos, stored) if stored else b""
    return bytes(data) + bytes(count - stored)


# --- scores of one query node in one segment --------------------------------------------


@dataclass
class _Scores:
    """What a query node matched among the candidates of one segment: document -> score,
    and (under a coordination bonus) document -> how many of its terms matched there;
    ``terms`` counts its term leaves, as Whoosh's ``term_matchers()`` would."""

    scores: dict[int, float]
    matched: dict[int, int] | None = None
    terms: int = 0


def _nothing(count: bool) -> _Scores:
    return _Scores({}, {} if count else None, 0)


class _Segment:
    """One segment's side of a scoring run: its searcher, its cached postings, and the
    candidates (the viewer's matches) in it."""

    def __init__(self, searcher: Any, masks: SegmentMasks, local: int, context: Any) -> None:
        self.searcher = searcher  # its parent holds the global statistics
        self.reader = searcher.reader()
        self.masks = masks
        self.local = local  # candidates as a bitmask of segment-local document numbers
        self.context = context

    @cached_property
    def wanted(self) -> Callable[[int], int]:
        """Whether a document is a candidate, as a C-level call: one byte per document."""
        return _flags(self.local, self.reader.doc_count_all()).__getitem__

    @cached_property
    def candidates(self) -> list[int]:
        return to_ids(self.local)

    @cached_property
    def count(self) -> int:
        return self.local.bit_count()

    def within(self, local: int) -> _Segment:
        """The same segment with fewer candidates."""
        return _Segment(self.searcher, self.masks, local, self.context)


# Byte b -> eight bytes, the bits of b (lowest first) as 0 or 1.
_BITS = tuple(bytes((b >> n) & 1 for n in range(8)) for b in range(256))


def _flags(mask: int, size: int) -> bytes:
    return b"".join(map(_BITS.__getitem__, mask.to_bytes((size + 7) // 8, "little")))


def expansions(q: wq.Prefix | wq.FuzzyTerm, reader: Any, masks: SegmentMasks) -> list[bytes]:
    """The segment's words a prefix or typo stands for (kept with the segment: reading
    them walks the term dictionary on disk)."""
    key = ("expand", type(q).__name__, q.fieldname, q.text)
    key += (q.maxdist, q.prefixlength) if isinstance(q, wq.FuzzyTerm) else ()
    return masks.cached(key, lambda: [_bytes(w) for w in q._btexts(reader) if w])


def phrase_docs(q: wq.Phrase, searcher: Any, masks: SegmentMasks) -> int:
    """The segment's documents having the phrase in its field (a bitmask, kept with the
    segment; documents deleted later stay in it, they are never candidates)."""
    key = ("phrase", q.fieldname, tuple(q.words), q.slop)

    def compute() -> int:
        reader = searcher.reader()
        matcher = q.matcher(searcher, searcher.boolean_context())
        return from_ids(matcher.all_ids(), reader.doc_count_all())

    return masks.cached(key, compute)


def phrase_mask(q: wq.Phrase, sets: DocSets, searcher: Any) -> int:
    """The index's documents having the phrase (its own segments' cached masks)."""
    subsearchers = {offset: sub for sub, offset in searcher.leaf_searchers()}
    mask = 0
    for _, offset, masks in sets.segments():
        mask |= phrase_docs(q, subsearchers[offset], masks) << offset
    return mask & sets.everything


def expanded_words(q: wq.Prefix | wq.FuzzyTerm, sets: DocSets) -> list[str]:
    """The words of the whole index a prefix or typo stands for."""
    words: set[str] = set()
    for leaf, _, masks in sets.segments():
        words.update(w.decode("utf-8") for w in expansions(q, leaf, masks))
    return sorted(words)


def _bytes(word: str | bytes) -> bytes:
    return word if isinstance(word, bytes) else word.encode("utf-8")


def _score(q: wq.Query, seg: _Segment, count: bool) -> _Scores:
    kind = type(q)
    if kind is wq.Term:
        return _term(q, seg, count)
    if kind is wq.Or or kind is wq.And:
        return _compound(q, seg, count)
    if kind is wq.AndNot:
        return _and_not(q, seg, count)
    if (kind is wq.Prefix and q.text) or kind is wq.FuzzyTerm:
        return _expanded(q, seg, count)
    if kind is wq.Phrase:
        return _phrase(q, seg, count)
    return _by_matcher(q, seg, count, seg.candidates)


def _term(q: wq.Term, seg: _Segment, count: bool) -> _Scores:
    """Whoosh's ``Term.matcher`` with a BM25F scorer, for the candidates at once."""
    schema = seg.searcher.schema
    if q.fieldname not in schema:
        return _nothing(count)
    try:
        btext = schema[q.fieldname].to_bytes(q.text)
    except ValueError:
        return _nothing(count)
    if (q.fieldname, btext) not in seg.reader:
        return _nothing(count)
    scorer = seg.searcher.weighting.scorer(seg.searcher, q.fieldname, btext)
    if type(scorer) is not BM25FScorer:
        return _by_matcher(q, seg, count, seg.candidates)
    text = btext.decode("utf-8")
    ids, weights = seg.masks.postings(seg.reader, q.fieldname, text, posting_arrays)
    lengths = seg.masks.lengths(seg.reader, q.fieldname, length_bytes)
    idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    # whoosh.scoring.bm25, term by term in the same order (so the same floating point):
    # idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
    norm = [k1 * ((1 - b) + b * fl / avgfl) for fl in LENGTHS]
    k1_1 = k1 + 1
    boost = q.boost
    scores = {}
    for i in _positions(ids, seg):
        doc, tf = ids[i], weights[i]
        score = idf * ((tf * k1_1) / (tf + norm[lengths[doc]]))
        scores[doc] = score * boost if boost != 1.0 else score
    return _Scores(scores, dict.fromkeys(scores, 1) if count else None, 1)


def _positions(ids: array, seg: _Segment) -> Iterable[int]:
    """Where the candidates are in a posting list: for a few candidates, a binary search
    each; otherwise every posting tested in C (~35 ns each)."""
    if seg.count * BISECT_RATIO < len(ids):
        end = len(ids)
        found = ((bisect_left(ids, doc), doc) for doc in seg.candidates)
        return [i for i, doc in found if i < end and ids[i] == doc]
    return compress(range(len(ids)), map(seg.wanted, ids))


def _phrase(q: wq.Phrase, seg: _Segment, count: bool) -> _Scores:
    """Whoosh's Phrase matcher scores a document having the phrase as the sum of its words'
    scores there (SpanNear2 over an intersection of the words' Term matchers), times the
    phrase's boost; which documents have it comes from the positions (``phrase_docs``)."""
    schema = seg.searcher.schema
    if q.fieldname not in schema:
        return _nothing(count)
    fieldobj = schema[q.fieldname]
    if not (fieldobj.format and fieldobj.format.supports("positions")):
        return _by_matcher(q, seg, count, seg.candidates)  # Whoosh's own QueryError
    words = []
    for word in q.words:
        try:
            btext = fieldobj.to_bytes(word)
        except ValueError:
            return _nothing(count)
        if (q.fieldname, btext) not in seg.reader:
            return _nothing(count)
        words.append(btext)
    where = seg.within(seg.local & phrase_docs(q, seg.searcher, seg.masks))
    combined = _intersection([_term(wq.Term(q.fieldname, w), where, count) for w in words])
    if q.boost != 1.0:
        combined.scores = {doc: s * q.boost for doc, s in combined.scores.items()}
    return combined


def _compound(q: wq.Or | wq.And, seg: _Segment, count: bool) -> _Scores:
    """Or: the sum over the parts that match; And: the sum where all match. Then the
    query's boost, then (Or with ``scale``) Whoosh's coordination bonus (CoordMatcher)."""
    subs = q.subqueries
    if not subs:
        return _nothing(count)
    if len(subs) == 1:
        return _score(subs[0], seg, count)  # Whoosh uses the part's matcher, boost and all
    coordinate = type(q) is wq.Or and bool(q.scale)
    parts = [_score(sub, seg, count or coordinate) for sub in subs]
    combined = _union(parts) if type(q) is wq.Or else _intersection(parts)
    if q.boost != 1.0:
        combined.scores = {doc: s * q.boost for doc, s in combined.scores.items()}
    if coordinate and combined.terms:
        combined.scores = _coordinated(combined, q.scale)
    if not count:
        combined.matched = None
    return combined


def _union(parts: list[_Scores]) -> _Scores:
    scores: dict[int, float] = dict(parts[0].scores)
    counting = parts[0].matched is not None
    matched: dict[int, int] | None = dict(parts[0].matched) if counting else None
    for part in parts[1:]:
        get = scores.get
        for doc, score in part.scores.items():
            scores[doc] = get(doc, 0.0) + score
        if counting:
            add = matched.get
            for doc, n in part.matched.items():
                matched[doc] = add(doc, 0) + n
    return _Scores(scores, matched, sum(p.terms for p in parts))


def _intersection(parts: list[_Scores]) -> _Scores:
    common = set(parts[0].scores).intersection(*(p.scores for p in parts[1:]))
    scores = {}
    for doc in common:
        total = 0.0
        for part in parts:
            total += part.scores[doc]
        scores[doc] = total
    matched = None
    if parts[0].matched is not None:
        matched = {doc: sum(p.matched[doc] for p in parts) for doc in common}
    return _Scores(scores, matched, sum(p.terms for p in parts))


def _coordinated(combined: _Scores, scale: float) -> dict[int, float]:
    """whoosh.matching.CoordMatcher._sqr: documents matching more of the terms gain."""
    terms = combined.terms
    if terms == scale:
        return dict.fromkeys(combined.scores, 0)
    matched = combined.matched
    factor = (terms - 1) / terms
    spread = (terms - scale) ** 2
    return {doc: (s + ((matched[doc] - 1) / spread)) * factor for doc, s in combined.scores.items()}


def _and_not(q: wq.AndNot, seg: _Segment, count: bool) -> _Scores:
    kept = _score(q.a, seg, count)
    dropped = _score(q.b, seg, False)
    for doc in dropped.scores:
        kept.scores.pop(doc, None)
        if kept.matched is not None:
            kept.matched.pop(doc, None)
    kept.terms += dropped.terms
    return kept


def _expanded(q: wq.MultiTerm, seg: _Segment, count: bool) -> _Scores:
    """MultiTerm.matcher: the words of this segment the prefix or typo stands for; one
    word is that term (without the query's boost), several an Or of them (with it)."""
    field = q.field()
    words = expansions(q, seg.reader, seg.masks)
    if not words:
        return _nothing(count)
    if len(words) == 1:
        return _term(wq.Term(field, words[0]), seg, count)
    if len(words) >= TOO_MANY_TERMS:
        return _by_matcher(q, seg, count, seg.candidates)
    return _compound(wq.Or([wq.Term(field, word) for word in words], boost=q.boost), seg, count)


def _by_matcher(q: wq.Query, seg: _Segment, count: bool, candidates: list[int]) -> _Scores:
    """Whoosh's own matcher for this part (a phrase), skipping straight to each of the
    ``candidates`` (ascending)."""
    matcher = q.matcher(seg.searcher, seg.context)
    terms = sum(1 for _ in matcher.term_matchers())
    scores: dict[int, float] = {}
    matched: dict[int, int] | None = {} if count else None
    for doc in candidates:
        if not matcher.is_active():
            break
        if matcher.id() < doc:
            matcher.skip_to(doc)
            if not matcher.is_active():
                break
        if matcher.id() == doc:
            scores[doc] = matcher.score()
            if matched is not None:
                matched[doc] = sum(1 for _ in matcher.matching_terms(doc))
    return _Scores(scores, matched, terms)


# --- the entry point ---------------------------------------------------------------------


def score_candidates(
    query: wq.Query, searcher: Any, sets: DocSets, matched: int, limit: int
) -> list[tuple[int, float]]:
    """The best ``limit`` (document, score) among the ``matched`` documents (a bitmask),
    best first; equal scores in document order, as Whoosh orders them."""
    context = searcher.context(needs_current=True)
    subsearchers = {offset: sub for sub, offset in searcher.leaf_searchers()}
    ranked: list[tuple[float, int]] = []
    for leaf, offset, masks in sets.segments():
        local = (matched >> offset) & ((1 << leaf.doc_count_all()) - 1)
        if not local:
            continue
        scores = _score(query, _Segment(subsearchers[offset], masks, local, context), False).scores
        # (-score, document) pairs compared in C: no Python call per match.
        best = heapq.nsmallest(limit, zip(map(neg, scores.values()), scores, strict=True))
        ranked.extend((score, doc + offset) for score, doc in best)
    return [(doc, -score) for score, doc in heapq.nsmallest(limit, ranked)]
