"""Report periods: what a person asks for, and the calendar quarters that answer it.

A person asks for a month, a quarter, or months from-to (``YYYY-MM``; a full date is taken
as its month). Figures are *published* per calendar quarter only (see ``disclosure``), so
every request is widened to the whole calendar quarters that contain it: a report for
February 2026 is the report for January-March 2026, and says so. Because the quarters never
overlap, no two reports can be subtracted from each other to isolate a narrower period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from credgroup.errors import ValidationError

PERIOD_KINDS = ("quarter", "month", "custom")
# Five years: enough for any meeting, small enough to answer quickly.
MAX_QUARTERS = 20
EARLIEST_YEAR = 2000
MONTH_RE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, the unit every published figure belongs to."""

    year: int
    number: int  # 1..4

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def from_key(cls, key: str) -> Quarter:
        year, _, number = key.partition("-Q")
        return cls(int(year), int(number))

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year}"

    @property
    def months(self) -> list[date]:
        first = (self.number - 1) * 3 + 1
        return [date(self.year, first + i, 1) for i in range(3)]

    @property
    def start(self) -> date:
        return self.months[0]

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        return next_month(self.months[-1]) - timedelta(days=1)

    def shift(self, quarters: int) -> Quarter:
        index = self.year * 4 + (self.number - 1) + quarters
        return Quarter(index // 4, index % 4 + 1)


@dataclass(frozen=True)
class Span:
    """The whole calendar quarters a report covers, and what was asked for."""

    kind: str
    requested_from: date  # first of a month
    requested_to: date  # first of a month
    quarters: tuple[Quarter, ...]

    @property
    def start(self) -> date:
        return self.quarters[0].start

    @property
    def end(self) -> date:
        return self.quarters[-1].end

    @property
    def months(self) -> list[date]:
        return [m for q in self.quarters for m in q.months]

    @property
    def widened(self) -> bool:
        """True when the quarters cover more than the months asked for."""
        return (self.requested_from, self.requested_to) != (
            self.start,
            self.quarters[-1].months[-1],
        )

    @property
    def label(self) -> str:
        first, last = self.quarters[0], self.quarters[-1]
        if first == last:
            return f"{first.label} ({month_range_label(first.start, first.months[-1])})"
        return f"{first.label} to {last.label} ({month_range_label(self.start, last.months[-1])})"

    @property
    def requested_label(self) -> str:
        return month_range_label(self.requested_from, self.requested_to)

    def previous(self) -> Span:
        """The span of the same length just before this one (for "rising")."""
        n = len(self.quarters)
        quarters = tuple(q.shift(-n) for q in self.quarters)
        return Span("custom", quarters[0].start, quarters[-1].months[-1], quarters)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_label(month: date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def month_range_label(first: date, last: date) -> str:
    if first == last:
        return month_label(first)
    if first.year == last.year:
        return f"{MONTH_NAMES[first.month - 1]} to {month_label(last)}"
    return f"{month_label(first)} to {month_label(last)}"


def parse_month(text: object, field: str) -> date:
    """``YYYY-MM`` (or ``YYYY-MM-DD``, taken as its month) to the first of that month."""
    value = str(text or "").strip()
    match = MONTH_RE.fullmatch(value) if len(value) <= 10 else None
    if match is None:
        raise ValidationError(field, "Give a month as YYYY-MM, for example 2026-03.")
    year, month, day = int(match.group(1)), int(match.group(2)), match.group(3)
    if not 1 <= month <= 12:
        raise ValidationError(field, "There is no such month; give it as YYYY-MM.")
    if day is not None:
        try:
            date(year, month, int(day))
        except ValueError:
            raise ValidationError(field, "There is no such date.") from None
    if year < EARLIEST_YEAR:
        raise ValidationError(field, f"Reports start in {EARLIEST_YEAR}.")
    return date(year, month, 1)


def parse_span(
    kind: object, start: object, end: object, *, today: date, default_kind: str = "quarter"
) -> Span:
    """The span for a request: ``kind`` is month, quarter or custom; ``start``/``end`` are
    months (``end`` only for custom). Empty values mean "the current quarter"."""
    kind = str(kind or "").strip() or ("custom" if end else default_kind)
    if kind not in PERIOD_KINDS:
        raise ValidationError("period", "Choose a month, a quarter or custom months.")
    this_month = date(today.year, today.month, 1)
    first = parse_month(start, "from") if start else this_month
    if kind == "custom":
        last = parse_month(end, "to") if end else first
    elif kind == "month":
        last = first
    else:
        quarter = Quarter.of(first)
        first, last = quarter.start, quarter.months[-1]
    return span_between(first, last, today=today, kind=kind)


def span_between(first: date, last: date, *, today: date, kind: str = "custom") -> Span:
    """The whole quarters covering the months of ``first`` to ``last`` (dates or months)."""
    first, last = date(first.year, first.month, 1), date(last.year, last.month, 1)
    this_quarter = Quarter.of(today)
    if last < first:
        raise ValidationError("to", "The period ends before it starts.")
    if Quarter.of(first) > this_quarter:
        raise ValidationError("from", "That period has not started yet.")
    if Quarter.of(last) > this_quarter:
        raise ValidationError("to", "The period cannot end after the current quarter.")
    quarters = quarters_between(Quarter.of(first), Quarter.of(last))
    if len(quarters) > MAX_QUARTERS:
        raise ValidationError(
            "to", f"A report covers at most {MAX_QUARTERS} quarters ({MAX_QUARTERS // 4} years)."
        )
    return Span(kind, first, last, quarters)


def quarters_between(first: Quarter, last: Quarter) -> tuple[Quarter, ...]:
    count = (last.year - first.year) * 4 + last.number - first.number + 1
    return tuple(first.shift(i) for i in range(max(count, 0)))
