"""The attacker walks every page: another member, the facilitator and an admin look for a
trace of company A (Quarry Quartet) in every page, export and error page they can reach."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from tests.anonymity.crawler import CrawlResult, IdBook, crawl, page_start_urls
from tests.anonymity.traces import response_leaks, server_errors
from tests.anonymity.world import A_NAME, AttackWorld

MAX_URLS = 1000  # a bound, not a target: about 450 URLs per visitor today


def signed_in(make_browser, email: str):
    browser = make_browser()
    assert browser.login(email).status_code == 302
    return browser


def walk(app, make_browser, world: AttackWorld, role: str) -> CrawlResult:
    book = IdBook.from_database(priority=world.a_ids(), per_rule=16)
    browser = signed_in(make_browser, world.attackers[role].email)
    return crawl(browser.get, page_start_urls(app, book), max_urls=MAX_URLS)


def status_of(result: CrawlResult, url: str) -> int:
    return result.response(url).status


def body_of(result: CrawlResult, url: str) -> str:
    response = result.response(url)
    assert response.status == 200, url
    return response.body


@pytest.mark.parametrize("role", ["member", "facilitator", "admin"])
def test_walking_every_page_finds_no_trace_of_company_a(
    role, app, make_browser, attack_world, traces
):
    world = attack_world
    result = walk(app, make_browser, world, role)

    assert not server_errors(result.fetched)
    leaks = response_leaks(result.fetched, traces)
    assert not leaks, "\n".join(map(str, leaks))
    assert not result.not_fetched, "raise MAX_URLS: the walk was cut short"

    # The walk really saw A's work: a leak-free walk of nothing would prove nothing.
    group = world.group.slug
    for report in world.a_published:
        url = f"/reports/{report.public_id}"
        if report.group_id == world.group.id or role != "member":
            assert str(escape(report.title)) in body_of(result, url)
        else:  # A's report in a group this member is not in
            assert status_of(result, url) == 404
    seen = "".join(f.body for f in result.fetched if f.status == 200)
    for label, item in world.a_elsewhere.items():  # later features' work: seen somewhere
        if getattr(item, "title", ""):
            assert str(escape(item.title)) in seen, label
    listing = body_of(result, f"/g/{group}/reports") + body_of(result, f"/g/{group}/reports.csv")
    assert str(escape(world.a_published[0].title)) in listing
    # Unpublished work stays with its author; the queue is for the facilitators only.
    hidden = {"draft", "withdrawn", "to_reject"} | ({"review"} if role == "member" else set())
    for name in hidden:
        assert status_of(result, f"/reports/{world.a_hidden[name].public_id}") == 404, name

    if role == "member":
        assert status_of(result, f"/g/{group}/review") == 403
        assert status_of(result, "/admin/companies/") == 403
    else:
        queue = body_of(result, f"/g/{group}/review")
        assert str(escape(world.a_hidden["review"].title)) in queue
    if role == "admin":
        # Directory pages do name A: the walk checked them with the roster rule.
        assert A_NAME in body_of(result, "/admin/companies/")
        assert A_NAME in body_of(result, f"/g/{group}/")


def test_error_pages_carry_no_trace(make_browser, attack_world, traces):
    browser = signed_in(make_browser, attack_world.member.email)
    draft, queued = attack_world.a_hidden["draft"], attack_world.a_hidden["review"]
    main = attack_world.a_published[0]
    expected = {
        "/reports/no-such-report-id": 404,
        f"/reports/{draft.public_id}": 404,
        f"/reports/{queued.public_id}": 404,
        f"/reports/{main.public_id}/edit": 404,  # not theirs: the same answer as no report
        f"/g/{attack_world.group.slug}/review": 403,
        f"/g/{attack_world.second_group.slug}/reports": 404,
        "/no/such/page": 404,
    }
    for url, status in expected.items():
        response = browser.get(url)
        assert response.status_code == status, url
        body = response.get_data(as_text=True)
        headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
        leaks = traces.leaks(url, body) + traces.leaks(url, headers)
        assert not leaks, "\n".join(map(str, leaks))


def comparable(body: str) -> str:
    """The page without its CSRF token, which carries the second it was made."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1-", body)


def test_a_hidden_or_foreign_report_answers_exactly_like_one_that_does_not_exist(
    client, factory, make_browser, attack_world
):
    """No oracle: the 404 for A's draft, queued, withdrawn or rejected report, or for editing
    A's published one, is the 404 for a random id, word for word (ids aside)."""
    browser = signed_in(make_browser, attack_world.member.email)
    token = factory.api_token(attack_world.member)
    auth = {"Authorization": f"Bearer {token}"}
    main = attack_world.a_published[0]
    hidden = [r.public_id for name, r in attack_world.a_hidden.items() if name != "duplicate"]
    cases = [
        (browser.get, "/reports/{id}", hidden, {}),
        (browser.get, "/reports/{id}/edit", [main.public_id, *hidden], {}),
        (client.get, "/api/v1/reports/{id}", hidden, {"headers": auth}),
    ]
    for get, template, ids, kwargs in cases:
        missing = get(template.format(id="AAAAAAAAAAAAAAAA"), **kwargs)
        expected = comparable(missing.get_data(as_text=True).replace("AAAAAAAAAAAAAAAA", "{id}"))
        for public_id in ids:
            response = get(template.format(id=public_id), **kwargs)
            assert response.status_code == missing.status_code == 404, template
            body = comparable(response.get_data(as_text=True).replace(public_id, "{id}"))
            assert body == expected, (template, public_id)
