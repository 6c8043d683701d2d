"""The trend report of a group for a span of quarters, as one JSON-ready dict.

That dict (the "payload") is the only thing pages, charts, CSV/JSON exports, the API and
frozen snapshots are made from, and it holds only published figures: every number is a
block figure or a sum of shown block figures (``blocks.combine``), hidden ones are
``{"value": null, "companies": null}``. Nothing in it names a company or a person.

Approximation, documented: "median days until a workaround" counts from the day a report
was published to the day of its last status change, for reports whose status is now
"workaround found" or "resolved". A report set to "workaround found" and later to
"resolved" counts until the later change, and reports still open are left out, so recent
quarters read shorter than they will end up.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from credgroup.groups.models import CreditGroup, CustomerNaming
from credgroup.trends.blocks import (
    GRAND,
    QuarterBlock,
    build_block,
    combine,
    heat_id,
)
from credgroup.trends.data import (
    ConfirmationRow,
    ReportRow,
    group_rows,
    member_company_count,
    portals_by_id,
)
from credgroup.trends.disclosure import HIDDEN, TOTAL, hidden_label, threshold_for
from credgroup.trends.periods import Quarter, Span
from credgroup.trends.tables import (
    buyers_table,
    confirmations_table,
    fees_table,
    heat_map_table,
    monthly_table,
    ordered_rows,
    quarter_trend_tables,
    rising,
    status_table,
    workaround_table,
)

PAYLOAD_VERSION = 1


def build_report(group: CreditGroup, span: Span, today: date) -> dict[str, Any]:
    """The published trend report (no authorisation here: see ``service``)."""
    k = threshold_for(group.anonymity_threshold)
    payload = _header(group, span, today, k)
    companies = member_company_count(group)
    if companies < k:
        payload["available"] = False
        payload["explanation"] = (
            f"This group has {companies} member {'company' if companies == 1 else 'companies'}. "
            f"Trend figures are shown only when at least {k} different companies stand "
            "behind them, so a group this small gets no trend report: any figure would "
            "point at the few companies that could have reported it."
        )
        return payload
    blocks = quarter_blocks(group, span, k)
    current = [blocks[q] for q in span.quarters]
    previous = [blocks[q] for q in span.previous().quarters]
    portals = portals_by_id({int(p) for b in blocks.values() for p in b.portal_rows})
    portal_ids = ordered_rows(current, lambda b: b.portal_rows, lambda p: heat_id(p, TOTAL))
    tables = [
        monthly_table(current),
        heat_map_table(current, portal_ids, portals),
        *quarter_trend_tables(current, portal_ids, portals),
        status_table(current),
        workaround_table(current),
        confirmations_table(current),
        *buyers_table(group, current),
        fees_table(current),
    ]
    payload["summary"] = {
        "new_reports": combine(current, GRAND).as_dict(),
        "confirmations": combine(current, "confirm|total").as_dict(),
    }
    payload["tables"] = tables
    payload["rising"] = rising(current, previous, portals)
    return payload


def _header(group: CreditGroup, span: Span, today: date, k: int) -> dict[str, Any]:
    notices = [
        "Figures are published per calendar quarter, from all of the group's published "
        "reports, so that no two reports can be subtracted to single out a month or a "
        "member. Longer periods add up quarters and show a sum only when every quarter's "
        "part is shown."
    ]
    if span.widened:
        notices.insert(0, f"You asked for {span.requested_label}; this report covers {span.label}.")
    return {
        "version": PAYLOAD_VERSION,
        "group": {"slug": group.slug, "name": group.name},
        "threshold": k,
        "hidden_label": hidden_label(k),
        "generated_on": today.isoformat(),
        "period": {
            "kind": span.kind,
            "requested_from": f"{span.requested_from:%Y-%m}",
            "requested_to": f"{span.requested_to:%Y-%m}",
            "from": f"{span.start:%Y-%m}",
            "to": f"{span.quarters[-1].months[-1]:%Y-%m}",
            "quarters": [q.key for q in span.quarters],
            "label": span.label,
            "previous_label": span.previous().label,
        },
        "buyer_policy": group.customer_naming.value,
        "available": True,
        "explanation": None,
        "notices": notices,
        "summary": {"new_reports": HIDDEN.as_dict(), "confirmations": HIDDEN.as_dict()},
        "tables": [],
        "rising": [],
    }


def quarter_blocks(group: CreditGroup, span: Span, k: int) -> dict[Quarter, QuarterBlock]:
    """The blocks of the span and of the span before it, from two queries. The span
    before only serves rising problems, which compare heat map figures: its quarters are
    built as heat maps (see ``blocks.build_block``), and confirmations, a table of their
    own, are read for the span itself only."""
    quarters = [*span.previous().quarters, *span.quarters]
    start, end = quarters[0].start, quarters[-1].end
    rows = group_rows(group, start, end, confirmed_from=span.start)
    before = set(span.previous().quarters)
    return blocks_from_rows(group, quarters, rows.reports, rows.confirmations, k, before)


def blocks_from_rows(
    group: CreditGroup,
    quarters: Sequence[Quarter],
    reports: Iterable[ReportRow],
    confirmations: Iterable[ConfirmationRow],
    k: int,
    heat_only: Collection[Quarter] = (),
) -> dict[Quarter, QuarterBlock]:
    """Split the rows by quarter and build each quarter's block (of ``heat_only``
    quarters only the heat map: see ``blocks.build_block``)."""
    with_buyers = group.customer_naming is not CustomerNaming.NOT_NAMED
    by_quarter: dict[Quarter, tuple[list, list]] = {q: ([], []) for q in quarters}
    # By (year, month): cheaper than a Quarter per row, and there are thousands of rows.
    month_parts = {(m.year, m.month): parts for q, parts in by_quarter.items() for m in q.months}
    for report in reports:
        day = report.published_on
        month_parts[day.year, day.month][0].append(report)
    for confirmation in confirmations:
        day = confirmation.confirmed_on
        month_parts[day.year, day.month][1].append(confirmation)
    return {
        q: build_block(q, rows, confs, k, with_buyers=with_buyers, heat_only=q in heat_only)
        for q, (rows, confs) in by_quarter.items()
    }


def buyer_table_allowed(payload: dict[str, Any], group: CreditGroup) -> bool:
    """A frozen report keeps its customer table only while the group's naming policy is
    at least as open as when it was made."""
    order = [
        CustomerNaming.NOT_NAMED.value,
        CustomerNaming.INDUSTRY_ONLY.value,
        CustomerNaming.NAMED.value,
    ]
    made = payload.get("buyer_policy", CustomerNaming.NOT_NAMED.value)
    return order.index(group.customer_naming.value) >= order.index(made)


def for_viewing(payload: dict[str, Any], group: CreditGroup) -> dict[str, Any]:
    """The payload as it may be shown now (a stricter naming policy drops customers)."""
    if buyer_table_allowed(payload, group):
        return payload
    return {**payload, "tables": [t for t in payload["tables"] if t["id"] != "buyers"]}
