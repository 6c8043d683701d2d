"""What members search for, so facilitators know which article to write next.

Each search is logged per group of the member who ran it, as the normalised query, its
result count and the day: never who searched, nor the time of day. Staff searches are
not logged (they would drown what members look for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.groups.access import get_visible_group, require_facilitator
from credgroup.reports.anonymise import today
from credgroup.search.models import SearchQueryLog

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup

WINDOW_DAYS = 90
TOP = 20
MAX_QUERY = 200


def normalise(query: str) -> str:
    return re.sub(r"\s+", " ", query).strip().lower()[:MAX_QUERY]


def log_search(viewer: User, query: str, result_count: int, groups: list[CreditGroup]) -> None:
    """Record one member search in each of ``groups`` (the caller commits)."""
    text = normalise(query)
    if not text or viewer.is_staff or viewer.is_admin:
        return
    for group in groups:
        db.session.add(
            SearchQueryLog(
                group_id=group.id, query=text, result_count=result_count, searched_on=today()
            )
        )


@dataclass
class QueryStat:
    query: str
    searches: int
    fewest_results: int | None = None


@dataclass
class SearchAnalytics:
    group: CreditGroup
    days: int
    total_searches: int
    top_queries: list[QueryStat]
    no_results: list[QueryStat]


def group_analytics(viewer: User, slug: str, days: int = WINDOW_DAYS) -> SearchAnalytics:
    """Top queries and queries that found nothing in the group over the last ``days``.
    For the group's facilitators."""
    group = get_visible_group(viewer, slug)
    require_facilitator(viewer, group)
    since = today() - timedelta(days=days)
    recent = sa.and_(SearchQueryLog.group_id == group.id, SearchQueryLog.searched_on >= since)
    total = db.session.scalar(sa.select(sa.func.count()).where(recent)) or 0
    return SearchAnalytics(
        group=group,
        days=days,
        total_searches=total,
        top_queries=_top(recent),
        no_results=_top(sa.and_(recent, SearchQueryLog.result_count == 0)),
    )


def _top(condition: sa.ColumnElement[bool]) -> list[QueryStat]:
    searches = sa.func.count().label("searches")
    rows = db.session.execute(
        sa.select(SearchQueryLog.query, searches, sa.func.min(SearchQueryLog.result_count))
        .where(condition)
        .group_by(SearchQueryLog.query)
        .order_by(searches.desc(), SearchQueryLog.query)
        .limit(TOP)
    )
    return [QueryStat(query, n, fewest) for query, n, fewest in rows]
