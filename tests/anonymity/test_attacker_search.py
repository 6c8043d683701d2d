"""The attacker types A's identity into every search box and filter, on the pages and in the
API. Whatever matches must not be A's work: if searching for "Zelda Quill" brought up her
reports, the search would say who wrote them without printing a single name.

Each answer is compared with the answer to a nonsense query, so lists that show A's reports
whatever the query (a "latest reports" panel) do not count as matches.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import pytest
from markupsafe import escape

from tests.anonymity.crawler import GetForm, IdBook, api_start_urls, crawl, get_forms
from tests.anonymity.test_attacker_pages import signed_in
from tests.anonymity.traces import Traces, variants
from tests.anonymity.world import (
    A_ALIAS,
    A_COMPANY_ID,
    A_NAME,
    ZELDA_EMAIL,
    ZELDA_NAME,
    AttackWorld,
)
from tests.fixtures.search_backends import backend_config, search_backends

NONSENSE = "zqxv nothing matches this"
CONTENT_TERM = "cost code"  # in the title of A's main report (world.py)
# Query parameters that take a key, a slug or a date, not words: typing a name there only
# earns a 4xx. Everything else of type string is searched.
STRUCTURED = {
    "group",
    "portal",
    "category",
    "channel",
    "status",
    "type",
    "sort",
    "since",
    "until",
    "from",
    "to",
}


@pytest.fixture(params=search_backends())
def app_config(request, tmp_path) -> dict:
    """Every search backend tested here meets the attacker (both on PostgreSQL)."""
    return backend_config(request.param, tmp_path)


def identity_terms(world: AttackWorld) -> list[str]:
    author_pseudonym = world.a_published[0].author_pseudonym
    return [
        A_NAME,
        "Quarry Quartet",
        A_ALIAS,
        ZELDA_NAME,
        "Zelda",
        ZELDA_EMAIL,
        "quarryquartet",
        world.zelda.public_id,
        str(A_COMPANY_ID),
        author_pseudonym[:16],
        author_pseudonym,
    ]


def a_work_in(body: str, world: AttackWorld) -> set[str]:
    """Which of A's contributions a response shows (by public id or title)."""
    reports = [*world.a_published, *world.a_hidden.values()]
    found = {r.public_id for r in reports if r.public_id in body}
    found |= {r.title for r in reports if r.title in body or str(escape(r.title)) in body}
    found |= {c.public_id for c in world.a_comments if c.public_id in body}
    found |= {q.public_id for q in world.a_questions if q.public_id in body}
    return found


def matches_everything(body: str, world: AttackWorld) -> bool:
    """A query that brings up everyone's reports alike (some engines read "-x" as "all but
    x") picks nobody out: it is not a match on A's identity."""
    theirs = [r for r in world.their_reports.values() if r.group_id == world.group.id]
    return all(r.public_id in body for r in theirs)


def with_query(url: str, values: dict[str, str]) -> str:
    joiner = "&" if urlsplit(url).query else "?"
    return url + joiner + urlencode(values)


def probe(get, url_for_term, world: AttackWorld, traces: Traces, **kwargs) -> list[str]:
    """Problems found by searching each identity term where ``url_for_term`` says."""
    problems: list[str] = []
    baseline = get(url_for_term(NONSENSE), **kwargs)
    shown_anyway = a_work_in(baseline.get_data(as_text=True), world)
    for term in identity_terms(world):
        url = url_for_term(term)
        response = get(url, **kwargs)
        body = response.get_data(as_text=True)
        if response.status_code >= 500:
            problems.append(f"{response.status_code} {url}")
        matched = a_work_in(body, world) - shown_anyway
        if matched and not matches_everything(body, world):
            problems.append(f"{url} finds A's work by identity: {sorted(matched)}")
        problems += [str(leak) for leak in traces.leaks(url, without_echo(body, term))]
    return problems


def without_echo(body: str, term: str) -> str:
    """The answer without the query itself, which pages rightly echo (the search box, the
    export link): the attacker typed it, it tells them nothing."""
    for variant in sorted(variants(term), key=len, reverse=True):
        body = re.sub(re.escape(variant), "[query]", body, flags=re.IGNORECASE)
    return body


def form_url(form: GetForm, field: str, term: str) -> str:
    return with_query(form.action, {**dict(form.hidden), field: term})


@pytest.mark.parametrize("role", ["member", "facilitator"])
def test_typing_a_identity_into_every_search_box_finds_none_of_a_work(
    role, make_browser, attack_world, traces
):
    # Search boxes and filters are on the pages people navigate to: walk from the home page.
    browser = signed_in(make_browser, attack_world.attackers[role].email)
    result = crawl(browser.get, ["/"], max_urls=250)
    forms: set[GetForm] = set()
    for response in result.fetched:
        if response.status == 200 and "html" in response.content_type:
            forms.update(get_forms(response.body, response.url))
    assert any("/reports" in form.action for form in forms)  # at least the list filters

    problems: list[str] = []
    finds_by_content = []
    for form in sorted(forms, key=lambda f: (f.action, f.text_fields)):
        for field in form.text_fields:
            problems += probe(
                browser.get,
                lambda term, form=form, field=field: form_url(form, field, term),
                attack_world,
                traces,
            )
            answer = browser.get(form_url(form, field, CONTENT_TERM)).get_data(as_text=True)
            if attack_world.a_published[0].public_id in answer:
                finds_by_content.append(form.action)
    assert not problems, "\n".join(problems)
    # The boxes do find A's work by what it says: the identity probes could have hit.
    assert finds_by_content


def test_searching_the_api_for_a_identity_finds_none_of_a_work(
    client, factory, attack_world, traces
):
    document = client.get("/api/v1/openapi.json").get_json()
    token = factory.api_token(attack_world.member)
    auth = {"headers": {"Authorization": f"Bearer {token}"}}
    book = IdBook.from_database(priority=attack_world.a_ids(), per_rule=2)
    problems: list[str] = []
    searched, finds_by_content = 0, []
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        free_text = [
            p["name"]
            for p in get.get("parameters", [])
            if p.get("in") == "query"
            and p.get("schema", {}).get("type") == "string"
            and not {"enum", "format", "pattern"} & set(p.get("schema", {}))
            and p["name"] not in STRUCTURED
        ]
        single = {"paths": {path: {"get": get}}, "servers": document["servers"]}
        for base in api_start_urls(single, book)[:1]:
            for name in free_text:
                searched += 1
                answer = client.get(with_query(base, {name: CONTENT_TERM}), **auth)
                if attack_world.a_published[0].public_id in answer.get_data(as_text=True):
                    finds_by_content.append(base)
                problems += probe(
                    client.get,
                    lambda term, base=base, name=name: with_query(base, {name: term}),
                    attack_world,
                    traces,
                    **auth,
                )
    assert searched, "no free-text query parameter in the API to search with"
    assert finds_by_content, "no API search finds A's report by its content"
    assert not problems, "\n".join(problems)
