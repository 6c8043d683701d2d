"""What every part of a scale run shares: the random source, the day, the writer, the
pseudonyms and the organisation generated so far."""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from credgroup.anonymity.pseudonyms import company_pseudonym, group_scope, person_pseudonym
from credgroup.demo.scale.sink import BulkWriter
from credgroup.demo.scale.sizes import Sizes
from credgroup.groups.models import CustomerNaming

T = TypeVar("T")
Progress = Callable[[str], None]


class Weighted:
    """Options with fixed weights, drawn by bisecting the running totals (``random.choices``
    adds the weights up again on every call, which shows at a million reports)."""

    def __init__(self, options: Sequence[T], weights: Sequence[float]) -> None:
        self.options = list(options)
        self.totals = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random):
        return self.options[bisect.bisect(self.totals, rng.random() * self.totals[-1])]


@dataclass
class GroupInfo:
    """A generated group as the later steps need it."""

    id: int
    slug: str
    name: str
    naming: CustomerNaming
    timezone: str
    companies: list[int] = field(default_factory=list)  # member companies, chattiest first
    staff: list[int] = field(default_factory=list)  # facilitators' user ids
    report_ids: list[int] = field(default_factory=list)  # published reports, for links

    @property
    def scope(self) -> str:
        return group_scope(self.id)


@dataclass
class Org:
    groups: list[GroupInfo] = field(default_factory=list)
    people: dict[int, list[int]] = field(default_factory=dict)  # company id -> user ids
    company_names: dict[int, str] = field(default_factory=dict)
    admins: list[int] = field(default_factory=list)
    portals: list[int] = field(default_factory=list)  # catalogue first, then unlisted
    portal_names: dict[int, str] = field(default_factory=dict)
    portal_weights: list[float] = field(default_factory=list)
    portal_draw: Weighted | None = None
    password_hash: str = ""  # everyone's: the demo password, hashed once


class Pseudonyms:
    """The app's own keyed pseudonyms (credgroup.anonymity), each computed once."""

    def __init__(self) -> None:
        self._people: dict[tuple[int, str], str] = {}
        self._companies: dict[tuple[int, str], str] = {}

    def person(self, user_id: int, scope: str) -> str:
        key = (user_id, scope)
        if key not in self._people:
            self._people[key] = person_pseudonym(user_id, scope)
        return self._people[key]

    def company(self, company_id: int, scope: str) -> str:
        key = (company_id, scope)
        if key not in self._companies:
            self._companies[key] = company_pseudonym(company_id, scope)
        return self._companies[key]


class Run:
    """One scale run: sizes, seed, today's date, the writer and what has been made."""

    def __init__(
        self, sizes: Sizes, writer: BulkWriter, seed: int, today: date, progress: Progress
    ) -> None:
        self.sizes = sizes
        self.writer = writer
        self.rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
        self.today = today
        self.org = Org()
        self.pseudonyms = Pseudonyms()
        self.say = progress
        self.counts: dict[str, int] = {}
        self._started = time.perf_counter()

    def pick(self, options: Sequence[T], weights: Sequence[float] | None = None) -> T:
        if weights is None:
            return options[int(self.rng.random() * len(options))]
        return self.rng.choices(options, weights=weights)[0]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def count(self, kind: str, n: int) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    def step(self, label: str) -> None:
        self.say(f"[{time.perf_counter() - self._started:7.1f} s] {label}")

    def write(self, model: Any, rows: list[dict[str, Any]], kind: str | None = None) -> None:
        self.writer.write(model, rows)
        if kind:
            self.count(kind, len(rows))
