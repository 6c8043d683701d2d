"""The tables of a trend report, assembled from protected quarter blocks.

Every figure here is a block figure or a sum of block figures made by ``blocks.combine``
(shown only when every part is shown or zero); rising problems compare such sums. Nothing
is computed from the database here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from credgroup.groups.models import CreditGroup, CustomerNaming
from credgroup.reports.enums import FeeKind, FeeSizeBand, ProblemCategory, ReportStatus
from credgroup.trends.blocks import (
    CATEGORIES,
    FEE_BANDS,
    FEE_KINDS,
    GRAND,
    NONE,
    OTHER,
    QuarterBlock,
    combine,
    fee_id,
    heat_id,
)
from credgroup.trends.disclosure import TOTAL, Figure
from credgroup.trends.periods import month_label

RISING_LIMIT = 10
CATEGORY_LABELS = {c.value: c.label for c in ProblemCategory}
FEE_KIND_LABELS = {**{k.value: k.label for k in FeeKind}, NONE: "Kind not given"}
FEE_BAND_LABELS = {**{b.value: b.label for b in FeeSizeBand}, NONE: "Size not given"}


def table(
    table_id: str,
    title: str,
    description: str,
    row_header: str,
    columns: list[tuple[str, str]],
    rows: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "id": table_id,
        "title": title,
        "description": description,
        "row_header": row_header,
        "columns": [{"key": key, "label": label} for key, label in columns],
        "rows": rows,
    }


def row(key: str, label: str, cells: Sequence[Figure], *, total: bool = False) -> dict[str, Any]:
    return {"key": key, "label": label, "total": total, "cells": [c.as_dict() for c in cells]}


def ordered_rows(
    blocks: Sequence[QuarterBlock],
    rows_of: Callable[[QuarterBlock], list[str]],
    total_id: Callable[[str], str],
) -> list[str]:
    """Keys with a row of their own in any quarter, biggest whole-span total first."""
    keys = list(dict.fromkeys(key for block in blocks for key in rows_of(block)))

    def size(key: str) -> tuple[int, str]:
        figure = combine(blocks, total_id(key))
        return (-(figure.value or 0), key)

    return sorted(keys, key=size)


def monthly_table(blocks: Sequence[QuarterBlock]) -> dict[str, Any]:
    rows = [
        row(f"{m:%Y-%m}", month_label(m), [b.figure(f"month|{m:%Y-%m}")])
        for b in blocks
        for m in b.quarter.months
    ]
    rows.append(row(TOTAL, "Whole period", [combine(blocks, GRAND)], total=True))
    return table(
        "monthly",
        "New reports per month",
        "Reports published in each month.",
        "Month",
        [("reports", "New reports")],
        rows,
    )


def heat_map_table(
    blocks: Sequence[QuarterBlock], portal_ids: list[str], portals: dict
) -> dict[str, Any]:
    """Portal x problem category. One quarter shows its "other portals" row; longer spans
    only the portals with a row of their own, as "other" is a different set each quarter."""
    keys = list(portal_ids)
    if len(blocks) == 1:
        keys.append(OTHER)
    columns = [*CATEGORIES, TOTAL]
    rows = [
        row(
            portal_key(key, portals),
            portal_label(key, portals),
            [combine(blocks, heat_id(key, c)) for c in columns],
        )
        for key in keys
    ]
    rows.append(
        row(TOTAL, "All portals", [combine(blocks, heat_id(TOTAL, c)) for c in columns], total=True)
    )
    return table(
        "heat_map",
        "New reports by portal and problem",
        "Portals with at least as many reporting companies as the threshold get a row of "
        "their own.",
        "Portal",
        [*((c, CATEGORY_LABELS[c]) for c in CATEGORIES), (TOTAL, "All problems")],
        rows,
    )


def quarter_trend_tables(
    blocks: Sequence[QuarterBlock], portal_ids: list[str], portals: dict
) -> list[dict[str, Any]]:
    """Portals and categories quarter by quarter (for spans longer than one quarter)."""
    if len(blocks) < 2:
        return []
    columns = [(b.quarter.key, b.quarter.label) for b in blocks] + [(TOTAL, "Whole period")]

    def cells(fid: str) -> list[Figure]:
        return [b.figure(fid) for b in blocks] + [combine(blocks, fid)]

    portal_rows = [
        row(portal_key(p, portals), portal_label(p, portals), cells(heat_id(p, TOTAL)))
        for p in portal_ids
    ]
    portal_rows.append(row(TOTAL, "All portals", cells(GRAND), total=True))
    category_rows = [row(c, CATEGORY_LABELS[c], cells(heat_id(TOTAL, c))) for c in CATEGORIES]
    category_rows.append(row(TOTAL, "All problems", cells(GRAND), total=True))
    return [
        table(
            "portals_by_quarter",
            "Portals quarter by quarter",
            "New reports about each portal in each quarter.",
            "Portal",
            columns,
            portal_rows,
        ),
        table(
            "categories_by_quarter",
            "Problems quarter by quarter",
            "New reports in each problem category in each quarter.",
            "Problem",
            columns,
            category_rows,
        ),
    ]


def status_table(blocks: Sequence[QuarterBlock]) -> dict[str, Any]:
    rows = [row(s.value, s.label, [combine(blocks, f"status|{s.value}")]) for s in ReportStatus]
    rows.append(row(TOTAL, "All new reports", [combine(blocks, GRAND)], total=True))
    return table(
        "status",
        "Open and resolved",
        "Where the period's new reports stand today.",
        "Status",
        [("reports", "Reports")],
        rows,
    )


def workaround_table(blocks: Sequence[QuarterBlock]) -> dict[str, Any]:
    rows = [row(b.quarter.key, b.quarter.label, [b.median_days]) for b in blocks]
    return table(
        "workaround_time",
        "Median days until a workaround was found",
        "From publication to the last status change, for the quarter's reports now marked "
        "'workaround found' or 'resolved'. An approximation: reports still open are not "
        "counted yet.",
        "Quarter",
        [("median_days", "Median days")],
        rows,
    )


def confirmations_table(blocks: Sequence[QuarterBlock]) -> dict[str, Any]:
    rows = [row(c, CATEGORY_LABELS[c], [combine(blocks, f"confirm|{c}")]) for c in CATEGORIES]
    rows.append(row(TOTAL, "All problems", [combine(blocks, "confirm|total")], total=True))
    return table(
        "confirmations",
        "“We hit this too”",
        "Confirmations given in the period, by the problem of the report confirmed.",
        "Problem",
        [("confirmations", "Confirmations")],
        rows,
    )


def buyers_table(group: CreditGroup, blocks: Sequence[QuarterBlock]) -> list[dict[str, Any]]:
    """Customers with the most reports, only as far as the naming policy allows."""
    if group.customer_naming is CustomerNaming.NOT_NAMED:
        return []
    keys = ordered_rows(blocks, lambda b: b.buyer_rows, lambda key: f"buyer|{key}")
    labels = {key: label for b in blocks for key, label in b.buyer_labels.items()}
    rows = [row(key, labels.get(key, key), [combine(blocks, f"buyer|{key}")]) for key in keys]
    if len(blocks) == 1:
        rows.append(row(OTHER, "Other customers", [combine(blocks, f"buyer|{OTHER}")]))
    rows.append(row(NONE, "Customer not given", [combine(blocks, f"buyer|{NONE}")]))
    rows.append(row(TOTAL, "All new reports", [combine(blocks, GRAND)], total=True))
    named = group.customer_naming is CustomerNaming.NAMED
    return [
        table(
            "buyers",
            "Customers with the most reports" if named else "Customers' industries",
            "As far as the group's naming policy allows.",
            "Customer" if named else "Industry",
            [("reports", "Reports")],
            rows,
        )
    ]


def fees_table(blocks: Sequence[QuarterBlock]) -> dict[str, Any]:
    columns = [*FEE_BANDS, TOTAL]
    rows = [
        row(kind, FEE_KIND_LABELS[kind], [combine(blocks, fee_id(kind, b)) for b in columns])
        for kind in FEE_KINDS
    ]
    rows.append(
        row(
            TOTAL,
            "All fee reports",
            [combine(blocks, fee_id(TOTAL, b)) for b in columns],
            total=True,
        )
    )
    return table(
        "fees",
        "Fees reported, by kind and size",
        "Reports in the fees category, as ranges. A figure is also hidden when one company "
        "accounts for more than a quarter of it.",
        "Kind of fee",
        [*((b, FEE_BAND_LABELS[b]) for b in FEE_BANDS), (TOTAL, "All sizes")],
        rows,
    )


def portal_key(key: str, portals: dict) -> str:
    return portals[int(key)].slug if key not in (OTHER, TOTAL) and int(key) in portals else key


def portal_label(key: str, portals: dict) -> str:
    if key == OTHER:
        return "Other portals"
    info = portals.get(int(key))
    return info.name if info else "A portal"


# --- rising problems ------------------------------------------------------------------------


def rising(
    current: Sequence[QuarterBlock], previous: Sequence[QuarterBlock], portals: dict
) -> list[dict[str, Any]]:
    """What went up against the previous period, among figures shown now. A figure whose
    previous value is hidden is listed as "newly shown", never as a rise of a number."""
    candidates: list[tuple[str, str, str, str]] = []  # kind, key, label, figure id
    for key in ordered_rows(current, lambda b: b.portal_rows, lambda p: heat_id(p, TOTAL)):
        label = portal_label(key, portals)
        candidates.append(("portal", portal_key(key, portals), label, heat_id(key, TOTAL)))
        for c in CATEGORIES:
            candidates.append(
                (
                    "cell",
                    f"{portal_key(key, portals)}:{c}",
                    f"{label}: {CATEGORY_LABELS[c]}",
                    heat_id(key, c),
                )
            )
    for c in CATEGORIES:
        candidates.append(("category", c, CATEGORY_LABELS[c], heat_id(TOTAL, c)))
    items = [
        _rise(kind, key, label, combine(current, fid), combine(previous, fid))
        for kind, key, label, fid in candidates
    ]
    found = [item for item in items if item is not None]
    found.sort(key=lambda item: (item["trend"] != "up", -(item["change"] or 0), item["label"]))
    return found[:RISING_LIMIT]


def _rise(kind: str, key: str, label: str, now: Figure, before: Figure) -> dict[str, Any] | None:
    if now.hidden:
        return None  # not enough support to say anything
    item = {
        "kind": kind,
        "key": key,
        "label": label,
        "current": now.as_dict(),
        "previous": before.as_dict(),
        "change": None,
        "trend": "newly_shown",
    }
    if before.hidden:
        return item
    change = int(now.value) - int(before.value)
    if change < max(2, -(-int(before.value) // 4)):  # at least 2 and a quarter more
        return None
    return {**item, "change": change, "trend": "up"}
