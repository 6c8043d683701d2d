"""The /api/v1 endpoints. Thin: read the caller and the input, call a service, return JSON.

Each view is declared for the OpenAPI document with ``@operation`` (see api/openapi.py).
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from credgroup.api import schemas, serializers
from credgroup.api.auth import api_user, authenticate_request, public
from credgroup.api.errors import register_error_handlers
from credgroup.api.openapi import build_document, operation, page_example, page_of, ref
from credgroup.api.pagination import page_params, page_response, paginate_list, paginate_select
from credgroup.groups import services as group_services
from credgroup.groups.access import get_visible_group, visible_groups, visible_groups_query

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(authenticate_request)
register_error_handlers(bp)


@bp.get("/openapi.json")
@public
@operation(
    summary="This document",
    description="The OpenAPI 3.1 description of the API. Needs no token.",
    tags=["meta"],
    response={"type": "object", "description": "An OpenAPI 3.1 document."},
    example={"openapi": "3.1.0", "info": {"title": "credgroup API", "version": "1.0.0"}},
)
def openapi_document():
    return jsonify(build_document(current_app))


@bp.get("/me")
@operation(
    summary="Who you are",
    description="The token's owner, their company and the groups they can see.",
    tags=["people"],
    response=ref("Me"),
    example=schemas.ME_EXAMPLE,
)
def me():
    user = api_user()
    return jsonify(serializers.me(user, visible_groups(user)))


@bp.get("/groups")
@operation(
    summary="Your groups",
    description="The groups you can see: your company's as a member, yours as facilitator.",
    tags=["groups"],
    response=page_of("GroupSummary"),
    example=page_example(schemas.GROUP_SUMMARY_EXAMPLE),
    paginated=True,
)
def list_groups():
    page = paginate_select(visible_groups_query(api_user()), page_params())
    return jsonify(page_response(page, serializers.group_summary))


@bp.get("/groups/<slug>")
@operation(
    summary="One group",
    description="Settings and meeting statements of a group you can see.",
    tags=["groups"],
    response=ref("GroupDetail"),
    example=schemas.GROUP_DETAIL_EXAMPLE,
)
def group_detail(slug: str):
    user = api_user()
    return jsonify(serializers.group_detail(get_visible_group(user, slug), user))


@bp.get("/groups/<slug>/companies")
@operation(
    summary="Member companies of a group",
    description="For the group's members and facilitators.",
    tags=["groups"],
    response=page_of("Company"),
    example=page_example(schemas.COMPANY_EXAMPLE, "/groups/building-materials/companies"),
    paginated=True,
)
def group_companies(slug: str):
    user = api_user()
    params = page_params()
    companies = group_services.group_companies(user, get_visible_group(user, slug))
    return jsonify(page_response(paginate_list(companies, params), serializers.company))
