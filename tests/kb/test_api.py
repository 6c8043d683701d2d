"""The knowledge base through /api/v1: the same services and rules as the pages, answers
that match the OpenAPI document, 409 on a stale version, clear 4xx on bad input."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator

from credgroup.extensions import db
from credgroup.kb.models import Article, ArticleRevision, EditSuggestion
from tests.api.conftest import assert_error
from tests.kb.conftest import ARTICLE, write


@pytest.fixture
def document(client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


def check(document, response, path: str, method: str = "get", status: int = 200) -> dict:
    """The answer has this status and matches the documented schema."""
    assert response.status_code == status, response.get_data(as_text=True)
    operation = document["paths"][path][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    OAS31Validator({**schema, "components": document["components"]}).validate(response.get_json())
    return response.get_json()


def post(client, url, body, method="POST"):
    return client.open(url, method, json=body)


def test_write_read_and_list_articles(kb, api, document):
    alice = api(kb.alice)
    created = check(
        document,
        post(
            alice,
            "/api/v1/articles",
            {**ARTICLE, "group": "building-materials", "anonymous": True, "publish": True},
        ),
        "/articles",
        "post",
        201,
    )
    assert created["author"] == "A member" and created["group"] == "building-materials"
    assert created["viewer"]["is_author"] and created["state"] == "published"
    bob = api(kb.bob)
    one = check(document, bob.get(f"/api/v1/articles/{created['id']}"), "/articles/{article_id}")
    assert one["author"] == "A member" and not one["viewer"]["is_author"]
    listed = check(document, bob.get("/api/v1/articles?portal=sap-business-network"), "/articles")
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert check(document, bob.get("/api/v1/articles?category=fees"), "/articles")["total"] == 0
    outsider = api(kb.outsider)
    assert_error(outsider.get(f"/api/v1/articles/{created['id']}"), 404, "not_found")
    assert check(document, outsider.get("/api/v1/articles"), "/articles")["total"] == 0


def test_patch_with_version_and_409_on_a_stale_one(kb, api, document):
    article = write(kb.facilitator)
    fran, adam = api(kb.facilitator), api(kb.admin)
    url = f"/api/v1/articles/{article.public_id}"
    first = check(
        document,
        post(fran, url, {"version": 1, "summary": "Fran", "workaround": "Fran's steps."}, "PATCH"),
        "/articles/{article_id}",
        "patch",
    )
    assert first["version"] == 2
    stale = post(adam, url, {"version": 1, "workaround": "Adam's steps."}, "PATCH")
    error = assert_error(stale, 409, "edit_conflict")
    assert error["current_version"] == 2 and error["base_version"] == 1
    assert "+Fran's steps." in error["changes"]
    schema = document["components"]["schemas"]["EditConflict"]
    OAS31Validator({**schema, "components": document["components"]}).validate(stale.get_json())
    db.session.expire_all()
    assert article.workaround == "Fran's steps." and article.version == 2


def test_patch_needs_version_and_edit_rights(kb, api):
    article = write(kb.alice)
    url = f"/api/v1/articles/{article.public_id}"
    assert_error(
        post(api(kb.alice), url, {"title": "No version given"}, "PATCH"), 422, "validation_error"
    )
    assert_error(
        post(api(kb.bob), url, {"version": 1, "title": "Not mine"}, "PATCH"), 403, "forbidden"
    )
    assert_error(
        post(api(kb.alice), url, {"version": "one", "title": "Bad"}, "PATCH"),
        422,
        "validation_error",
    )


def test_publish_archive_restore_and_revisions(kb, api, document):
    article = write(kb.alice, publish=False)
    alice = api(kb.alice)
    base = f"/api/v1/articles/{article.public_id}"
    path = "/articles/{article_id}"
    assert (
        check(document, alice.open(f"{base}/publish", "POST"), path + "/publish", "post")["state"]
        == "published"
    )
    assert (
        check(document, alice.open(f"{base}/archive", "POST"), path + "/archive", "post")["state"]
        == "archived"
    )
    assert_error(api(kb.bob).get(base), 404, "not_found")
    assert (
        check(document, alice.open(f"{base}/restore", "POST"), path + "/restore", "post")["state"]
        == "published"
    )
    post(alice, base, {"version": 1, "title": "A second title for it"}, "PATCH")
    revisions = check(document, alice.get(f"{base}/revisions"), path + "/revisions")
    assert [r["number"] for r in revisions["items"]] == [2, 1]
    assert revisions["items"][0]["editor"] == "Alice Archer"


def test_confirmations_through_the_api(kb, api, document):
    article = write(kb.facilitator)
    url = f"/api/v1/articles/{article.public_id}/confirmations"
    answer = check(
        document,
        post(api(kb.bob), url, {"kind": "worked"}),
        "/articles/{article_id}/confirmations",
        "post",
    )
    assert answer["freshness"]["worked"] == 1 and answer["company_verdict"] == "worked"
    assert_error(post(api(kb.bob), url, {"kind": "sometimes"}), 422, "validation_error")
    assert_error(post(api(kb.facilitator), url, {"kind": "worked"}), 403, "forbidden")


def test_suggestions_through_the_api(kb, api, document):
    article = write(kb.alice, anonymous=True)
    url = f"/api/v1/articles/{article.public_id}/suggestions"
    made = check(
        document,
        post(api(kb.bob), url, {"version": 1, "summary": "More tags", "tags": ["edi 810"]}),
        "/articles/{article_id}/suggestions",
        "post",
        201,
    )
    assert made["suggested_by"] == "A member" and made["proposed"] == {"tags": ["edi 810"]}
    listed = check(document, api(kb.alice).get(url), "/articles/{article_id}/suggestions")
    assert listed["total"] == 1
    assert (
        check(document, api(kb.carol).get(url), "/articles/{article_id}/suggestions")["total"] == 0
    )
    assert_error(
        post(api(kb.carol), f"/api/v1/suggestions/{made['id']}/accept", {}), 404, "not_found"
    )
    accepted = check(
        document,
        post(api(kb.alice), f"/api/v1/suggestions/{made['id']}/accept", {"note": "Thanks"}),
        "/suggestions/{suggestion_id}/accept",
        "post",
    )
    assert accepted["state"] == "accepted" and accepted["decided_by"] == "A member"
    assert_error(
        post(api(kb.alice), f"/api/v1/suggestions/{made['id']}/decline", {"note": "late"}),
        409,
        "conflict",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x" * 201}, "title"),
        ({"title": "Fine title", "portal": "Nowhere Pay"}, "portal"),
        ({"title": "Fine title", "categories": ["nope"]}, "categories"),
        ({"title": "Fine title", "channels": "cxml"}, "channels"),
        ({"title": "Fine title", "unknown": 1}, "unknown"),
        ({"title": "Fine title", "anonymous": "yes"}, "anonymous"),
        ({"title": "Fine title", "group": 5}, "group"),
        ({"workaround": "no title"}, "title"),
        ({"title": "Fine title", "publish": True}, "workaround"),
    ],
)
def test_bad_bodies_are_422_naming_the_field_and_save_nothing(kb, api, body, field):
    error = assert_error(post(api(kb.alice), "/api/v1/articles", body), 422, "validation_error")
    assert error["field"] == field
    assert db.session.query(Article).count() == 0
    assert db.session.query(ArticleRevision).count() == 0


def test_not_json_and_unknown_ids(kb, api):
    alice = api(kb.alice)
    response = alice.client.post(
        "/api/v1/articles", data="title=x", headers={"Authorization": f"Bearer {alice.token}"}
    )
    assert_error(response, 415, "unsupported_media_type")
    assert_error(alice.get("/api/v1/articles/nope"), 404, "not_found")
    assert_error(alice.open("/api/v1/suggestions/nope/accept", "POST"), 404, "not_found")
    assert_error(
        post(alice, "/api/v1/articles", {"title": "Fine", "group": "food"}), 404, "not_found"
    )
    assert db.session.query(EditSuggestion).count() == 0
