"""The group's report list as CSV: built from ``presenters.report_summary`` only, so an export
can never carry more than the list page shows (no author, no pseudonym, no internal id)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from credgroup.groups.models import CreditGroup, CustomerNaming

# Spreadsheets run a cell that starts with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def columns(group: CreditGroup) -> list[str]:
    """Column names, with the customer only as far as the group's naming policy allows."""
    buyer = {
        CustomerNaming.NAMED: ["buyer_name", "buyer_industry"],
        CustomerNaming.INDUSTRY_ONLY: ["buyer_industry"],
        CustomerNaming.NOT_NAMED: [],
    }[group.customer_naming]
    return [
        "id",
        "published_on",
        "portal",
        *buyer,
        "category",
        "status",
        "title",
        "channel",
        "invoices_band",
        "amount_band",
        "fee_kind",
        "fee_size_band",
        "incident_month",
        "hit_too",
        "workaround_worked",
    ]


def safe_cell(value: Any) -> str:
    """The value as text; one a spreadsheet would evaluate gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _row(summary: Mapping[str, Any], names: list[str]) -> list[str]:
    values = {**summary, "portal": summary["portal"]["name"]}
    return [safe_cell(values.get(name)) for name in names]


def reports_csv(group: CreditGroup, summaries: Iterable[Mapping[str, Any]]) -> str:
    """CSV text of report summaries (see ``presenters.report_summary``)."""
    names = columns(group)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for summary in summaries:
        writer.writerow(_row(summary, names))
    return out.getvalue()
