"""GET /api/v1/search: the site's search over reports and articles, as JSON.

The same service as the search page (``credgroup.search.service``): only what the token's
owner may see, in hits, facet counts and the total alike. Thin: read the query, call the
service, commit (the anonymous query log), answer.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import jsonify, request

from credgroup.api.auth import api_user
from credgroup.api.openapi import operation, query_param, ref
from credgroup.api.views import bp
from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.search import service
from credgroup.search.backend import FACETS
from credgroup.search.results import FacetValue, SearchHit

API_PAGE_SIZE = 20

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
HIT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "id", "title", "snippet", "url", "score"],
    "properties": {
        "type": {"type": "string", "enum": ["report", "article"]},
        "id": {"type": "string", "description": "The report's or article's public id."},
        "title": _STRING,
        "snippet": {
            "type": "string",
            "description": "HTML: the text around the matches, escaped, matches in <mark>.",
        },
        "url": {"type": "string", "format": "uri", "description": "Its page on the site."},
        "score": {"type": "number", "description": "Relevance; only comparable within a search."},
        "group": {**_NULLABLE_STRING, "description": "Group slug; null: association-wide."},
        "portal": {
            "type": ["object", "null"],
            "required": ["slug", "name"],
            "properties": {"slug": _STRING, "name": _STRING},
        },
        "published_on": {**_NULLABLE_STRING, "format": "date"},
    },
}
FACET_VALUE_SCHEMA = {
    "type": "object",
    "required": ["key", "label", "count"],
    "properties": {"key": _STRING, "label": _STRING, "count": {"type": "integer", "minimum": 0}},
}
RESULTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Search results",
    "required": ["query", "items", "total", "page", "per_page", "pages", "facets", "links"],
    "properties": {
        "query": {"type": "string", "description": "What was searched (after any correction)."},
        "items": {"type": "array", "items": HIT_SCHEMA},
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "facets": {
            "type": "object",
            "description": "Counts per value, over the documents you may see only.",
            "required": list(FACETS),
            "properties": {name: {"type": "array", "items": FACET_VALUE_SCHEMA} for name in FACETS},
        },
        "did_you_mean": {**_NULLABLE_STRING, "description": "A spelling that finds more."},
        "corrected_from": {
            **_NULLABLE_STRING,
            "description": "Nothing matched what you typed; these results are for `query`.",
        },
        "notices": {"type": "array", "items": _STRING},
        "links": ref("PageLinks"),
    },
}
EXAMPLE = {
    "query": "ariba invoice rejected",
    "items": [
        {
            "type": "report",
            "id": "Qm9yZGVyLTE1MDA",
            "title": "Invoices rejected with INV-15 for orders outside the network",
            "snippet": "Every <mark>invoice</mark> for orders sent outside the network was "
            "<mark>rejected</mark> …",
            "url": "https://credgroup.example/reports/Qm9yZGVyLTE1MDA",
            "score": 12.7,
            "group": "building-materials",
            "portal": {"slug": "sap-business-network", "name": "SAP Business Network"},
            "published_on": "2026-03-18",
        }
    ],
    "total": 1,
    "page": 1,
    "per_page": 20,
    "pages": 1,
    "facets": {
        "type": [{"key": "report", "label": "Reports", "count": 1}],
        "portal": [{"key": "sap-business-network", "label": "SAP Business Network", "count": 1}],
        "category": [
            {"key": "rejected_format", "label": "Rejected or incompatible invoice", "count": 1}
        ],
        "status": [{"key": "open", "label": "Open", "count": 1}],
        "group": [
            {"key": "building-materials", "label": "Building Materials Credit Group", "count": 1}
        ],
    },
    "did_you_mean": None,
    "corrected_from": None,
    "notices": [],
    "links": {
        "self": "https://credgroup.example/api/v1/search?q=ariba+invoice+rejected&page=1",
        "next": None,
        "prev": None,
    },
}
PARAMS = [
    query_param(
        "q",
        'Words, "phrases", prefix*, -excluded and operators such as portal:coupa '
        "category:fees status:open type:article group:SLUG. Up to 500 characters are used.",
        {"type": "string", "maxLength": 2000},
    ),
    query_param("sort", "Order of the hits.", {"type": "string", "enum": list(service.SORTS)}),
    query_param("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
    query_param(
        "per_page",
        f"Hits per page (default {API_PAGE_SIZE}).",
        {"type": "integer", "minimum": 1, "maximum": service.MAX_PER_PAGE},
    ),
    *(
        query_param(name, f"Same as {name}:VALUE in q.", {"type": "string"})
        for name in ("type", "portal", "category", "status", "group")
    ),
]


@bp.get("/search")
@operation(
    summary="Search reports and articles",
    description="The site's search: only the reports of your groups and the articles you "
    "may read, with facet counts over those alone. An empty query is a 422.",
    tags=["search"],
    response=RESULTS_SCHEMA,
    example=EXAMPLE,
    params=PARAMS,
)
def search():
    params = service.SearchParams.from_args(request.args, per_page=API_PAGE_SIZE)
    outcome = service.search(api_user(), params)
    if not outcome.searched and not outcome.filters:
        raise ValidationError("q", "Type what you are looking for, for example: coupa fees.")
    db.session.commit()
    return jsonify(_results(outcome))


def _results(outcome: service.SearchOutcome) -> dict[str, Any]:
    return {
        "query": outcome.query,
        "items": [_hit(hit) for hit in outcome.hits],
        "total": outcome.total,
        "page": outcome.params.page,
        "per_page": outcome.params.per_page,
        "pages": outcome.pages,
        "facets": {name: [_facet(v) for v in outcome.facets.get(name, [])] for name in FACETS},
        "did_you_mean": outcome.did_you_mean,
        "corrected_from": outcome.corrected_from,
        "notices": outcome.notices,
        "links": _links(outcome),
    }


def _hit(hit: SearchHit) -> dict[str, Any]:
    return {
        "type": hit.doc_type,
        "id": hit.public_id,
        "title": hit.title,
        "snippet": str(hit.snippet),
        "url": request.host_url.rstrip("/") + hit.url,
        "score": round(hit.score, 4),
        "group": hit.group.slug if hit.group is not None else None,
        "portal": hit.details.get("portal"),
        "published_on": hit.details.get("published_on"),
    }


def _facet(value: FacetValue) -> dict[str, Any]:
    return {"key": value.key, "label": value.label, "count": value.count}


def _links(outcome: service.SearchOutcome) -> dict[str, str | None]:
    page, pages = outcome.params.page, outcome.pages

    def url(number: int) -> str:
        args = {**request.args.to_dict(flat=False), "page": [str(number)]}
        return f"{request.base_url}?{urlencode(args, doseq=True)}"

    return {
        "self": url(page),
        "next": url(page + 1) if page < pages else None,
        "prev": url(min(page - 1, pages)) if page > 1 else None,
    }
