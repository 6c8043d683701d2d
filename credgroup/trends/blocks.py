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
)
from credgroup.trends.periods import Quarter

FEES_TOTAL = "heat|total|fees"
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
    raw: dict[str, Contributions]  # the figures of the quarter's tables
    values: dict[str, int]  # every figure's value, in a table or not
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
        return not self.values.get(fid)


def combine(blocks: Sequence[QuarterBlock], fid: str) -> Figure:
    """The figure over several quarters: shown only when every quarter's part is shown or
    zero, so a sum never contains (and cannot give away) a hidden part."""
    value, companies = 0, set()
    for block in blocks:
        if not block.values.get(fid):  # is_zero, inline: a report sums thousands
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
    heat_only: bool = False,
) -> QuarterBlock:
    """Count, then protect, one quarter of a group's reports.

    ``heat_only``: only the heat map, for a quarter whose other figures are not shown
    (the period before a report's, which only rising problems look at). It is protected
    with the fee table, which shares its fees total; the other tables need not be there,
    as they cannot hide a heat map figure: the month, status and customer lines share
    only the grand total, and a line hides its total only when its one hidden part is its
    only non-zero part, which then has the same companies as the total and fails the
    threshold exactly when the total does (no dominance rule in these lines); the
    confirmations share nothing. The heat map's figures, and what is hidden of them, are
    therefore the same as with every table (tests check this)."""
    reports = list(reports)
    counted = count_quarter(
        quarter, reports, confirmations, k, with_buyers=with_buyers, heat_only=heat_only
    )
    raw = counted.figures
    tables = quarter_tables(
        quarter,
        counted.portal_rows,
        counted.buyer_rows,
        with_buyers=with_buyers,
        heat_only=heat_only,
    )
    published = set().union(*(table.figure_ids() for table in tables))
    return QuarterBlock(
        quarter=quarter,
        k=k,
        raw=raw,
        values=counted.values,
        published_ids=published,
        # A quarter without reports: every figure is zero, hidden, and hides nothing else.
        hidden=protect(raw, tables, k) if raw else published,
        portal_rows=counted.portal_rows,
        buyer_rows=counted.buyer_rows,
        buyer_labels=_buyer_labels(counted),
        median_days=HIDDEN if heat_only else median_days(reports, k),
    )


def _buyer_labels(counted: QuarterCounts) -> dict[str, str]:
    """Each customer key's most frequent spelling (the first seen among equals)."""
    labels: dict[str, tuple[int, str]] = {}
    for (key, name), n in counted.buyer_names.items():
        if key not in labels or n > labels[key][0]:
            labels[key] = (n, name)
    return {key: name for key, (_, name) in labels.items()}


# The tables whose shape never changes: made once.
STATUS_LINE = Line(tuple(f"status|{s.value}" for s in ReportStatus), GRAND)
FEE_GRID = Grid(
    {(r, c): fee_id(r, c) for r in [*FEE_KINDS, TOTAL] for c in [*FEE_BANDS, TOTAL]},
    # What a band's figures say is how big members' fees are: money-like.
    money=frozenset(fee_id(r, c) for r in [*FEE_KINDS, TOTAL] for c in FEE_BANDS if c != NONE),
)
CONFIRMATION_LINE = Line(tuple(f"confirm|{c}" for c in CATEGORIES), "confirm|total")


def quarter_tables(
    quarter: Quarter,
    portal_rows: list[str],
    buyer_rows: list[str],
    *,
    with_buyers: bool,
    heat_only: bool = False,
) -> list[Table]:
    """The linked tables of one quarter (see ``disclosure`` for why they are safe
    together); ``heat_only``: the heat map and the fee table (see ``build_block``)."""
    rows, columns = [*portal_rows, OTHER, TOTAL], [*CATEGORIES, TOTAL]
    heat = Grid({(r, c): f"heat|{r}|{c}" for r in rows for c in columns} | {(TOTAL, TOTAL): GRAND})
    if heat_only:
        return [heat, FEE_GRID]
    tables: list[Table] = [
        heat,
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
