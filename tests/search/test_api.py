"""GET /api/v1/search: shape, permissions, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator

from tests.api.conftest import ApiClient, assert_error


@pytest.fixture
def api(client, factory):
    def make(user) -> ApiClient:
        return ApiClient(client, factory.api_token(user))

    return make


def validate_against_document(client, body: dict[str, Any]) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/search"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    OAS31Validator({**schema, "components": document["components"]}).validate(body)


def test_search_returns_hits_facets_and_total_in_the_documented_shape(world, api, client):
    response = api(world.alice).get("/api/v1/search?q=invoice+rejected")
    assert response.status_code == 200
    body = response.get_json()
    validate_against_document(client, body)
    assert body["total"] == len(body["items"]) == 2
    hit = next(h for h in body["items"] if h["type"] == "report")
    assert set(hit) >= {"type", "id", "title", "snippet", "url", "score"}
    assert hit["id"] == world.reports["ariba"].public_id
    assert hit["url"] == f"http://localhost/reports/{hit['id']}"
    assert "<mark>invoice</mark>" in hit["snippet"] and hit["score"] > 0
    assert {f["key"] for f in body["facets"]["type"]} == {"report", "article"}
    assert body["links"]["next"] is None


def test_api_hits_facets_and_counts_never_include_other_groups(world, api):
    body = api(world.alice).get("/api/v1/search?q=coupa").get_json()
    assert "Zanzibar" not in str(body)
    assert {f["key"] for f in body["facets"]["group"]} <= {"association", "building-materials"}
    assert sum(f["count"] for f in body["facets"]["type"]) == body["total"]
    assert api(world.alice).get("/api/v1/search?q=zanzibar").get_json()["total"] == 0


def test_api_operators_as_parameters_and_pagination(world, api):
    client = api(world.alice)
    body = client.get("/api/v1/search?q=invoice+rejected&type=article").get_json()
    assert [h["type"] for h in body["items"]] == ["article"]
    page = client.get("/api/v1/search?q=invoice+rejected&per_page=1").get_json()
    assert page["pages"] == 2 and page["links"]["next"].endswith("page=2")
    second = client.get(page["links"]["next"]).get_json()
    assert second["items"][0]["id"] != page["items"][0]["id"]


def test_api_tells_about_corrections(world, api):
    body = api(world.alice).get("/api/v1/search?q=premuim").get_json()
    assert body["corrected_from"] == "premuim" and body["query"] == "premium"
    assert body["total"] == 1


@pytest.mark.parametrize(
    "query, field",
    [
        ("q=", "q"),
        ("q=x&page=0", "page"),
        ("q=x&sort=best", "sort"),
        ("q=x&per_page=51", "per_page"),
    ],
)
def test_api_bad_input_is_a_422_naming_the_field(world, api, query, field):
    error = assert_error(api(world.alice).get(f"/api/v1/search?{query}"), 422, "validation_error")
    assert error["field"] == field


def test_api_needs_a_token(client, world):
    assert client.get("/api/v1/search?q=invoice+rejected").status_code == 401


def test_api_broken_queries_answer_200_with_notices(world, api):
    for q in ('"unclosed', "portal:", "AND OR", "((", "-", "category:nope invoice"):
        response = api(world.alice).get("/api/v1/search", query_string={"q": q})
        assert response.status_code in (200, 422), q
        if response.status_code == 200:
            assert isinstance(response.get_json()["notices"], list)
