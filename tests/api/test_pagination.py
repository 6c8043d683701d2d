"""?page= and ?per_page= on list endpoints: validated, bounded, with navigable links."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.api.conftest import assert_error


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"API_PAGE_SIZE": 2, "API_MAX_PAGE_SIZE": 3}


@pytest.fixture
def admin_client(api, factory):
    for n in range(5):
        factory.group(slug=f"group-{n}", name=f"Group {n}")
    return api(factory.admin())


def query(url: str | None) -> dict[str, list[str]]:
    assert url is not None
    return parse_qs(urlsplit(url).query)


def test_first_page_uses_the_default_size_and_links_to_the_next(admin_client):
    body = admin_client.get("/api/v1/groups").get_json()
    assert [g["slug"] for g in body["items"]] == ["group-0", "group-1"]
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 2, 5, 3)
    assert body["links"]["prev"] is None
    assert query(body["links"]["next"]) == {"page": ["2"], "per_page": ["2"]}
    assert query(body["links"]["self"]) == {"page": ["1"], "per_page": ["2"]}
    assert body["links"]["self"].startswith("http://localhost/api/v1/groups?")


def test_following_next_links_visits_every_item_once(admin_client):
    seen, url = [], "/api/v1/groups?per_page=2"
    while url:
        body = admin_client.get(url).get_json()
        seen += [g["slug"] for g in body["items"]]
        url = body["links"]["next"]
    assert seen == [f"group-{n}" for n in range(5)]


def test_last_page_has_prev_but_no_next(admin_client):
    body = admin_client.get("/api/v1/groups?page=3").get_json()
    assert [g["slug"] for g in body["items"]] == ["group-4"]
    assert body["links"]["next"] is None
    assert query(body["links"]["prev"])["page"] == ["2"]


def test_page_past_the_end_is_empty_not_an_error(admin_client):
    body = admin_client.get("/api/v1/groups?page=9").get_json()
    assert body["items"] == []
    assert body["links"]["next"] is None
    assert query(body["links"]["prev"])["page"] == ["3"]


def test_per_page_up_to_the_maximum_is_accepted(admin_client):
    body = admin_client.get("/api/v1/groups?per_page=3").get_json()
    assert len(body["items"]) == 3 and body["pages"] == 2


def test_empty_list_has_zero_pages(api, factory):
    member = factory.member()  # a company in no group
    body = api(member).get("/api/v1/groups").get_json()
    assert (body["items"], body["total"], body["pages"]) == ([], 0, 0)
    assert body["links"]["next"] is None and body["links"]["prev"] is None


@pytest.mark.parametrize(
    ("query_string", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=", "page"),
        ("page=%C2%B2", "page"),  # a superscript two: a digit to str.isdigit, not to us
        ("page=99999999999999999999999", "page"),
        ("per_page=0", "per_page"),
        ("per_page=4", "per_page"),
        ("per_page=many", "per_page"),
    ],
)
def test_bad_page_arguments_are_422_naming_the_field(admin_client, query_string, field):
    error = assert_error(
        admin_client.get(f"/api/v1/groups?{query_string}"), 422, "validation_error"
    )
    assert error["field"] == field


def test_companies_list_is_paginated_too(api, factory):
    group = factory.group(slug="many")
    for n in range(4):
        factory.company(f"Company {n:02}", groups=[group])
    client = api(factory.facilitator(groups=[group]))
    body = client.get("/api/v1/groups/many/companies?page=2").get_json()
    assert [c["name"] for c in body["items"]] == ["Company 02", "Company 03"]
    assert body["links"]["self"].startswith("http://localhost/api/v1/groups/many/companies?")
    assert_error(client.get("/api/v1/groups/many/companies?per_page=9"), 422, "validation_error")
