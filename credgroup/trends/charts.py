"""Server-side SVG charts of published trend figures: no script, no inline style (only SVG
presentation attributes, which the CSP allows), printable, and each with a title and a
description; the page puts the chart's data table next to it for screen readers.

Charts are drawn from the report payload, so they show exactly the published figures: a
hidden figure is drawn as an empty, dashed placeholder, never as a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
INK, MUTED, GRID, HIDDEN_FILL = "#1f2933", "#52606d", "#cbd2d9", "#f5f7fa"
BAR = "#2f6fb3"
PREVIOUS = "#9fb3c8"
# Light to dark blue: readable in print and for the common colour-vision deficiencies.
SCALE = ("#e3eefa", "#b9d3f0", "#86b1e0", "#4f88c6", "#2a5d9a", "#173c6b")


def _attrs(**attrs: Any) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not None
    )


def _el(tag: str, content: str = "", **attrs: Any) -> str:
    return f"<{tag} {_attrs(**attrs)}>{content}</{tag}>"


def _text(x: float, y: float, text: Any, **attrs: Any) -> str:
    attrs.setdefault("fill", INK)
    attrs.setdefault("font_size", 12)
    return _el("text", str(escape(text)), x=round(x, 1), y=round(y, 1), **attrs)


def _svg(chart_id: str, title: str, description: str, width: int, height: int, body: str) -> Markup:
    head = _el("title", str(escape(title)), id=f"{chart_id}-title") + _el(
        "desc", str(escape(description)), id=f"{chart_id}-desc"
    )
    # Every text and attribute value above went through escape(); numbers are ours.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" {_attrs(id=chart_id)} '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}">'
        f"{head}{body}</svg>"
    )


def _hidden_box(x: float, y: float, width: float, height: float) -> str:
    return _el(
        "rect",
        x=round(x, 1),
        y=round(y, 1),
        width=round(width, 1),
        height=round(height, 1),
        fill=HIDDEN_FILL,
        stroke=MUTED,
        stroke_dasharray="3 2",
        stroke_width=1,
    )


def _shade(value: float, top: float) -> str:
    if top <= 0:
        return SCALE[0]
    index = min(int(value / top * (len(SCALE) - 1) + 0.5), len(SCALE) - 1)
    return SCALE[max(index, 1)]


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(chart_id: str, title: str, items: Sequence[tuple[str, dict]], k: int) -> Markup:
    """Vertical bars, one per (label, figure); hidden figures as dashed placeholders."""
    width, height, left, bottom, top_pad = max(320, 40 + 36 * len(items)), 220, 40, 50, 16
    values = [f["value"] for _, f in items if f["value"] is not None]
    top = max(values, default=0) or 1
    plot = height - bottom - top_pad
    step = (width - left - 10) / max(len(items), 1)
    parts = [
        _el("line", x1=left, y1=height - bottom, x2=width - 5, y2=height - bottom, stroke=GRID)
    ]
    for i, (label, figure) in enumerate(items):
        x = left + i * step + step * 0.15
        bar_width = step * 0.7
        if figure["value"] is None:
            parts.append(_hidden_box(x, height - bottom - 14, bar_width, 14))
            parts.append(
                _text(
                    x + bar_width / 2,
                    height - bottom - 18,
                    f"<{k}",
                    text_anchor="middle",
                    font_size=10,
                    fill=MUTED,
                )
            )
        else:
            h = plot * figure["value"] / top
            parts.append(
                _el(
                    "rect",
                    x=round(x, 1),
                    y=round(height - bottom - h, 1),
                    width=round(bar_width, 1),
                    height=round(h, 1),
                    fill=BAR,
                )
            )
            parts.append(
                _text(
                    x + bar_width / 2,
                    height - bottom - h - 4,
                    figure["value"],
                    text_anchor="middle",
                    font_size=10,
                )
            )
        parts.append(
            _text(
                x + bar_width / 2,
                height - bottom + 14,
                _short(label, 8),
                text_anchor="middle",
                font_size=10,
                fill=MUTED,
            )
        )
    description = (
        f"Bar chart with {len(items)} bars. Dashed boxes are figures hidden because fewer "
        f"than {k} member companies stand behind them. The table below lists every figure."
    )
    return _svg(chart_id, title, description, int(width), height, "".join(parts))


def monthly_chart(table: dict[str, Any], k: int) -> Markup:
    """New reports per month (the "monthly" table, without its total)."""
    items = [
        (_month_short(row["key"]), row["cells"][0]) for row in table["rows"] if not row["total"]
    ]
    return bar_chart("chart-monthly", "New reports per month", items, k)


def _month_short(key: str) -> str:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    year, _, month = key.partition("-")
    return f"{names[int(month) - 1]} {year[2:]}" if month.isdigit() else key


def heat_map(table: dict[str, Any], k: int, chart_id: str = "chart-heat-map") -> Markup:
    """Rows x columns of a table as shaded squares, totals left out."""
    columns = [c for c in table["columns"] if c["key"] != "total"]
    rows = [r for r in table["rows"] if not r["total"]]
    cell, left, top = 34, 170, 130
    width, height = left + cell * len(columns) + 90, top + cell * max(len(rows), 1) + 10
    values = [
        c["value"] for r in rows for c in r["cells"][: len(columns)] if c["value"] is not None
    ]
    biggest = max(values, default=0)
    parts = []
    for j, column in enumerate(columns):
        x = left + j * cell + cell / 2
        parts.append(
            _text(
                x,
                top - 8,
                _short(column["label"], 20),
                font_size=10,
                fill=MUTED,
                transform=f"rotate(-45 {x:.1f} {top - 8})",
            )
        )
    for i, row in enumerate(rows):
        y = top + i * cell
        parts.append(
            _text(left - 8, y + cell / 2 + 4, _short(row["label"]), text_anchor="end", font_size=11)
        )
        for j, figure in enumerate(row["cells"][: len(columns)]):
            x = left + j * cell
            if figure["value"] is None:
                parts.append(_hidden_box(x + 2, y + 2, cell - 4, cell - 4))
                continue
            parts.append(
                _el(
                    "rect",
                    x=x + 1,
                    y=y + 1,
                    width=cell - 2,
                    height=cell - 2,
                    fill=_shade(figure["value"], biggest),
                )
            )
            dark = figure["value"] > biggest / 2
            parts.append(
                _text(
                    x + cell / 2,
                    y + cell / 2 + 4,
                    figure["value"],
                    text_anchor="middle",
                    font_size=11,
                    fill="#ffffff" if dark else INK,
                )
            )
    description = (
        f"Heat map: {len(rows)} rows by {len(columns)} columns, darker means more. Dashed "
        f"squares are hidden figures (fewer than {k} companies, or hidden to protect such a "
        "figure). The table below lists every figure."
    )
    return _svg(chart_id, table["title"], description, width, height, "".join(parts))


def rising_chart(items: Sequence[dict[str, Any]], k: int) -> Markup:
    """Horizontal bars: the current figure, with the previous one beneath when shown."""
    left, row_h, width = 230, 34, 560
    height = 30 + row_h * max(len(items), 1)
    values = [i[w]["value"] for i in items for w in ("current", "previous") if i[w]["value"]]
    top = max(values, default=1)
    scale = (width - left - 50) / top
    parts = [
        _text(left, 16, "This period", font_size=10, fill=BAR),
        _text(left + 90, 16, "Previous period", font_size=10, fill=MUTED),
    ]
    for n, item in enumerate(items):
        y = 26 + n * row_h
        parts.append(
            _text(left - 8, y + 14, _short(item["label"], 34), text_anchor="end", font_size=11)
        )
        now, before = item["current"]["value"] or 0, item["previous"]["value"]
        parts.append(_el("rect", x=left, y=y + 2, width=round(now * scale, 1), height=12, fill=BAR))
        parts.append(_text(left + now * scale + 4, y + 12, now, font_size=10))
        if before is None:
            parts.append(_hidden_box(left, y + 16, 24, 10))
            parts.append(_text(left + 28, y + 25, f"<{k} or hidden", font_size=9, fill=MUTED))
        else:
            parts.append(
                _el(
                    "rect",
                    x=left,
                    y=y + 16,
                    width=round(before * scale, 1),
                    height=10,
                    fill=PREVIOUS,
                )
            )
            parts.append(_text(left + before * scale + 4, y + 25, before, font_size=9, fill=MUTED))
    description = (
        f"{len(items)} rising problems: each has a bar for this period and, below it, the "
        "previous period (dashed when that figure was hidden). The table below lists them."
    )
    return _svg("chart-rising", "Rising problems", description, width, height, "".join(parts))


def friction_chart(index: dict[str, Any]) -> Markup:
    """Portal x month grid of the friction index: red above 50 (worse), green below."""
    months, portals = index["months"], index["portals"]
    cell, left, top = 40, 190, 70
    width, height = left + cell * len(months) + 60, top + cell * max(len(portals), 1) + 10
    parts = []
    for j, month in enumerate(months):
        x = left + j * cell + cell / 2
        parts.append(
            _text(
                x,
                top - 8,
                _month_short(month["key"]),
                font_size=10,
                fill=MUTED,
                transform=f"rotate(-45 {x:.1f} {top - 8})",
            )
        )
    for i, portal in enumerate(portals):
        y = top + i * cell
        parts.append(
            _text(
                left - 8, y + cell / 2 + 4, _short(portal["name"]), text_anchor="end", font_size=11
            )
        )
        for j, point in enumerate(portal["points"]):
            x = left + j * cell
            if point["index"] is None:
                parts.append(_hidden_box(x + 3, y + 3, cell - 6, cell - 6))
                continue
            parts.append(
                _el(
                    "rect",
                    x=x + 1,
                    y=y + 1,
                    width=cell - 2,
                    height=cell - 2,
                    fill=_diverging(point["index"]),
                )
            )
            parts.append(
                _text(
                    x + cell / 2,
                    y + cell / 2 + 4,
                    round(point["index"]),
                    text_anchor="middle",
                    font_size=10,
                )
            )
    description = (
        "Friction index per portal and month: above 50 more member companies reported the "
        "portal getting worse than better, below 50 the other way. Dashed squares: not "
        "enough companies. The table below lists every figure."
    )
    return _svg(
        "chart-friction", "Portal friction index", description, width, height, "".join(parts)
    )


def _diverging(index: float) -> str:
    if index >= 75:
        return "#e8a6a1"
    if index > 50:
        return "#f6d5d2"
    if index == 50:
        return "#eef0f2"
    if index > 25:
        return "#d3ecd9"
    return "#a6d8b3"
