"""The OpenAPI document: complete (every /api/v1 rule, nothing else), structurally valid,
and honest (examples and real responses match the declared schemas)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Blueprint, Flask
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from credgroup.api.openapi import (
    build_document,
    documented_methods,
    openapi_path,
    operation,
    ref,
    undocumented,
)
from tests.api.conftest import Org


@pytest.fixture
def document(client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


def api_rules(app: Flask) -> set[tuple[str, str]]:
    """(METHOD, OpenAPI path) of every API rule in the URL map."""
    return {
        (method, openapi_path(rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in documented_methods(rule)
    }


def document_operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item}


def test_every_api_rule_is_documented_and_nothing_else(app, document):
    assert undocumented(app) == []
    assert api_rules(app) == document_operations(document)
    assert ("GET", "/groups/{slug}") in document_operations(document)


def test_document_is_a_valid_openapi_3_1_document(document):
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on any structural problem


def test_operation_ids_are_unique(document):
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_bearer_auth_everywhere_except_the_document_itself(document):
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert document["security"] == [{"bearerAuth": []}]
    for path, item in document["paths"].items():
        for op in item.values():
            if path == "/openapi.json":
                assert op["security"] == []
            else:
                assert "security" not in op
                assert "401" in op["responses"]


def test_error_schema_and_responses_are_components(document):
    components = document["components"]
    assert "Error" in components["schemas"]
    for name in ("Unauthorized", "NotFound", "ValidationError", "InternalError"):
        schema = components["responses"][name]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}


def test_page_size_limit_in_document_follows_configuration(app, document):
    per_page = document["components"]["parameters"]["PerPage"]["schema"]
    assert per_page["maximum"] == app.config["API_MAX_PAGE_SIZE"]


def schema_validator(document: dict[str, Any], schema: dict[str, Any]) -> OAS31Validator:
    # Rooted in the document so that "#/components/schemas/..." references resolve.
    return OAS31Validator({**schema, "components": document["components"]})


def response_schema(document, path: str, status: str = "200") -> dict[str, Any]:
    return document["paths"][path]["get"]["responses"][status]["content"]["application/json"]


def test_every_example_matches_its_schema(document):
    for item in document["paths"].values():
        for op in item.values():
            for response in op["responses"].values():
                content = response.get("content", {}).get("application/json")
                if content:
                    schema_validator(document, content["schema"]).validate(content["example"])
    for response in document["components"]["responses"].values():
        content = response["content"]["application/json"]
        schema_validator(document, content["schema"]).validate(content["example"])


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/api/v1/me", "/me"),
        ("/api/v1/groups", "/groups"),
        ("/api/v1/groups/alpha", "/groups/{slug}"),
        ("/api/v1/groups/alpha/companies", "/groups/{slug}/companies"),
    ],
)
@pytest.mark.parametrize("who", ["member_a", "facilitator_a", "admin"])
def test_real_responses_match_their_schemas(api, org: Org, document, url, path, who):
    response = api(getattr(org, who)).get(url)
    assert response.status_code == 200
    content = response_schema(document, path)
    schema_validator(document, content["schema"]).validate(response.get_json())


def test_real_error_responses_match_the_error_schema(api, client, org: Org, document):
    error_schema = {"$ref": "#/components/schemas/Error"}
    responses = [
        client.get("/api/v1/me"),
        api(org.member_a).get("/api/v1/groups/beta"),
        api(org.member_a).get("/api/v1/groups?page=0"),
    ]
    for response in responses:
        schema_validator(document, error_schema).validate(response.get_json())


def test_undocumented_api_route_is_reported():
    app = Flask(__name__)
    bp = Blueprint("probe", __name__, url_prefix="/api/v1")

    @bp.get("/documented")
    @operation(summary="x", response=ref("Company"), example={"name": "A", "industry": ""})
    def documented():
        return {}

    @bp.route("/forgotten", methods=["GET", "POST"])
    def forgotten():
        return {}

    app.register_blueprint(bp)
    app.config.update(API_PAGE_SIZE=50, API_MAX_PAGE_SIZE=200)
    assert undocumented(app) == ["GET /api/v1/forgotten", "POST /api/v1/forgotten"]
    assert list(build_document(app)["paths"]) == ["/documented"]


def test_one_view_can_declare_several_methods():
    app = Flask(__name__)
    bp = Blueprint("probe", __name__, url_prefix="/api/v1")
    company = {"name": "A", "industry": ""}

    @bp.route("/things", methods=["GET", "POST"])
    @operation(method="GET", summary="list", response=ref("Company"), example=company)
    @operation(
        method="POST",
        summary="create",
        status=201,
        response=ref("Company"),
        example=company,
        body=ref("Company"),
        body_example=company,
    )
    def things():
        return {}

    app.register_blueprint(bp)
    app.config.update(API_PAGE_SIZE=50, API_MAX_PAGE_SIZE=200)
    document = build_document(app)
    post = document["paths"]["/things"]["post"]
    assert set(post["responses"]) >= {"201", "400", "401", "415", "422"}
    assert post["requestBody"]["content"]["application/json"]["schema"] == ref("Company")
    assert document["paths"]["/things"]["get"]["summary"] == "list"
    validate(document)


def test_unknown_schema_name_fails_at_declaration():
    with pytest.raises(KeyError):
        ref("NoSuchSchema")
