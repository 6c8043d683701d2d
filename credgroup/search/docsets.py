"""Sets of documents as bitmasks, for counting: totals and facets in microseconds.

A Python ``int`` whose bit *n* is set when document number *n* is in the set: ``&``, ``|``
and ``int.bit_count()`` run in C over whole machine words, so intersecting a match set with
the postings of every facet value costs almost nothing, where Whoosh's ``groupedby`` calls
Python code for every matching document and every facet (hundreds of milliseconds at
100,000 documents).

One :class:`DocSets` belongs to one index generation (document numbers change when the
index does); it caches the masks of the terms it has seen. It reads through the reader it
is given and imports nothing from whoosh (``whoosh_backend`` owns that).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

MAX_CACHED = 4096


def from_ids(ids: Iterable[int], size: int) -> int:
    bits = bytearray((size + 7) // 8)
    for doc in ids:
        bits[doc >> 3] |= 1 << (doc & 7)
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


class DocSets:
    """Bitmasks over one reader's documents, cached per term and per computed key."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.size = reader.doc_count_all()
        self._cache: OrderedDict[Any, Any] = OrderedDict()
        self.everything = from_ids(reader.all_doc_ids(), self.size)  # without deleted ones

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        value = self._cache[key] = compute()
        if len(self._cache) > MAX_CACHED:
            self._cache.popitem(last=False)
        return value

    def term(self, field: str, text: str) -> int:
        """Documents having ``text`` (an already analysed term) in ``field``."""

        def compute() -> int:
            if (field, text) not in self.reader:
                return 0
            return from_ids(self.reader.postings(field, text).all_ids(), self.size)

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
