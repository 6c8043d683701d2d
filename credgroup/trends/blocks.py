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
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from credgroup.reports.enums import FeeKind, FeeSizeBand, ProblemCategory, ReportStatus
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

OTHER = "other"
NONE = "none"
GRAND = "total"
FEES_TOTAL = "heat|total|fees"
# Rows beyond these are added into "other": a table people can read in a minute.
MAX_PORTAL_ROWS = 15
MAX_BUYER_ROWS = 10
WORKAROUND_STATUSES = (ReportStatus.WORKAROUND_FOUND, ReportStatus.RESOLVED)
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


def buyer_key(name: str) -> str:
    """A customer as one key whatever its spelling; "" when none. Prefixed so that a
    customer called "Other" or "None" stays apart from the rows of those names."""
    key = " ".join(name.casefold().split())
    return f"c:{key}" if key else ""


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
    counts: dict[str, Counter[str]] = defaultdict(Counter)  # figure id -> company -> n
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for report in reports:
        _count_report(counts, labels, report, with_buyers=with_buyers)
    for confirmation in confirmations:
        counts[f"confirm|{confirmation.category.value}"][confirmation.company] += 1
        counts["confirm|total"][confirmation.company] += 1
    raw: dict[str, Contributions] = defaultdict(Contributions)
    raw.update((fid, Contributions(by_company)) for fid, by_company in counts.items())
    portal_rows = _own_rows(raw, "heat|{}|total", _portal_ids(reports), k, MAX_PORTAL_ROWS)
    _add_other_row(raw, portal_rows, _portal_ids(reports))
    buyer_rows: list[str] = []
    if with_buyers:
        named = [key for key in labels if key != NONE]
        buyer_rows = _own_rows(raw, "buyer|{}", named, k, MAX_BUYER_ROWS)
        _add_other_buyers(raw, buyer_rows, named)
    tables = quarter_tables(quarter, portal_rows, buyer_rows, with_buyers=with_buyers)
    raw = dict(raw)
    return QuarterBlock(
        quarter=quarter,
        k=k,
        raw=raw,
        published_ids={fid for table in tables for fid in table.figure_ids()},
        hidden=protect(raw, tables, k),
        portal_rows=portal_rows,
        buyer_rows=buyer_rows,
        buyer_labels={key: names.most_common(1)[0][0] for key, names in labels.items()},
        median_days=median_days(reports, k),
    )


def _count_report(
    counts: dict[str, Counter[str]],
    labels: dict[str, Counter[str]],
    report: ReportRow,
    *,
    with_buyers: bool,
) -> None:
    portal, category, company = str(report.portal_id), report.category.value, report.company
    day = report.published_on
    for fid in (
        heat_id(portal, category),
        heat_id(portal, TOTAL),
        heat_id(TOTAL, category),
        GRAND,
        f"month|{day.year:04d}-{day.month:02d}",
        f"status|{report.status.value}",
    ):
        counts[fid][company] += 1
    if with_buyers:
        key = buyer_key(report.buyer) or NONE
        labels[key][report.buyer] += 1
        counts[f"buyer|{key}"][company] += 1
    if report.category is ProblemCategory.FEES:
        kind = report.fee_kind.value if report.fee_kind else NONE
        band = report.fee_size_band.value if report.fee_size_band else NONE
        for fid in (fee_id(kind, band), fee_id(kind, TOTAL), fee_id(TOTAL, band)):
            counts[fid][company] += 1


def _portal_ids(reports: Iterable[ReportRow]) -> list[str]:
    return sorted({str(report.portal_id) for report in reports})


def _own_rows(
    raw: dict[str, Contributions], pattern: str, keys: Iterable[str], k: int, limit: int
) -> list[str]:
    """Keys big enough for a row of their own (at least k companies), biggest first. Only
    a row's own total decides, so a row's presence says nothing about hidden figures."""
    eligible = [key for key in keys if not fails_primary(raw[pattern.format(key)], k)]
    eligible.sort(key=lambda key: (-raw[pattern.format(key)].value, key))
    return eligible[:limit]


def _add_into(target: Contributions, entry: Contributions) -> None:
    for company, amount in entry.by_company.items():
        target.add(company, amount)


def _add_other_row(raw: dict[str, Contributions], own: list[str], portals: list[str]) -> None:
    for portal in portals:
        if portal in own:
            continue
        for column in [*CATEGORIES, TOTAL]:
            entry = raw.get(heat_id(portal, column))
            if entry is not None:
                _add_into(raw[heat_id(OTHER, column)], entry)


def _add_other_buyers(raw: dict[str, Contributions], own: list[str], named: list[str]) -> None:
    for key in named:
        if key not in own:
            _add_into(raw[f"buyer|{OTHER}"], raw[f"buyer|{key}"])


def quarter_tables(
    quarter: Quarter, portal_rows: list[str], buyer_rows: list[str], *, with_buyers: bool
) -> list[Table]:
    """The linked tables of one quarter (see ``disclosure`` for why they are safe together)."""
    rows, columns = [*portal_rows, OTHER, TOTAL], [*CATEGORIES, TOTAL]
    tables: list[Table] = [
        Grid({(r, c): heat_id(r, c) for r in rows for c in columns}),
        Line(tuple(f"month|{m:%Y-%m}" for m in quarter.months), GRAND),
        Line(tuple(f"status|{s.value}" for s in ReportStatus), GRAND),
        Grid(
            {(r, c): fee_id(r, c) for r in [*FEE_KINDS, TOTAL] for c in [*FEE_BANDS, TOTAL]},
            # What a band's figures say is how big members' fees are: money-like.
            money=frozenset(
                fee_id(r, c) for r in [*FEE_KINDS, TOTAL] for c in FEE_BANDS if c != NONE
            ),
        ),
        Line(tuple(f"confirm|{c}" for c in CATEGORIES), "confirm|total"),
    ]
    if with_buyers:
        parts = tuple(f"buyer|{key}" for key in [*buyer_rows, OTHER, NONE])
        tables.append(Line(parts, GRAND))
    return tables


def median_days(reports: Iterable[ReportRow], k: int) -> Figure:
    """Median days from publication to the last status change, for reports whose status
    is now "workaround found" or "resolved" (an approximation: see ``report``)."""
    days: list[int] = []
    companies = Contributions()
    for report in reports:
        if report.status in WORKAROUND_STATUSES and report.status_changed_on is not None:
            waited = (report.status_changed_on - report.published_on).days
            if waited >= 0:
                days.append(waited)
                companies.add(report.company)
    if not days or fails_primary(companies, k):
        return HIDDEN
    return Figure(round(statistics.median(days), 1), companies.companies)
