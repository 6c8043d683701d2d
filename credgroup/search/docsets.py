"""Sets of documents as bitmasks, for counting: totals and facets in microseconds.

A Python ``int`` whose bit *n* is set when document number *n* is in the set: ``&``, ``|``
and ``int.bit_count()`` run in C over whole machine words, so intersecting a match set with
the postings of every facet value costs almost nothing, where Whoosh's ``groupedby`` calls
Python code for every matching document and every facet (hundreds of milliseconds at
100,000 documents).

Masks are cached per index *segment* (:class:`SegmentMasks`), which outlive index
generations: after the writer adds a small segment, only that segment's postings are read
again. A document deleted from a segment later is dropped by AND-ing with the segment's
current live documents. :class:`DocSets` joins the segments of one generation (document
number = segment offset + number in the segment). For the fields that are scored, a
segment also keeps the postings it read for a mask (document numbers and frequencies) and
its field lengths: scoring (``whoosh_scoring``) then reads no posting file at all. Nothing
here imports whoosh; the readers come from the Whoosh modules.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

MAX_CACHED = 4096
# Postings kept per segment for scoring (8 bytes a posting): 64 MB holds those of ~150
# words each found in half of 100,000 documents.
POSTINGS_BUDGET = 64 * 2**20


BIT = tuple(1 << n for n in range(8))


def from_ids(ids: Iterable[int], size: int) -> int:
    return from_blocks([ids], size)


def from_blocks(blocks: Iterable[Iterable[int]], size: int) -> int:
    """The mask of the document numbers in ``blocks`` (sequences of ids, e.g. the posting
    blocks of a term: one tight loop per block, no call per posting)."""
    bits = bytearray((size + 7) // 8)
    bit = BIT
    for ids in blocks:
        for doc in ids:
            bits[doc >> 3] |= bit[doc & 7]
    return int.from_bytes(bits, "little")


def to_ids(mask: int) -> list[int]:
    """Document numbers in ``mask``, ascending."""
    ids: list[int] = []
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    for index, byte in enumerate(data):
        while byte:
            low = byte & -byte
            ids.append(index * 8 + low.bit_length() - 1)
            byte ^= low
    return ids


def union(masks: Iterable[int]) -> int:
    result = 0
    for mask in masks:
        result |= mask
    return result


def intersection(masks: Iterable[int], everything: int) -> int:
    result = everything
    for mask in masks:
        result &= mask
    return result


class _SizedCache:
    """An LRU of (array, array) pairs holding at most ``budget`` bytes of items (one
    entry larger than the budget is returned but not kept)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self._values: OrderedDict[Any, tuple[array, array]] = OrderedDict()

    def get(self, key: Any, compute: Callable[[], tuple[array, array]]) -> tuple[array, array]:
        if key in self._values:
            self._values.move_to_end(key)
            return self._values[key]
        value = compute()
        size = _nbytes(value)
        if size > self.budget:
            return value
        self._values[key] = value
        self.used += size
        while self.used > self.budget:
            _, dropped = self._values.popitem(last=False)
            self.used -= _nbytes(dropped)
        return value


def _nbytes(pair: tuple[array, array]) -> int:
    return sum(len(a) * a.itemsize for a in pair)


class _Cache:
    """A small LRU of computed values."""

    def __init__(self, size: int = MAX_CACHED) -> None:
        self.size = size
        self._values: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        if key in self._values:
            self._values.move_to_end(key)
            return self._values[key]
        value = self._values[key] = compute()
        if len(self._values) > self.size:
            self._values.popitem(last=False)
        return value


#: (segment reader, field, term) -> the term's document numbers in blocks, deleted ones
#: possibly included (they are masked out with the live documents).
PostingBlocks = Callable[[Any, str, str], Iterable[Iterable[int]]]


#: (segment reader, field, term) -> the term's postings as two parallel arrays: document
#: numbers (ascending) and term frequencies, deleted documents possibly included.
PostingArrays = Callable[[Any, str, str], tuple[array, array]]
#: (segment reader, field) -> one length byte per document (Whoosh's length encoding).
LengthBytes = Callable[[Any, str], bytes]


class SegmentMasks:
    """Term masks of one segment, read once for as long as the segment exists; for the
    fields that are scored also the postings (document numbers and frequencies, kept
    within a memory budget) and the field lengths, so scoring reads no posting file."""

    def __init__(self) -> None:
        self._cache = _Cache()
        self._postings = _SizedCache(POSTINGS_BUDGET)
        self._lengths: dict[str, bytes] = {}

    def term(
        self,
        reader: Any,
        field: str,
        text: str,
        blocks: PostingBlocks,
        postings: PostingArrays | None = None,
    ) -> int:
        """The term's mask; with ``postings``, read through (and kept in) the postings
        cache, which scoring asks for next anyway."""

        def compute() -> int:
            if (field, text) not in reader:
                return 0
            if postings is not None:
                ids, _ = self.postings(reader, field, text, postings)
                return from_ids(ids, reader.doc_count_all())
            return from_blocks(blocks(reader, field, text), reader.doc_count_all())

        return self._cache.get((field, text), compute)

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Anything else derived from the segment alone (prefix expansions, ...)."""
        return self._cache.get(("cached", key), compute)

    def postings(
        self, reader: Any, field: str, text: str, read: PostingArrays
    ) -> tuple[array, array]:
        def compute() -> tuple[array, array]:
            if (field, text) not in reader:
                return array("I"), array("f")
            return read(reader, field, text)

        return self._postings.get((field, text), compute)

    def lengths(self, reader: Any, field: str, read: LengthBytes) -> bytes:
        if field not in self._lengths:
            self._lengths[field] = read(reader, field)
        return self._lengths[field]


def segment_key(reader: Any) -> tuple[str, int]:
    segment = reader.segment()  # None for an empty index
    return (segment.segment_id() if segment is not None else "", reader.doc_count_all())


class DocSets:
    """Bitmasks over one generation's documents, built from per-segment masks."""

    def __init__(
        self,
        reader: Any,
        segments: dict[tuple[str, int], SegmentMasks],
        blocks: PostingBlocks,
        postings: PostingArrays | None = None,
        scored: frozenset[str] = frozenset(),
    ) -> None:
        self.reader = reader
        self._blocks = blocks
        self._postings = postings
        self._scored = scored  # fields whose postings are kept for scoring
        self.size = reader.doc_count_all()
        self._cache = _Cache()
        self._leaves = []
        everything = 0
        for leaf, offset in reader.leaf_readers():
            masks = segments.setdefault(segment_key(leaf), SegmentMasks())
            self._leaves.append((leaf, offset, masks))
            live = (1 << leaf.doc_count_all()) - 1
            if leaf.has_deletions():
                live &= ~from_ids(leaf.deleted_docs_set, leaf.doc_count_all())
            everything |= live << offset
        self.everything = everything

    def segments(self) -> list[tuple[Any, int, SegmentMasks]]:
        """(segment reader, offset of its first document, its masks), in index order."""
        return list(self._leaves)

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        return self._cache.get(key, compute)

    def term(self, field: str, text: str) -> int:
        """Documents having ``text`` (an already analysed term) in ``field``."""

        def compute() -> int:
            postings = self._postings if field in self._scored else None
            joined = union(
                masks.term(leaf, field, text, self._blocks, postings) << offset
                for leaf, offset, masks in self._leaves
            )
            return joined & self.everything

        return self.cached(("term", field, text), compute)

    def values(self, field: str) -> list[str]:
        """Every term of a keyword field (the values a facet can take)."""

        def compute() -> list[str]:
            return [
                t.decode("utf-8") if isinstance(t, bytes) else t for t in self.reader.lexicon(field)
            ]

        return self.cached(("values", field), compute)

    def counts(self, field: str, matched: int) -> dict[str, int]:
        """How many matched documents have each value of ``field`` (zeros left out)."""
        counts = {}
        for value in self.values(field):
            n = (matched & self.term(field, value)).bit_count()
            if n:
                counts[value] = n
        return counts

    def order(self, name: str, key: Callable[[int], Any]) -> list[int]:
        """Every document number sorted by ``key`` (cached under ``name``)."""
        return self.cached(("order", name), lambda: sorted(to_ids(self.everything), key=key))

    def first(self, matched: int, name: str, key: Callable[[int], Any], count: int) -> list[int]:
        """The first ``count`` matched documents in the order ``name`` (sorted by ``key``)."""
        if count <= 0 or not matched:
            return []
        if matched.bit_count() * 50 < self.size:  # few matches: sort them, skip the walk
            return sorted(to_ids(matched), key=key)[:count]
        data = matched.to_bytes((self.size + 7) // 8, "little")
        found = []
        for doc in self.order(name, key):
            if data[doc >> 3] >> (doc & 7) & 1:
                found.append(doc)
                if len(found) == count:
                    break
        return found
