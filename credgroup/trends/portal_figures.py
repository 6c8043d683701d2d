"""Figures about one portal for the portal pages, taken from the groups' trend reports.

A portal page shows, per group the viewer sees, how many reports each problem category has
about the portal this quarter. These are exactly the figures of the group's trend report
for the current quarter (the heat map row of that portal), with the same suppression, so
that comparing the two pages cannot give away what either hides. A portal without a row of
its own in the heat map (fewer than k companies reported it) shows nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from credgroup.groups.models import CreditGroup
from credgroup.reports.enums import ProblemCategory
from credgroup.trends.blocks import heat_id
from credgroup.trends.data import member_company_counts, rows_by_group
from credgroup.trends.disclosure import HIDDEN, Figure, threshold_for
from credgroup.trends.periods import Quarter
from credgroup.trends.report import blocks_from_rows


@dataclass(frozen=True)
class PortalFigures:
    """One group's figures about a portal for one quarter."""

    group: CreditGroup
    threshold: int
    quarter: Quarter
    by_category: dict[ProblemCategory, Figure]


def portal_figures(
    groups: Sequence[CreditGroup], portal_id: int, today: date
) -> list[PortalFigures]:
    """This quarter's published figures of ``portal_id``, for each of ``groups`` (three
    queries in all, however many groups)."""
    quarter = Quarter.of(today)
    ids = [group.id for group in groups]
    rows = rows_by_group(groups, quarter.start, quarter.end)
    companies = member_company_counts(ids)
    found = []
    for group in groups:
        k = threshold_for(group.anonymity_threshold)
        figures = dict.fromkeys(ProblemCategory, HIDDEN)
        found_rows = rows[group.id]
        if companies.get(group.id, 0) >= k and found_rows.reports:
            block = blocks_from_rows(
                group, [quarter], found_rows.reports, found_rows.confirmations, k
            )[quarter]
            figures = {c: block.figure(heat_id(str(portal_id), c.value)) for c in ProblemCategory}
        found.append(PortalFigures(group, k, quarter, figures))
    return found
