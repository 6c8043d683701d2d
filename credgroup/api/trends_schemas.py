"""JSON Schemas and examples of the trend endpoints (credgroup/api/trends.py).

A trend report is the same payload the pages, exports and snapshots are made from: only
published figures; a hidden figure is ``{"value": null, "companies": null}``.
"""

from __future__ import annotations

from typing import Any

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_URI = {"type": "string", "format": "uri"}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "required": sorted(properties),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


FIGURE = _object(
    {
        "value": {
            "type": ["number", "null"],
            "description": "The figure; null when hidden (fewer than k member companies "
            "stand behind it, or hidden so that such a figure cannot be worked out).",
        },
        "companies": {
            "type": ["integer", "null"],
            "description": "How many member companies stand behind the figure (null when "
            "hidden). Distinct counts: they do not add up.",
        },
    },
    "One published figure.",
)

TABLE = _object(
    {
        "id": _STRING,
        "title": _STRING,
        "description": _STRING,
        "row_header": _STRING,
        "columns": {
            "type": "array",
            "items": _object({"key": _STRING, "label": _STRING}),
        },
        "rows": {
            "type": "array",
            "items": _object(
                {
                    "key": _STRING,
                    "label": _STRING,
                    "total": {"type": "boolean", "description": "A margin (total) row."},
                    "cells": {"type": "array", "items": FIGURE, "description": "Per column."},
                }
            ),
        },
    },
    "A published table: rows x columns of figures.",
)

RISING = _object(
    {
        "kind": {"type": "string", "enum": ["portal", "category", "cell"]},
        "key": _STRING,
        "label": _STRING,
        "current": FIGURE,
        "previous": FIGURE,
        "change": {"type": ["integer", "null"]},
        "trend": {
            "type": "string",
            "enum": ["up", "newly_shown"],
            "description": "newly_shown: the previous period's figure is hidden.",
        },
    }
)

PERIOD = _object(
    {
        "kind": {"type": "string", "enum": ["quarter", "month", "custom"]},
        "requested_from": {**_STRING, "description": "YYYY-MM, as asked."},
        "requested_to": {**_STRING, "description": "YYYY-MM, as asked."},
        "from": {**_STRING, "description": "YYYY-MM: first month of the first quarter."},
        "to": {**_STRING, "description": "YYYY-MM: last month of the last quarter."},
        "quarters": {"type": "array", "items": {**_STRING, "examples": ["2026-Q1"]}},
        "label": _STRING,
        "previous_label": _STRING,
    },
    "Figures are published per calendar quarter: a request is widened to whole quarters.",
)

REPORT = _object(
    {
        "version": {"type": "integer"},
        "group": _object({"slug": _STRING, "name": _STRING}),
        "threshold": {"type": "integer", "minimum": 3, "description": "k"},
        "hidden_label": _STRING,
        "generated_on": {"type": "string", "format": "date"},
        "period": PERIOD,
        "buyer_policy": _STRING,
        "available": {
            "type": "boolean",
            "description": "False when the group has fewer than k member companies.",
        },
        "explanation": _NULLABLE_STRING,
        "notices": {"type": "array", "items": _STRING},
        "summary": _object({"new_reports": FIGURE, "confirmations": FIGURE}),
        "tables": {"type": "array", "items": TABLE},
        "rising": {"type": "array", "items": RISING},
    },
    "A group's published trend report.",
)

LINKS = _object({"csv": _URI, "json": _URI, "page": _URI})

TREND_RESPONSE = {**REPORT, "required": [*REPORT["required"], "links"]}
TREND_RESPONSE["properties"] = {**REPORT["properties"], "links": LINKS}

SNAPSHOT_SUMMARY = _object(
    {
        "id": _STRING,
        "group": _STRING,
        "period": PERIOD,
        "generated_on": {"type": "string", "format": "date-time"},
        "frozen": {"type": "boolean"},
        "for_meeting": {"type": "boolean"},
        "links": LINKS,
    },
    "A frozen trend report.",
)
SNAPSHOT = {
    **SNAPSHOT_SUMMARY,
    "required": [*SNAPSHOT_SUMMARY["required"], "report"],
    "properties": {**SNAPSHOT_SUMMARY["properties"], "report": REPORT},
}

POINT = _object(
    {
        "month": _STRING,
        "worse": {"type": ["integer", "null"]},
        "better": {"type": ["integer", "null"]},
        "companies": {"type": ["integer", "null"], "description": "Company seats behind it."},
        "index": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
    }
)
FRICTION = _object(
    {
        "from": _STRING,
        "to": _STRING,
        "months": {"type": "array", "items": _object({"key": _STRING, "label": _STRING})},
        "portals": {
            "type": "array",
            "items": _object(
                {"slug": _STRING, "name": _STRING, "points": {"type": "array", "items": POINT}}
            ),
        },
        "method": _STRING,
    },
    "The portal friction index: 50 + 50 x (worse - better) / (worse + better).",
)

_HIDDEN = {"value": None, "companies": None}
_PERIOD_EXAMPLE = {
    "kind": "quarter",
    "requested_from": "2026-01",
    "requested_to": "2026-03",
    "from": "2026-01",
    "to": "2026-03",
    "quarters": ["2026-Q1"],
    "label": "Q1 2026 (January to March 2026)",
    "previous_label": "Q4 2025 (October to December 2025)",
}
REPORT_EXAMPLE: dict[str, Any] = {
    "version": 1,
    "group": {"slug": "building-materials", "name": "Building Materials Credit Group"},
    "threshold": 5,
    "hidden_label": "fewer than 5",
    "generated_on": "2026-04-02",
    "period": _PERIOD_EXAMPLE,
    "buyer_policy": "industry_only",
    "available": True,
    "explanation": None,
    "notices": ["Figures are published per calendar quarter."],
    "summary": {"new_reports": {"value": 31, "companies": 9}, "confirmations": _HIDDEN},
    "tables": [
        {
            "id": "monthly",
            "title": "New reports per month",
            "description": "Reports published in each month.",
            "row_header": "Month",
            "columns": [{"key": "reports", "label": "New reports"}],
            "rows": [
                {
                    "key": "2026-01",
                    "label": "January 2026",
                    "total": False,
                    "cells": [{"value": 12, "companies": 6}],
                },
                {"key": "2026-02", "label": "February 2026", "total": False, "cells": [_HIDDEN]},
                {"key": "2026-03", "label": "March 2026", "total": False, "cells": [_HIDDEN]},
                {
                    "key": "total",
                    "label": "Whole period",
                    "total": True,
                    "cells": [{"value": 31, "companies": 9}],
                },
            ],
        }
    ],
    "rising": [
        {
            "kind": "portal",
            "key": "coupa",
            "label": "Coupa",
            "current": {"value": 14, "companies": 7},
            "previous": {"value": 6, "companies": 5},
            "change": 8,
            "trend": "up",
        }
    ],
}
_LINKS_EXAMPLE = {
    "csv": "https://credgroup.example/g/building-materials/trends/export.csv?period=quarter&from=2026-01",
    "json": "https://credgroup.example/g/building-materials/trends/export.json?period=quarter&from=2026-01",
    "page": "https://credgroup.example/g/building-materials/trends?period=quarter&from=2026-01",
}
TREND_EXAMPLE = {**REPORT_EXAMPLE, "links": _LINKS_EXAMPLE}
SNAPSHOT_SUMMARY_EXAMPLE = {
    "id": "b3Jpb2xlLXNuYXA",
    "group": "building-materials",
    "period": _PERIOD_EXAMPLE,
    "generated_on": "2026-04-02T11:00:00+00:00",
    "frozen": True,
    "for_meeting": True,
    "links": {
        "csv": "https://credgroup.example/g/building-materials/trends/snapshots/b3Jpb2xlLXNuYXA/export.csv",
        "json": "https://credgroup.example/g/building-materials/trends/snapshots/b3Jpb2xlLXNuYXA/export.json",
        "page": "https://credgroup.example/g/building-materials/trends/snapshots/b3Jpb2xlLXNuYXA",
    },
}
SNAPSHOT_EXAMPLE = {**SNAPSHOT_SUMMARY_EXAMPLE, "report": REPORT_EXAMPLE}
FRICTION_EXAMPLE = {
    "from": "2026-01",
    "to": "2026-02",
    "months": [
        {"key": "2026-01", "label": "January 2026"},
        {"key": "2026-02", "label": "February 2026"},
    ],
    "portals": [
        {
            "slug": "coupa",
            "name": "Coupa",
            "points": [
                {"month": "2026-01", "worse": 9, "better": 3, "companies": 12, "index": 75.0},
                {
                    "month": "2026-02",
                    "worse": None,
                    "better": None,
                    "companies": None,
                    "index": None,
                },
            ],
        }
    ],
    "method": "Per portal and month: worse = member companies with a new report, better = "
    "member companies whose report got a workaround or was resolved.",
}
