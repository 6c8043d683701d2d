"""Charts are well-formed SVG whatever the data (empty, hidden, hostile labels); exports
carry only the published tables and cannot run formulas in a spreadsheet."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from credgroup.trends import charts, exports

HIDDEN = {"value": None, "companies": None}


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own markup


def a_table(rows) -> dict:
    return {
        "id": "heat_map",
        "title": "New reports by portal & <problem>",
        "description": "",
        "row_header": "Portal",
        "columns": [{"key": "fees", "label": "Fees <b>"}, {"key": "total", "label": "All"}],
        "rows": rows,
    }


def test_charts_are_well_formed_for_empty_hidden_and_hostile_data():
    hostile = '<script>alert("x")</script> & "quotes"'
    table = a_table(
        [
            {
                "key": "p",
                "label": hostile,
                "total": False,
                "cells": [HIDDEN, {"value": 3, "companies": 3}],
            },
            {"key": "total", "label": "All", "total": True, "cells": [HIDDEN, HIDDEN]},
        ]
    )
    for svg in (
        charts.heat_map(table, 5),
        charts.heat_map(a_table([]), 5),
        charts.bar_chart("c", "Empty", [], 5),
        charts.bar_chart("c", "Some", [("Jan", HIDDEN), ("Feb", {"value": 7, "companies": 5})], 5),
        charts.rising_chart([], 5),
        charts.rising_chart(
            [{"label": hostile, "current": {"value": 9, "companies": 5}, "previous": HIDDEN}], 5
        ),
        charts.friction_chart({"months": [], "portals": []}),
        charts.friction_chart(
            {
                "months": [{"key": "2025-01", "label": "January 2025"}],
                "portals": [
                    {"name": hostile, "slug": "x", "points": [{"index": 80.0}]},
                    {"name": "Calm", "slug": "y", "points": [{"index": None}]},
                ],
            }
        ),
    ):
        root = parse(svg)
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
        assert "<script>" not in str(svg)
        assert not [e for e in root.iter() if "style" in e.attrib]


def test_csv_has_one_line_per_published_cell_and_hidden_ones_say_so():
    payload = {
        "hidden_label": "fewer than 5",
        "available": True,
        "tables": [
            a_table(
                [
                    {
                        "key": "p",
                        "label": "=cmd|' /C calc'!A0",
                        "total": False,
                        "cells": [HIDDEN, {"value": 6, "companies": 5}],
                    },
                ]
            )
        ],
        "rising": [
            {
                "kind": "portal",
                "key": "p",
                "label": "P",
                "trend": "newly_shown",
                "current": {"value": 6, "companies": 5},
                "previous": HIDDEN,
            }
        ],
    }
    rows = list(csv.reader(io.StringIO(exports.report_csv(payload))))
    assert rows[0] == exports.CSV_COLUMNS
    assert rows[1][2].startswith("'=")  # a spreadsheet will not run it
    assert rows[1][5:] == ["fewer than 5", ""]
    assert rows[2][5:] == ["6", "5"]
    assert rows[3][:2] == ["rising", "portal:p"] and rows[4][5] == "fewer than 5"


def test_unavailable_report_exports_its_explanation():
    payload = {"available": False, "explanation": "Too small.", "tables": [], "rising": []}
    assert "Too small." in exports.report_csv(payload)
    assert exports.export_filename(
        {"group": {"slug": "g"}, "period": {"from": "2025-01", "to": "2025-03"}}, "csv"
    ) == ("trends-g-2025-01-2025-03.csv")
