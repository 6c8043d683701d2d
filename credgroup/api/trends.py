"""Trend reports through /api/v1: a group's report for a period, its frozen snapshots and
the association-wide portal friction index. Thin: parse, call the trends services, answer
with the same payload the pages and exports are made from (published figures only).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for

from credgroup.api import trends_schemas as schemas
from credgroup.api.auth import api_user
from credgroup.api.openapi import operation, page_example, query_param
from credgroup.api.pagination import page_params, page_response, paginate_list
from credgroup.api.views import bp
from credgroup.groups.access import get_visible_group
from credgroup.trends import friction, service
from credgroup.trends.models import TrendSnapshot

PERIOD_PARAMS = [
    query_param(
        "period",
        "quarter (default), month or custom. Figures are published per calendar quarter, "
        "so a month or custom months are widened to the whole quarters around them.",
        {"type": "string", "enum": ["quarter", "month", "custom"]},
    ),
    query_param("from", "First month, YYYY-MM (default: this month).", {"type": "string"}),
    query_param("to", "Last month, YYYY-MM (custom periods).", {"type": "string"}),
]


def _links(endpoint: str, **values: Any) -> dict[str, str]:
    page = "trends.group_trends" if endpoint == "trends.report_export" else "trends.snapshot_show"
    return {
        "csv": url_for(endpoint, fmt="csv", _external=True, **values),
        "json": url_for(endpoint, fmt="json", _external=True, **values),
        "page": url_for(page, _external=True, **values),
    }


@bp.get("/groups/<slug>/trends")
@operation(
    summary="A group's trend report",
    description="New reports by portal and problem, month by month, rising problems, open "
    "and resolved, customers (as the naming policy allows) and fees, for the group's members "
    "and facilitators. Only published figures: a figure behind fewer than k member companies "
    "(or hidden to protect one) is null. `links` point to the CSV and JSON exports (pages "
    "of the site, for a signed-in browser).",
    tags=["trends"],
    response=schemas.TREND_RESPONSE,
    example=schemas.TREND_EXAMPLE,
    params=PERIOD_PARAMS,
)
def group_trends(slug: str):
    user = api_user()
    get_visible_group(user, slug)  # outsiders: 404 before anything else
    span = service.span_from_args(request.args)
    found = service.generate_trend_report(user, slug, span)
    args = {k: request.args[k][:20] for k in ("period", "from", "to") if request.args.get(k)}
    return jsonify({**found.payload, "links": _links("trends.report_export", slug=slug, **args)})


def _snapshot(snapshot: TrendSnapshot, *, with_report: bool = False) -> dict[str, Any]:
    payload = service.snapshot_payload(snapshot)
    found = {
        "id": snapshot.public_id,
        "group": snapshot.group.slug,
        "period": payload["period"],
        "generated_on": snapshot.generated_on.isoformat(),
        "frozen": snapshot.frozen,
        "for_meeting": snapshot.meeting_id is not None,
        "links": _links(
            "trends.snapshot_export", slug=snapshot.group.slug, public_id=snapshot.public_id
        ),
    }
    if with_report:
        found["report"] = payload
    return found


@bp.get("/groups/<slug>/trends/snapshots")
@operation(
    summary="A group's frozen trend reports",
    description="Newest first. A snapshot never changes once frozen.",
    tags=["trends"],
    response={
        "type": "object",
        "title": "Page of TrendSnapshotSummary",
        "required": ["items", "page", "per_page", "total", "pages", "links"],
        "properties": {
            "items": {"type": "array", "items": schemas.SNAPSHOT_SUMMARY},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
            "links": {"$ref": "#/components/schemas/PageLinks"},
        },
    },
    example=page_example(schemas.SNAPSHOT_SUMMARY_EXAMPLE, "/groups/building-materials/trends"),
    paginated=True,
)
def group_trend_snapshots(slug: str):
    params = page_params()
    _, snapshots = service.list_snapshots(api_user(), slug)
    return jsonify(page_response(paginate_list(snapshots, params), _snapshot))


@bp.get("/trends/snapshots/<snapshot_id>")
@operation(
    summary="One frozen trend report",
    description="The report exactly as it was frozen (a customer table is left out when the "
    "group's naming policy has become stricter since).",
    tags=["trends"],
    response=schemas.SNAPSHOT,
    example=schemas.SNAPSHOT_EXAMPLE,
    path_params={"snapshot_id": "The snapshot's id."},
)
def trend_snapshot(snapshot_id: str):
    return jsonify(_snapshot(service.get_snapshot(api_user(), snapshot_id), with_report=True))


@bp.get("/trends/friction-index")
@operation(
    summary="The portal friction index",
    description="Across all groups, for every signed-in person: per portal and month, member "
    "companies reporting the portal getting worse or better, and the index. Only counts that "
    "met their group's threshold enter it.",
    tags=["trends"],
    response=schemas.FRICTION,
    example=schemas.FRICTION_EXAMPLE,
    params=[
        query_param(
            "from", "First month, YYYY-MM (default: 11 months before `to`).", {"type": "string"}
        ),
        query_param("to", "Last month, YYYY-MM (default: this month).", {"type": "string"}),
    ],
)
def friction_index():
    api_user()
    return jsonify(friction.friction_index(friction.month_range(request.args, service.today())))
