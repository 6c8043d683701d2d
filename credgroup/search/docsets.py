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
number = segment offset + number in the segment). Nothing here imports whoosh; the
readers come from ``whoosh_backend``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

MAX_CACHED = 4096


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


class SegmentMasks:
    """Term masks of one segment, read once for as long as the segment exists."""

    def __init__(self) -> None:
        self._cache = _Cache()

    def term(self, reader: Any, field: str, text: str, blocks: PostingBlocks) -> int:
        def compute() -> int:
            if (field, text) not in reader:
                return 0
            return from_blocks(blocks(reader, field, text), reader.doc_count_all())

        return self._cache.get((field, text), compute)


def segment_key(reader: Any) -> tuple[str, int]:
    segment = reader.segment()  # None for an empty index
    return (segment.segment_id() if segment is not None else "", reader.doc_count_all())


class DocSets:
    """Bitmasks over one generation's documents, built from per-segment masks."""

    def __init__(
        self, reader: Any, segments: dict[tuple[str, int], SegmentMasks], blocks: PostingBlocks
    ) -> None:
        self.reader = reader
        self._blocks = blocks
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

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        return self._cache.get(key, compute)

    def term(self, field: str, text: str) -> int:
        """Documents having ``text`` (an already analysed term) in ``field``."""

        def compute() -> int:
            joined = union(
                masks.term(leaf, field, text, self._blocks) << offset
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
