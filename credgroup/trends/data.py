"""What the trend figures are made of: the group's published reports and confirmations,
read in one query each, as plain rows (no titles, no text, no author).

Rows carry the stable keys as stored (``"fees"``, ``"resolved"``...), not enum members, and
the customer only as the group's naming policy shows it, worked out in the query: a group's
report reads a few thousand of these, and turning each into objects cost more than
counting them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, CustomerNaming, GroupMembership
from credgroup.portals.models import Portal
from credgroup.reports.enums import (
    ConfirmationKind,
    ContributionState,
)
from credgroup.reports.models import Report, ReportConfirmation


class ReportRow(NamedTuple):
    """One published report, reduced to what the tables count."""

    portal_id: int
    category: str  # a ProblemCategory value
    status: str  # a ReportStatus value
    company: str  # the company's pseudonym in the group: counted, never shown
    published_on: date
    status_changed_on: date | None
    fee_kind: str | None  # a FeeKind value
    fee_size_band: str | None  # a FeeSizeBand value
    buyer: str  # as far as the group's naming policy shows it now; "" if none
    # Whose and which report, to find confirmations by: never counted or shown.
    group_id: int = 0
    id: int = 0


class ConfirmationRow(NamedTuple):
    """One "we hit this too", by the category of the report it confirms."""

    category: str  # a ProblemCategory value
    company: str
    confirmed_on: date


@dataclass(frozen=True)
class PortalInfo:
    id: int
    slug: str
    name: str


def member_company_count(group: CreditGroup) -> int:
    return member_company_counts([group.id]).get(group.id, 0)


def member_company_counts(group_ids: Iterable[int]) -> dict[int, int]:
    return dict(_run(_members_query(), {"groups": list(group_ids)}))


def _run(query: sa.Select, params: dict[str, Any]) -> list[sa.Row]:
    """Core execution on the session's connection: plain rows, no ORM result machinery.
    Pending changes are flushed first, as the session's own queries would."""
    if db.session.autoflush:
        db.session.flush()
    return db.session.connection().execute(query, params).all()


def _key(column: sa.ColumnElement) -> sa.ColumnElement[str]:
    """An enum column as its stored key (no enum objects made per row)."""
    return sa.type_coerce(column, sa.String)


def _shown_buyer() -> sa.ColumnElement[str]:
    """The customer as each group's naming policy shows it now ("" when not at all), for
    the groups bound as ``named`` and ``industry_only``. Stored names are trimmed on
    input; trimming again keeps stray spaces of older rows out of the customer table."""
    return sa.case(
        (
            Report.group_id.in_(sa.bindparam("named", expanding=True)),
            sa.func.trim(sa.func.coalesce(Report.buyer_name, "")),
        ),
        (
            Report.group_id.in_(sa.bindparam("industry_only", expanding=True)),
            sa.func.trim(sa.func.coalesce(Report.buyer_industry, "")),
        ),
        else_=sa.literal(""),
    )


# The queries are built once: SQLAlchemy then reuses their compiled form without working
# out a cache key for a freshly built statement on every report.
@functools.cache
def _reports_query() -> sa.Select:
    """The groups' reports published from ``start`` to ``end``: a range of the index on
    (group, state, published_on), the same rows a bare ``GROUP BY`` over them reads."""
    return sa.select(
        Report.portal_id,
        _key(Report.category),
        _key(Report.status),
        Report.company_pseudonym,
        Report.published_on,
        Report.status_changed_on,
        _key(Report.fee_kind),
        _key(Report.fee_size_band),
        _shown_buyer(),
        Report.group_id,
        Report.id,
    ).where(
        Report.group_id.in_(sa.bindparam("groups", expanding=True)),
        Report.state == ContributionState.PUBLISHED,
        Report.published_on >= sa.bindparam("start"),
        Report.published_on <= sa.bindparam("end"),
    )


@functools.cache
def _confirmations_query(dialect: str) -> sa.Select | sa.CompoundSelect:
    """The "we hit this too" given from ``given_from`` to ``given_to`` on any published
    report of the groups (however long ago it was published): report id, group and
    category of the report (both null for the reports read already), company, day.

    The table has no group column, so a group's confirmations are found report by report
    through the index on ``report_id``. SQLite joins that way by itself. PostgreSQL may
    plan a hash join instead, reading every confirmation of every group in the period to
    keep a few hundred (at 100,000 reports it does, and takes three times as long), so
    it gets the ids of the reports just read as an array (one index probe each) and the
    join only for the group's other published reports, read through (group, state,
    published_on)."""
    given = (
        ReportConfirmation.kind == ConfirmationKind.HIT_TOO,
        ReportConfirmation.confirmed_on >= sa.bindparam("given_from"),
        ReportConfirmation.confirmed_on <= sa.bindparam("given_to"),
    )
    on_reports = (
        sa.select(
            ReportConfirmation.report_id,
            Report.group_id,
            _key(Report.category),
            ReportConfirmation.company_pseudonym,
            ReportConfirmation.confirmed_on,
        )
        .join(Report, Report.id == ReportConfirmation.report_id)
        .where(
            *given,
            Report.group_id.in_(sa.bindparam("groups", expanding=True)),
            Report.state == ContributionState.PUBLISHED,
        )
    )
    if dialect != "postgresql":
        return on_reports
    on_read = sa.select(
        ReportConfirmation.report_id,
        sa.cast(sa.null(), sa.Integer),
        sa.cast(sa.null(), sa.String),
        ReportConfirmation.company_pseudonym,
        ReportConfirmation.confirmed_on,
    ).where(
        *given,
        # An array literal ("{1,2,...}"), made by one str.join: the driver would look at
        # each of a few thousand ids in Python to send them as an array.
        ReportConfirmation.report_id == sa.any_(sa.cast(sa.bindparam("ids"), ARRAY(sa.Integer))),
    )
    not_read = sa.or_(
        Report.published_on < sa.bindparam("start"),
        Report.published_on > sa.bindparam("end"),
        Report.published_on.is_(None),
    )
    return sa.union_all(on_read, on_reports.where(not_read))


@functools.cache
def _members_query() -> sa.Select:
    return (
        sa.select(GroupMembership.group_id, sa.func.count(GroupMembership.id))
        .where(GroupMembership.group_id.in_(sa.bindparam("groups", expanding=True)))
        .group_by(GroupMembership.group_id)
    )


@functools.cache
def _portals_query() -> sa.Select:
    return sa.select(Portal.id, Portal.slug, Portal.name).where(
        Portal.id.in_(sa.bindparam("ids", expanding=True))
    )


@dataclass
class GroupRows:
    """What a group's figures for a period are made of."""

    reports: list[ReportRow] = field(default_factory=list)  # published in the period
    confirmations: list[ConfirmationRow] = field(default_factory=list)  # given in it


def rows_by_group(
    groups: Sequence[CreditGroup], start: date, end: date, confirmed_from: date | None = None
) -> dict[int, GroupRows]:
    """The reports published from ``start`` to ``end`` (inclusive) in each of ``groups``
    and the confirmations given from ``confirmed_from`` (``start`` when not given) to
    ``end``, in two queries however many groups."""
    naming = {g.id: g.customer_naming for g in groups}
    params = {
        "groups": list(naming),
        "named": [i for i, n in naming.items() if n is CustomerNaming.NAMED],
        "industry_only": [i for i, n in naming.items() if n is CustomerNaming.INDUSTRY_ONLY],
        "start": start,
        "end": end,
    }
    found = {group_id: GroupRows() for group_id in naming}
    reports = list(map(ReportRow._make, _run(_reports_query(), params)))
    if len(found) == 1:
        found[params["groups"][0]].reports = reports
    else:
        for report in reports:
            found[report.group_id].reports.append(report)
    read = dict(zip(map(attrgetter("id"), reports), reports, strict=True))
    ids = "{" + ",".join(map(str, read)) + "}"
    params.update(given_from=confirmed_from or start, given_to=end, ids=ids)
    dialect = db.session.get_bind().dialect.name
    for report_id, group_id, category, company, day in _run(_confirmations_query(dialect), params):
        if group_id is None:
            group_id, category = read[report_id].group_id, read[report_id].category
        found[group_id].confirmations.append(ConfirmationRow(category, company, day))
    return found


def group_rows(
    group: CreditGroup, start: date, end: date, confirmed_from: date | None = None
) -> GroupRows:
    return rows_by_group([group], start, end, confirmed_from)[group.id]


def portals_by_id(ids: set[int]) -> dict[int, PortalInfo]:
    if not ids:
        return {}
    rows = _run(_portals_query(), {"ids": sorted(ids)})
    return {row.id: PortalInfo(row.id, row.slug, row.name) for row in rows}
