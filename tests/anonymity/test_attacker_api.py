"""The attacker as an API client: with a token of another member, the facilitator and an
admin, every GET operation of the OpenAPI document is called with every id the database
holds (A's first), and every link in the answers followed."""

from __future__ import annotations

import re

import pytest

from tests.anonymity.crawler import PARAM, CrawlResult, IdBook, api_start_urls, crawl
from tests.anonymity.traces import response_leaks, server_errors
from tests.anonymity.world import AttackWorld

MAX_URLS = 1000  # a bound, not a target: about 450 URLs per visitor today
# A timestamp (date and time) anywhere, or a value that is a time of day.
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}|^\s*\d{1,2}:\d{2}(?::\d{2})?\b")


def api_walk(client, factory, world: AttackWorld, role: str) -> tuple[dict, CrawlResult]:
    document = client.get("/api/v1/openapi.json").get_json()
    token = factory.api_token(world.attackers[role])
    book = IdBook.from_database(priority=world.a_ids(), per_rule=16)
    start = ["/api/v1/openapi.json", *api_start_urls(document, book)]
    result = crawl(
        client.get,
        start,
        headers={"Authorization": f"Bearer {token}"},
        max_urls=MAX_URLS,
        follow=lambda url: url.startswith("/api/"),
    )
    return document, result


def template_regex(prefix: str, path: str) -> re.Pattern[str]:
    pattern = re.escape(prefix + path)
    pattern = PARAM.sub(lambda m: "[^/]+", pattern.replace(r"\{", "{").replace(r"\}", "}"))
    return re.compile(f"^{pattern}$")


def fields(data: object, key: str = ""):
    """(key, value) of every scalar in a JSON document."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from fields(value, name)
    elif isinstance(data, list):
        for value in data:
            yield from fields(value, key)
    else:
        yield key, data


@pytest.mark.parametrize("role", ["member", "facilitator", "admin"])
def test_every_api_answer_is_free_of_company_a(role, client, factory, attack_world, traces):
    document, result = api_walk(client, factory, attack_world, role)

    assert not server_errors(result.fetched)
    leaks = response_leaks(result.fetched, traces)
    assert not leaks, "\n".join(map(str, leaks))
    assert not result.not_fetched, "raise MAX_URLS: the walk was cut short"

    # Every GET operation of the document was called at least once.
    prefix = document["servers"][0]["url"]
    for path, operations in document["paths"].items():
        if "get" in operations:
            matcher = template_regex(prefix, path)
            assert any(matcher.match(f.path) for f in result.fetched), f"GET {path} never called"
    assert result.response("/api/v1/me").status == 200
    if "/reports/{report_id}" in document["paths"]:
        for report in attack_world.a_published:
            if report.group_id == attack_world.group.id:
                answer = result.response(f"{prefix}/reports/{report.public_id}")
                assert answer.status == 200 and answer.json()["title"] == report.title

    # Timing: what is said about reports holds days (the incident a month), never a time.
    for response in result.fetched:
        if "/reports" in response.path and "json" in response.content_type:
            for key, value in fields(response.json()):
                assert not key.endswith(("_at", "_time", "timestamp")), (response.url, key)
                assert not TIMESTAMP.search(str(value)), (response.url, key, value)


def test_the_openapi_examples_and_api_errors_carry_no_trace(client, factory, attack_world, traces):
    token = factory.api_token(attack_world.member)
    auth = {"Authorization": f"Bearer {token}"}
    answers = {
        "/api/v1/openapi.json": client.get("/api/v1/openapi.json"),
        "no token": client.get("/api/v1/me"),
        "bad token": client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}),
        "unknown group": client.get("/api/v1/groups/no-such-group", headers=auth),
        "other group": client.get(f"/api/v1/groups/{attack_world.second_group.slug}", headers=auth),
        "no such report": client.get("/api/v1/reports/no-such-report", headers=auth),
        "A's draft": client.get(
            f"/api/v1/reports/{attack_world.a_hidden['draft'].public_id}", headers=auth
        ),
    }
    assert answers["no token"].status_code == 401
    assert answers["other group"].status_code == 404
    assert answers["A's draft"].status_code == 404
    for where, response in answers.items():
        body = response.get_data(as_text=True)
        assert response.status_code < 500, where
        assert not traces.leaks(where, body), where
        assert not traces.json_leaks(where, response.get_json())
