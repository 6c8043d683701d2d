"""The search page and the facilitators' search analytics page.

Searching is a GET (bookmarkable, no CSRF needed). It may still write: the analytics log
row and, rarely, an outbox row for a stale index entry, so the view commits once.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user, login_required

from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.groups.access import visible_groups
from credgroup.search import analytics, service
from credgroup.search.query import EXAMPLES, MAX_QUERY_LENGTH

bp = Blueprint("search", __name__)
NEW_ARTICLE_ENDPOINTS = ("kb.article_new", "kb.article_create", "kb.new_article")


@bp.get("/search")
@login_required
def search_page():
    """One box over the reports and articles the person may see."""
    try:
        params = service.SearchParams.from_args(request.args)
    except ValidationError as error:
        query = request.args.get("q", "")[:MAX_QUERY_LENGTH]
        empty = service.SearchOutcome(query=query, params=service.SearchParams(q=query))
        return _page(empty, error=error.message), 400
    outcome = service.search(current_user, params)
    db.session.commit()
    return _page(outcome)


def _page(outcome: service.SearchOutcome, error: str | None = None) -> str:
    return render_template(
        "search/search_results.html",
        outcome=outcome,
        error=error,
        sorts=service.SORTS,
        examples=EXAMPLES,
        link=lambda **change: search_link(outcome, **change),
        post_groups=[] if current_user.is_staff else visible_groups(current_user),
        # Staff see exactly the groups they facilitate (admins: all).
        analytics_groups=visible_groups(current_user) if current_user.is_staff else [],
        new_article_url=_first_url(NEW_ARTICLE_ENDPOINTS),
    )


def _first_url(endpoints: tuple[str, ...]) -> str | None:
    """The knowledge base owns its pages; link to whichever of these it registered."""
    for endpoint in endpoints:
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return None


def search_link(outcome: service.SearchOutcome, **change: Any) -> str:
    """This search's address with one thing changed: ``set=(facet, value)`` picks a facet
    value, ``drop=facet`` removes that filter (typed or picked), ``sort=``, ``page=``,
    ``q=`` (with ``exact=True`` to skip spelling correction)."""
    params = outcome.params
    # After a spelling correction, further narrowing starts from what was searched.
    q = change.get("q", outcome.query if outcome.corrected_from else params.q)
    filters = {name: list(values) for name, values in params.filters.items()}
    if "set" in change:
        name, value = change["set"]
        q, filters[name] = _without_operator(q, name), [value]
    if "drop" in change:
        q = _without_operator(q, change["drop"])
        filters.pop(change["drop"], None)
    args: dict[str, Any] = {"q": q, **filters}
    sort = change.get("sort", params.sort)
    if sort != "relevance":
        args["sort"] = sort
    if change.get("page", 1) != 1:
        args["page"] = change["page"]
    if change.get("exact"):
        args["exact"] = 1
    return url_for("search.search_page", **args)


def _without_operator(q: str, name: str) -> str:
    pattern = rf'(?<!\S)[-!]?{re.escape(name)}:("[^"]*"?|[^\s()"]*)'
    return " ".join(re.sub(pattern, " ", q, flags=re.IGNORECASE).split())


@bp.get("/g/<slug>/search-analytics")
@login_required
def search_analytics(slug: str):
    """What the group's members searched for over the last 90 days (facilitators only)."""
    stats = analytics.group_analytics(current_user, slug)
    return render_template("search/search_analytics.html", stats=stats, group=stats.group)
