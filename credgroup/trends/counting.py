"""Counting one quarter's figures: for every figure id (see ``blocks``), how many of the
quarter's reports or confirmations each company contributed.

Each kind of figure is one ``Counter`` over (figure id, company) pairs, which counts in C,
and only the distinct pairs are then sorted into figures: a quarter of a busy group has
hundreds of reports, each adding to seven or more figures, and doing that report by
report in Python was most of what a trend report cost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from credgroup.reports.enums import ProblemCategory, ReportStatus
from credgroup.trends.data import ConfirmationRow, ReportRow
from credgroup.trends.disclosure import TOTAL, Contributions
from credgroup.trends.periods import Quarter

OTHER = "other"
NONE = "none"
GRAND = "total"
FEES = ProblemCategory.FEES.value
WORKAROUND_STATUSES = frozenset({ReportStatus.WORKAROUND_FOUND.value, ReportStatus.RESOLVED.value})


def buyer_key(name: str) -> str:
    """A customer as one key whatever its spelling; "" when none. Prefixed so that a
    customer called "Other" or "None" stays apart from the rows of those names."""
    key = " ".join(name.casefold().split())
    return f"c:{key}" if key else ""


class Tallies:
    """Figure id -> company -> how many, and each figure's sum."""

    def __init__(self) -> None:
        self.by_figure: dict[str, dict[str, int]] = {}
        self.sums: dict[str, int] = {}

    def add(self, fids: str | Sequence[str], companies: Sequence[str]) -> None:
        """Add one to figure ``fids[i]`` for company ``companies[i]``, for every i (``fids``
        a list as long as ``companies``, or one figure id for all of them)."""
        sums, by_figure = self.sums, self.by_figure
        if isinstance(fids, str):
            added = Counter({fids: len(companies)} if companies else {})
            pairs = [((fids, company), n) for company, n in Counter(companies).items()]
        else:
            added = Counter(fids)
            pairs = list(Counter(zip(fids, companies, strict=True)).items())
        if sums.keys().isdisjoint(added):
            # The usual case, each figure counted by one call: every pair is new.
            sums.update(added)
            for (fid, company), n in pairs:
                by_figure.setdefault(fid, {})[company] = n
            return
        for fid, n in added.items():
            sums[fid] = sums.get(fid, 0) + n
        for (fid, company), n in pairs:
            entry = by_figure.setdefault(fid, {})
            entry[company] = entry.get(company, 0) + n

    def size(self, fid: str) -> tuple[int, int]:
        """(value, companies) of a figure counted so far."""
        return self.sums.get(fid, 0), len(self.by_figure.get(fid, ()))

    def figures(self) -> dict[str, Contributions]:
        sums = self.sums
        return {fid: Contributions(entry, sums[fid]) for fid, entry in self.by_figure.items()}


@dataclass
class QuarterCounts:
    """What one quarter's reports add up to, before anything is hidden: the tallies, and
    the columns of the reports they came from (for the "other" rows, counted last)."""

    tallies: Tallies
    companies: list[str]
    portals: list[str]  # portal ids as text, one per report
    categories: list[str]
    buyers: list[str]  # customer keys (NONE when not given), one per report; [] without
    buyer_names: Counter[tuple[str, str]]  # (customer key, name as written) -> reports

    def add_other_portals(self, own: Iterable[str]) -> None:
        """The "other portals" row: every report about a portal without a row of its own."""
        own = set(own)
        rest = [i for i, portal in enumerate(self.portals) if portal not in own]
        companies = [self.companies[i] for i in rest]
        self.tallies.add([f"heat|{OTHER}|{self.categories[i]}" for i in rest], companies)
        self.tallies.add(f"heat|{OTHER}|{TOTAL}", companies)

    def add_other_buyers(self, own: Iterable[str]) -> None:
        """The "other customers" row: named customers without a row of their own."""
        own = {*own, NONE}
        rest = [i for i, key in enumerate(self.buyers) if key not in own]
        self.tallies.add(f"buyer|{OTHER}", [self.companies[i] for i in rest])


def count_quarter(
    quarter: Quarter,
    reports: Sequence[ReportRow],
    confirmations: Iterable[ConfirmationRow],
    *,
    with_buyers: bool,
) -> QuarterCounts:
    """Count every figure of the quarter except the "other portals" and "other customers"
    rows, which depend on which rows get one of their own."""
    counts = Tallies()
    companies = [r.company for r in reports]
    portals = [str(r.portal_id) for r in reports]
    categories = [r.category for r in reports]
    months = {m.month: f"month|{m:%Y-%m}" for m in quarter.months}
    counts.add([f"heat|{p}|{c}" for p, c in zip(portals, categories, strict=True)], companies)
    counts.add([f"heat|{p}|{TOTAL}" for p in portals], companies)
    counts.add([f"heat|{TOTAL}|{c}" for c in categories], companies)
    counts.add(GRAND, companies)
    counts.add([months[r.published_on.month] for r in reports], companies)
    counts.add([f"status|{r.status}" for r in reports], companies)
    _count_fees(counts, [r for r in reports if r.category == FEES])
    buyers: list[str] = []
    buyer_names: Counter[tuple[str, str]] = Counter()
    if with_buyers:
        keys = {name: buyer_key(name) or NONE for name in {r.buyer for r in reports}}
        buyers = [keys[r.buyer] for r in reports]
        buyer_names = Counter(zip(buyers, [r.buyer for r in reports], strict=True))
        counts.add([f"buyer|{key}" for key in buyers], companies)
    _count_confirmations(counts, confirmations)
    return QuarterCounts(counts, companies, portals, categories, buyers, buyer_names)


def _count_fees(counts: Tallies, fees: Sequence[ReportRow]) -> None:
    kinds = [r.fee_kind or NONE for r in fees]
    bands = [r.fee_size_band or NONE for r in fees]
    companies = [r.company for r in fees]
    counts.add([f"fee|{k}|{b}" for k, b in zip(kinds, bands, strict=True)], companies)
    counts.add([f"fee|{k}|{TOTAL}" for k in kinds], companies)
    counts.add([f"fee|{TOTAL}|{b}" for b in bands], companies)


def _count_confirmations(counts: Tallies, confirmations: Iterable[ConfirmationRow]) -> None:
    confirmations = list(confirmations)
    companies = [c.company for c in confirmations]
    counts.add([f"confirm|{c.category}" for c in confirmations], companies)
    counts.add("confirm|total", companies)


def workaround_days(reports: Iterable[ReportRow]) -> tuple[list[int], Contributions]:
    """Days from publication to the last status change of the reports now marked
    "workaround found" or "resolved", and who reported them."""
    days: list[int] = []
    companies: dict[str, int] = {}
    for report in reports:
        if report.status in WORKAROUND_STATUSES and report.status_changed_on is not None:
            waited = (report.status_changed_on - report.published_on).days
            if waited >= 0:
                days.append(waited)
                companies[report.company] = companies.get(report.company, 0) + 1
    return days, Contributions.counted(companies)
