"""The attacker's tools catch what they are meant to catch: a leak-free result from a blind
search would prove nothing."""

from __future__ import annotations

import json

import pytest
from flask import request

from tests.anonymity.crawler import IdBook, crawl, links_in, param_kind
from tests.anonymity.traces import Traces, is_directory, response_leaks, rows_of
from tests.anonymity.world import A_COMPANY_ID, AttackWorld

PSEUDONYM = "3f2a9c81d4e5b6a7908172635445362718293a4b5c6d7e8f9012a3b4c5d6e7f8"


@pytest.fixture
def planted() -> Traces:
    return Traces(
        identity={"Quarry Quartet LLC": "company name", "QQ": "alias", "zq@qq.example": "email"},
        numbers={A_COMPANY_ID: "company id"},
        pseudonyms={PSEUDONYM},
        markers={"Report-ID-1", "Coupa rejects invoices"},
    ).compile()


@pytest.mark.parametrize(
    "text",
    [
        "Posted by Quarry Quartet LLC",
        "posted by quarry quartet llc",
        "<a href='/search?q=Quarry%20Quartet%20LLC'>",
        "q=Quarry+Quartet+LLC",
        '{"by": "QQ"}',
        "(qq)",
        "mailto:zq%40qq.example",
        "/admin/companies/987654/edit",
        '{"company_id": 987654}',
        f"<!-- {PSEUDONYM} -->",
        f"ref {PSEUDONYM[20:32]} end",  # a 12-character slice
        f"ref {PSEUDONYM[:16].upper()}",
    ],
)
def test_the_search_finds_planted_traces_in_any_encoding(planted, text):
    assert planted.leaks("/page", text)


@pytest.mark.parametrize(
    "text",
    [
        "token=Ab-qQxYz_93 and aqqb and QQ2 and id-qq-x",  # random tokens and longer words
        "invoice 19876543 and 9876540",  # longer numbers
        f"colour #{PSEUDONYM[:6]} and hash {PSEUDONYM[:11]}",  # too short to mean anything
    ],
)
def test_the_search_ignores_lookalikes(planted, text):
    assert not planted.leaks("/page", text)


def test_owner_fields_in_json_are_found_at_any_depth(planted):
    document = {"items": [{"id": "x", "author": {"company_id": 3}}], "author_pseudonym": "y"}
    assert sorted(planted.owner_fields(document)) == ["author_pseudonym", "company_id"]
    assert not list(planted.owner_fields({"id": "x", "company_confirmed": []}))


def test_a_directory_may_name_a_but_not_next_to_its_contribution(planted):
    roster = "<ul><li>Birch Hollow</li><li>Quarry Quartet LLC</li></ul>"
    reports = "<ul><li><a href='/reports/Report-ID-1'>Coupa rejects invoices</a></li></ul>"
    assert not planted.leaks("/g/x/", roster + reports, directory=True)
    linked = "<table><tr><td>Quarry Quartet LLC</td><td>Coupa rejects invoices</td></tr></table>"
    assert planted.leaks("/g/x/", linked, directory=True)
    assert planted.leaks("/g/x/", f"<li>{PSEUDONYM}</li>", directory=True)
    json_roster = json.dumps({"items": [{"name": "Quarry Quartet LLC"}, {"name": "Birch"}]})
    assert len(rows_of(json_roster)) == 3  # the page object, then one per company
    assert not planted.leaks("/api/v1/groups/x/companies", json_roster, directory=True)
    json_linked = json.dumps({"items": [{"name": "QQ", "report": {"id": "Report-ID-1"}}]})
    assert planted.leaks("/api/v1/groups/x/companies", json_linked, directory=True)


def test_directory_pages_are_the_rosters_only():
    assert is_directory("/g/aggregates/")
    assert is_directory("/admin/companies/12/edit")
    assert not is_directory("/g/aggregates/reports")
    assert not is_directory("/reports/abc")
    assert not is_directory("/g/aggregates/review")


def test_a_planted_leak_on_any_page_or_header_is_found_by_the_walk(
    app, make_browser, attack_world: AttackWorld, traces
):
    pseudonym = sorted(traces.pseudonyms)[0]

    @app.after_request
    def plant(response):
        if request.path.startswith("/portals/"):
            response.set_data(response.get_data() + f"<!-- {pseudonym[:16]} -->".encode())
        if request.path.endswith(".csv"):
            response.headers["X-Author"] = "Zelda Quill"
        return response

    browser = make_browser()
    browser.login(attack_world.member.email)
    start = ["/portals/", f"/g/{attack_world.group.slug}/reports.csv"]
    result = crawl(browser.get, start, follow=lambda url: False)
    leaks = response_leaks(result.fetched, traces)
    assert {leak.where for leak in leaks if leak.kind == "pseudonym"} >= {"/portals/"}
    assert any("header X-Author" in leak.where for leak in leaks)


def test_the_walk_follows_links_and_get_forms_but_never_logout(app, make_browser, attack_world):
    browser = make_browser()
    browser.login(attack_world.member.email)
    result = crawl(browser.get, ["/"], max_urls=30)
    assert "/logout" not in result.paths()
    assert f"/g/{attack_world.group.slug}/" in result.paths()  # linked from the home page
    assert len(result.fetched) == 30 and result.not_fetched


def test_query_variants_of_one_path_are_bounded():
    pages = {
        "/": '<a href="/list?page=1">1</a><a href="/list?page=2">2</a><a href="/list?page=3">3</a>'
        '<form action="/list"><input name="q"></form><a href="https://example.com/x">x</a>',
    }

    class Response:
        def __init__(self, url):
            self.status_code = 200 if url.split("?")[0] in ("/", "/list") else 404
            self.headers = {"Content-Type": "text/html"}
            self.body = pages.get(url, "")

        def get_data(self, as_text=False):
            return self.body

    result = crawl(lambda url, headers: Response(url), ["/"], max_query_variants=2)
    assert [f.url for f in result.fetched] == ["/", "/list?page=1", "/list?page=2", "/list"]


def test_links_come_from_html_json_and_redirects():
    assert links_in('<a href="/a#x">', "text/html", "/") == ["/a#x"]
    assert links_in(
        '{"next": "/api/v1/r?page=2", "name": "x"}', "application/json", "/api/v1/r"
    ) == ["/api/v1/r?page=2"]
    assert links_in("", "text/plain", "/x", "/login?next=%2Fx") == ["/login?next=%2Fx"]


def test_parameters_are_filled_by_what_the_path_says_they_are():
    template = "/reports/<public_id>/comments/<comment_id>/withdraw"
    assert param_kind(template, template.index("<public_id>"), "public_id") == "report"
    assert param_kind(template, template.index("<comment_id>"), "comment_id") == "comment"
    assert param_kind("/g/<slug>/", 3, "slug") == "group"
    assert param_kind("/portals/{slug}", 9, "slug") == "portal"
    book = IdBook(
        rows=[
            {"group": "g1", "report": "r1", "comment": "c1"},
            {"group": "g1", "report": "r2", "comment": "c2"},
        ],
        priority={"r2"},
    )
    urls = book.fill(template)
    assert urls[0] == "/reports/r2/comments/c2/withdraw"  # the victim's first
    assert "/reports/r1/comments/c1/withdraw" in urls
    assert any("no-such-" in url for url in urls)  # and a random id, for the 404 page


def test_later_features_objects_are_found_by_the_segment_in_front():
    book = IdBook(
        rows=[
            {"object": "m1", "table": "meetings"},
            {"object": "i1", "table": "meeting_action_items"},
            {"object": "a1", "table": "kb_articles"},
        ],
        priority={"a1"},
    )
    template = "/kb/<public_id>/revisions/<int:number>"
    assert param_kind(template, 4, "public_id") == "object:kb"
    assert param_kind(template, template.index("<int"), "number", "int") == "number"
    urls = book.fill(template)
    assert "/kb/a1/revisions/1" in urls and "/kb/a1/revisions/2" in urls
    assert book.values("object:meetings")[0] == "m1"


def test_zip_exports_are_read_file_by_file():
    import io
    import zipfile

    from tests.anonymity.crawler import readable_body

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("articles/one.md", "Written by Quarry Quartet LLC")
    text = readable_body(buffer.getvalue())
    assert "=== articles/one.md ===" in text and "Quarry Quartet LLC" in text
    assert readable_body(b"\xff plain") == "\ufffd plain"
