"""One calendar quarter of a group's figures, protected as one publication.

A quarter block holds every figure the trend report can show for that quarter, computed
from all of the group's published reports in the quarter (never from a subset a reader can
choose), and the set of figures ``disclosure.protect`` hides. Reports for longer periods
only add up blocks (``combine``), so every number anyone ever sees is a block figure or a
sum of shown (or zero) block figures.

Figure ids (internal, never shown):

- ``total``: new reports in the quarter (the heat map's grand total, and the total of the
  month, status and customer lines);
- ``heat|<portal id|other|total>|<category|total>``: the portal x category heat map;
  ``heat|total|fees`` is also the grand total of the fee table;
- ``month|YYYY-MM``, ``status|<status>``, ``buyer|<key|other|none>``;
- ``fee|<kind|none|total>|<band|none|total>``: fee reports by kind and size band;
- ``confirm|<category|total>``: "we hit this too" confirmations given in the quarter.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from credgroup.reports.enums import FeeKind, FeeSizeBand, ProblemCategory, ReportStatus
from credgroup.trends.counting import (
    GRAND,
    NONE,
    OTHER,
    QuarterCounts,
    count_quarter,
    workaround_days,
)
from credgroup.trends.data import ConfirmationRow, ReportRow
from credgroup.trends.disclosure import (
    HIDDEN,
    TOTAL,
    Contributions,
    Figure,
    Grid,
    Line,
    Table,
    fails_primary,
    protect,
    publish,
    threshold_for,
)
from credgroup.trends.periods import Quarter

FEES_TOTAL = "heat|total|fees"
# Rows beyond these are added into "other": a table people can read in a minute.
MAX_PORTAL_ROWS = 15
MAX_BUYER_ROWS = 10
FEE_KINDS = [kind.value for kind in FeeKind] + [NONE]
FEE_BANDS = [band.value for band in FeeSizeBand] + [NONE]
CATEGORIES = [category.value for category in ProblemCategory]


def heat_id(row: str, column: str) -> str:
    if row == TOTAL and column == TOTAL:
        return GRAND
    return f"heat|{row}|{column}"


def fee_id(kind: str, band: str) -> str:
    if kind == TOTAL and band == TOTAL:
        return FEES_TOTAL
    return f"fee|{kind}|{band}"


@dataclass
class QuarterBlock:
    """The protected figures of one quarter."""

    quarter: Quarter
    k: int
    raw: dict[str, Contributions]
    published_ids: set[str]  # figures that appear in one of the quarter's tables
    hidden: set[str]
    portal_rows: list[str]  # portal ids (as text) with a row of their own, biggest first
    buyer_rows: list[str]  # customer keys with a row of their own
    buyer_labels: dict[str, str]
    median_days: Figure  # until a workaround was found

    def figure(self, fid: str) -> Figure:
        """The figure as it may be shown; anything outside the tables is hidden."""
        if fid not in self.published_ids:
            return HIDDEN
        return publish(self.raw.get(fid), fid in self.hidden)

    def is_zero(self, fid: str) -> bool:
        entry = self.raw.get(fid)
        return entry is None or entry.value == 0


def combine(blocks: Sequence[QuarterBlock], fid: str) -> Figure:
    """The figure over several quarters: shown only when every quarter's part is shown or
    zero, so a sum never contains (and cannot give away) a hidden part."""
    value, companies = 0, set()
    for block in blocks:
        if block.is_zero(fid):
            continue
        if fid not in block.published_ids or fid in block.hidden:
            return HIDDEN
        entry = block.raw[fid]
        value += entry.value
        companies.update(entry.by_company)
    return Figure(value, len(companies)) if value > 0 else HIDDEN


def build_block(
    quarter: Quarter,
    reports: Iterable[ReportRow],
    confirmations: Iterable[ConfirmationRow],
    k: int,
    *,
    with_buyers: bool,
) -> QuarterBlock:
    """Count, then protect, one quarter of a group's reports."""
    reports = list(reports)
    counted = count_quarter(quarter, reports, confirmations, with_buyers=with_buyers)
    portals = sorted(set(counted.portals))
    portal_rows = _own_rows(counted, "heat|{}|total", portals, k, MAX_PORTAL_ROWS)
    counted.add_other_portals(portal_rows)
    labels = _buyer_labels(counted)
    buyer_rows: list[str] = []
    if with_buyers:
        named = [key for key in labels if key != NONE]
        buyer_rows = _own_rows(counted, "buyer|{}", named, k, MAX_BUYER_ROWS)
        counted.add_other_buyers(buyer_rows)
    raw = counted.tallies.figures()
    tables = quarter_tables(quarter, portal_rows, buyer_rows, with_buyers=with_buyers)
    published = set().union(*(table.figure_ids() for table in tables))
    return QuarterBlock(
        quarter=quarter,
        k=k,
        raw=raw,
        published_ids=published,
        # A quarter without reports: every figure is zero, hidden, and hides nothing else.
        hidden=protect(raw, tables, k) if raw else published,
        portal_rows=portal_rows,
        buyer_rows=buyer_rows,
        buyer_labels=labels,
        median_days=median_days(reports, k),
    )


def _buyer_labels(counted: QuarterCounts) -> dict[str, str]:
    """Each customer key's most frequent spelling (the first seen among equals)."""
    labels: dict[str, tuple[int, str]] = {}
    for (key, name), n in counted.buyer_names.items():
        if key not in labels or n > labels[key][0]:
            labels[key] = (n, name)
    return {key: name for key, (_, name) in labels.items()}


def _own_rows(
    counted: QuarterCounts, pattern: str, keys: Iterable[str], k: int, limit: int
) -> list[str]:
    """Keys big enough for a row of their own (at least k companies), biggest first. Only
    a row's own total decides, so a row's presence says nothing about hidden figures."""
    k = threshold_for(k)
    sizes = {key: counted.tallies.size(pattern.format(key)) for key in keys}
    eligible = [key for key, (_, companies) in sizes.items() if companies >= k]
    eligible.sort(key=lambda key: (-sizes[key][0], key))
    return eligible[:limit]


# The tables whose shape never changes: made once.
STATUS_LINE = Line(tuple(f"status|{s.value}" for s in ReportStatus), GRAND)
FEE_GRID = Grid(
    {(r, c): fee_id(r, c) for r in [*FEE_KINDS, TOTAL] for c in [*FEE_BANDS, TOTAL]},
    # What a band's figures say is how big members' fees are: money-like.
    money=frozenset(fee_id(r, c) for r in [*FEE_KINDS, TOTAL] for c in FEE_BANDS if c != NONE),
)
CONFIRMATION_LINE = Line(tuple(f"confirm|{c}" for c in CATEGORIES), "confirm|total")


def quarter_tables(
    quarter: Quarter, portal_rows: list[str], buyer_rows: list[str], *, with_buyers: bool
) -> list[Table]:
    """The linked tables of one quarter (see ``disclosure`` for why they are safe together)."""
    rows, columns = [*portal_rows, OTHER, TOTAL], [*CATEGORIES, TOTAL]
    tables: list[Table] = [
        Grid({(r, c): f"heat|{r}|{c}" for r in rows for c in columns} | {(TOTAL, TOTAL): GRAND}),
        Line(tuple(f"month|{m:%Y-%m}" for m in quarter.months), GRAND),
        STATUS_LINE,
        FEE_GRID,
        CONFIRMATION_LINE,
    ]
    if with_buyers:
        parts = tuple(f"buyer|{key}" for key in [*buyer_rows, OTHER, NONE])
        tables.append(Line(parts, GRAND))
    return tables


def median_days(reports: Iterable[ReportRow], k: int) -> Figure:
    """Median days from publication to the last status change, for reports whose status
    is now "workaround found" or "resolved" (an approximation: see ``report``)."""
    days, companies = workaround_days(reports)
    if not days or fails_primary(companies, k):
        return HIDDEN
    return Figure(round(statistics.median(days), 1), companies.companies)
