"""CSV and JSON of a trend report: the published tables only (hidden figures stay hidden).

Both are made from the report payload, never from the database, so an export cannot hold
more than the page shows.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from credgroup.reports.csv_export import safe_cell

CSV_COLUMNS = ["table", "row", "row_label", "column", "column_label", "value", "companies"]


def report_csv(payload: dict[str, Any]) -> str:
    """One line per published cell (long format); a hidden cell reads "fewer than k"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    if not payload.get("available", True):
        writer.writerow(["explanation", "", "", "", "", payload.get("explanation") or "", ""])
    for line in csv_lines(payload):
        writer.writerow([safe_cell(value) for value in line])
    return out.getvalue()


def csv_lines(payload: dict[str, Any]) -> list[list[Any]]:
    hidden = payload.get("hidden_label") or "hidden"
    lines: list[list[Any]] = []
    for table in payload.get("tables", []):
        columns = table["columns"]
        for row in table["rows"]:
            for column, cell in zip(columns, row["cells"], strict=True):
                shown = cell["value"] is not None
                lines.append(
                    [
                        table["id"],
                        row["key"],
                        row["label"],
                        column["key"],
                        column["label"],
                        cell["value"] if shown else hidden,
                        cell["companies"] if shown else "",
                    ]
                )
    for item in payload.get("rising", []):
        for when in ("current", "previous"):
            cell = item[when]
            shown = cell["value"] is not None
            lines.append(
                [
                    "rising",
                    f"{item['kind']}:{item['key']}",
                    item["label"],
                    when,
                    item["trend"],
                    cell["value"] if shown else hidden,
                    cell["companies"] if shown else "",
                ]
            )
    return lines


def report_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False)


def export_filename(payload: dict[str, Any], extension: str) -> str:
    period = payload.get("period", {})
    group = payload.get("group", {}).get("slug", "group")
    return f"trends-{group}-{period.get('from', '')}-{period.get('to', '')}.{extension}"
