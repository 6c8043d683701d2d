"""The portal friction index: is each portal getting better or worse, across all groups?

In the spirit of NACM's Credit Managers' Index (a diffusion index of favourable and
unfavourable answers), per portal and month:

- *worse*: member companies with a new report about the portal published that month;
- *better*: member companies whose report about the portal had its status changed that
  month to "workaround found", "resolved" or "no longer occurs" (as it stands today);
- index = 50 + 50 x (worse - better) / (worse + better): 100 when every signal is
  "worse", 0 when every signal is "better", 50 when balanced. Above 50 means friction is
  growing.

Disclosure control (``disclosure.meets_threshold``): companies are counted *per group*, by
their pseudonym in that group, and a group's "worse" or "better" count for a portal and
month enters the index only when at least that group's threshold k of companies stand
behind it; other groups' small counts are left out entirely, never added in. So every
number shown is a sum of counts that were each safe to show on their own, and nothing left
out can be recovered by subtraction. Figures are fixed per calendar month and computed
from all published reports; no narrower filter exists.

Known limitation, on purpose: pseudonyms differ per group by design (so reports cannot be
linked across groups), so a company in two groups counts once in each. The counts shown
are therefore "company seats", not distinct companies; as each group's count met its
threshold on its own, counting twice never lets a figure through early.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.reports.enums import ContributionState, ReportStatus
from credgroup.reports.models import Report
from credgroup.trends.data import portals_by_id
from credgroup.trends.disclosure import MIN_THRESHOLD, meets_threshold
from credgroup.trends.periods import month_label, next_month, parse_month

BETTER_STATUSES = (
    ReportStatus.WORKAROUND_FOUND,
    ReportStatus.RESOLVED,
    ReportStatus.NO_LONGER_OCCURS,
)
METHOD = (
    "Per portal and month, across all groups: worse = member companies with a new report "
    "about the portal; better = member companies whose report about it was marked "
    "'workaround found', 'resolved' or 'no longer occurs'. Index = 50 + 50 x (worse - "
    "better) / (worse + better): above 50 friction is growing. A group's count enters only "
    "when at least its own threshold of companies stand behind it; companies are counted per "
    "group ('company seats')."
)
DEFAULT_MONTHS = 12
MAX_MONTHS = 36
MAX_PORTALS = 30


@dataclass(frozen=True)
class MonthRange:
    first: date
    last: date

    @property
    def months(self) -> list[date]:
        found, month = [], self.first
        while month <= self.last:
            found.append(month)
            month = next_month(month)
        return found

    @property
    def end(self) -> date:
        return next_month(self.last)


def month_range(args: Mapping[str, Any], today: date) -> MonthRange:
    """``?from=&to=`` (months); by default the twelve months up to this one."""
    this_month = date(today.year, today.month, 1)
    last = parse_month(args["to"], "to") if args.get("to") else this_month
    if args.get("from"):
        first = parse_month(args["from"], "from")
    else:
        first = date(
            last.year - (1 if last.month < DEFAULT_MONTHS else 0),
            (last.month - DEFAULT_MONTHS) % 12 + 1,
            1,
        )
    if last < first:
        raise ValidationError("to", "The period ends before it starts.")
    if first > this_month:
        raise ValidationError("from", "That period has not started yet.")
    if last > this_month:
        raise ValidationError("to", "The period cannot end after this month.")
    span = MonthRange(first, last)
    if len(span.months) > MAX_MONTHS:
        raise ValidationError("to", f"The index covers at most {MAX_MONTHS} months.")
    return span


def _threshold() -> sa.ColumnElement[int]:
    floor = sa.literal(MIN_THRESHOLD)
    return sa.case(
        (CreditGroup.anonymity_threshold < floor, floor), else_=CreditGroup.anonymity_threshold
    )


def group_cells(day_column: Any, span: MonthRange, *conditions: Any) -> list[Any]:
    """Per group, portal and month: distinct companies, kept only where the group's own
    threshold is met (the database does the heavy lifting; ``meets_threshold`` decides)."""
    year, month = sa.extract("year", day_column), sa.extract("month", day_column)
    companies = sa.func.count(sa.distinct(Report.company_pseudonym))
    rows = db.session.execute(
        sa.select(Report.portal_id, year, month, companies, CreditGroup.anonymity_threshold)
        .join(CreditGroup, CreditGroup.id == Report.group_id)
        .where(
            CreditGroup.archived_at.is_(None),
            Report.state == ContributionState.PUBLISHED,
            day_column >= span.first,
            day_column < span.end,
            *conditions,
        )
        .group_by(Report.group_id, Report.portal_id, year, month, CreditGroup.anonymity_threshold)
        .having(companies >= _threshold())
    ).all()
    return [row for row in rows if meets_threshold(row[3], row[4])]


def friction_index(span: MonthRange) -> dict[str, Any]:
    """The index for every portal with a figure in the months of ``span`` (anyone signed
    in may read it: it holds only sums of per-group counts that met their threshold)."""
    worse = group_cells(Report.published_on, span)
    better = group_cells(Report.status_changed_on, span, Report.status.in_(BETTER_STATUSES))
    sums: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for which, rows in ((0, worse), (1, better)):
        for portal_id, year, month, companies, _ in rows:
            sums[portal_id][f"{int(year):04d}-{int(month):02d}"][which] += companies
    portals = portals_by_id(set(sums))
    ordered = sorted(
        sums, key=lambda p: (-sum(w + b for w, b in sums[p].values()), portals[p].name)
    )[:MAX_PORTALS]
    keys = [f"{m:%Y-%m}" for m in span.months]
    return {
        "method": METHOD,
        "from": keys[0],
        "to": keys[-1],
        "months": [{"key": f"{m:%Y-%m}", "label": month_label(m)} for m in span.months],
        "portals": [
            {
                "slug": portals[p].slug,
                "name": portals[p].name,
                "points": [_point(key, *sums[p].get(key, (0, 0))) for key in keys],
            }
            for p in ordered
        ],
    }


def _point(month: str, worse: int, better: int) -> dict[str, Any]:
    total = worse + better
    # A zero is "no group reached its threshold": as unknown as a hidden figure.
    return {
        "month": month,
        "worse": worse or None,
        "better": better or None,
        "companies": total or None,
        "index": round(50 + 50 * (worse - better) / total, 1) if total else None,
    }
