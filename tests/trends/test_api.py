"""Trends through /api/v1: the same published figures as the pages, documented, with
clear errors."""

from __future__ import annotations

from datetime import date

import pytest
from openapi_schema_validator import OAS31Validator

from credgroup.extensions import db
from credgroup.trends import service
from tests.api.conftest import ApiClient, assert_error


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").get_json()


def validate(document, path: str, body) -> None:
    content = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    OAS31Validator({**content["schema"], "components": document["components"]}).validate(body)


def caller(client, factory, user) -> ApiClient:
    return ApiClient(client, factory.api_token(user))


def test_a_members_trend_report_matches_the_document(client, factory, dataset, document):
    body = caller(client, factory, dataset.members[2]).get(
        "/api/v1/groups/steel/trends?period=quarter&from=2025-01"
    )
    assert body.status_code == 200
    report = body.get_json()
    validate(document, "/groups/{slug}/trends", report)
    assert report["summary"]["new_reports"] == {"value": 10, "companies": 6}
    heat = next(t for t in report["tables"] if t["id"] == "heat_map")
    coupa = next(r for r in heat["rows"] if r["key"] == "coupa")
    assert coupa["cells"][0] == {"value": 5, "companies": 4}
    assert coupa["cells"][4] == {"value": None, "companies": None}
    assert report["links"]["csv"].startswith("http://localhost/g/steel/trends/export.csv?")
    assert "from=2025-01" in report["links"]["json"]


def test_outsiders_and_unknown_groups_get_404(client, factory, dataset):
    outsider = caller(client, factory, dataset.outsider)
    for url in (
        "/api/v1/groups/steel/trends",
        "/api/v1/groups/steel/trends?period=custom&from=2025-03&to=2025-01",
        "/api/v1/groups/steel/trends/snapshots",
        "/api/v1/groups/nope/trends",
        "/api/v1/trends/snapshots/nope",
    ):
        assert_error(outsider.get(url), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=custom&from=2025-03&to=2025-01", "to"),
        ("from=2025-00", "from"),
        ("period=year", "period"),
        ("period=custom&from=2010-01&to=2026-01", "to"),
    ],
)
def test_bad_periods_are_422_naming_the_field(client, factory, dataset, query, field):
    response = caller(client, factory, dataset.members[0]).get(
        f"/api/v1/groups/steel/trends?{query}"
    )
    body = assert_error(response, 422, "validation_error")
    assert body["field"] == field


def test_snapshots_are_listed_and_read_frozen(client, factory, dataset, document):
    snapshot = service.freeze_snapshot(
        dataset.facilitator, dataset.group, date(2025, 1, 1), date(2025, 3, 31), kind="quarter"
    )
    db.session.commit()
    member = caller(client, factory, dataset.members[0])
    listing = member.get("/api/v1/groups/steel/trends/snapshots").get_json()
    validate(document, "/groups/{slug}/trends/snapshots", listing)
    assert [item["id"] for item in listing["items"]] == [snapshot.public_id]
    one = member.get(f"/api/v1/trends/snapshots/{snapshot.public_id}").get_json()
    validate(document, "/trends/snapshots/{snapshot_id}", one)
    assert one["report"] == snapshot.payload and one["frozen"] is True
    assert one["links"]["csv"].endswith(f"/snapshots/{snapshot.public_id}/export.csv")
    assert_error(
        caller(client, factory, dataset.outsider).get(
            f"/api/v1/trends/snapshots/{snapshot.public_id}"
        ),
        404,
        "not_found",
    )


def test_the_friction_index_is_for_every_token_holder(client, factory, dataset, document):
    response = caller(client, factory, dataset.outsider).get(
        "/api/v1/trends/friction-index?from=2024-10&to=2025-03"
    )
    assert response.status_code == 200
    index = response.get_json()
    validate(document, "/trends/friction-index", index)
    coupa = next(p for p in index["portals"] if p["slug"] == "coupa")
    january = next(p for p in coupa["points"] if p["month"] == "2025-01")
    assert january == {
        "month": "2025-01",
        "worse": 4,
        "better": None,
        "companies": 4,
        "index": 100.0,
    }
    body = assert_error(
        caller(client, factory, dataset.members[0]).get("/api/v1/trends/friction-index?to=nope"),
        422,
        "validation_error",
    )
    assert body["field"] == "to"


def test_no_token_no_trends(client, dataset):
    assert_error(client.get("/api/v1/groups/steel/trends"), 401, "unauthorized")
