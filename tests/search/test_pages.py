"""The search page and the box in every page's header."""

from __future__ import annotations

import re

from tests.search.conftest import index_now, publish


def login(make_browser, user):
    browser = make_browser()
    assert browser.login(user.email).status_code in (200, 302)
    return browser


def test_every_page_has_the_search_box_once_signed_in(world, make_browser, client):
    assert 'role="search"' not in client.get("/login").get_data(as_text=True)
    html = login(make_browser, world.alice).get("/").get_data(as_text=True)
    assert 'action="/search"' in html and 'id="site-search-q"' in html


def test_search_page_lists_hits_with_snippets_facets_and_links(world, make_browser):
    browser = login(make_browser, world.alice)
    response = browser.get("/search?q=invoice")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Invoices rejected with INV-15" in html
    assert f'href="/reports/{world.reports["ariba"].public_id}"' in html
    assert f'href="/kb/{world.articles["resubmit"].public_id}"' in html
    assert "<mark>invoice</mark>" in html
    assert "Narrow down" in html and "?q=invoice&amp;type=report" in html
    assert "Zanzibar" not in html and "Food Credit Group" not in html


def test_choosing_a_facet_narrows_and_can_be_removed(world, make_browser):
    browser = login(make_browser, world.alice)
    html = browser.get("/search?q=invoice&type=article").get_data(as_text=True)
    assert "Invoices rejected with INV-15" not in html
    assert "Resubmitting a rejected Coupa invoice" in html
    assert 'href="/search?q=invoice"' in html  # remove the filter


def test_a_typed_operator_can_be_dropped_from_the_no_results_page(world, make_browser):
    html = login(make_browser, world.alice).get("/search?q=invoice+portal:tradeshift")
    html = html.get_data(as_text=True)
    assert "Nothing found" in html
    assert 'href="/search?q=invoice"' in html  # drop portal:tradeshift
    assert "Report the problem to Building Materials Credit Group" in html
    assert 'href="/kb/new"' in html


def test_typo_page_shows_the_correction_and_a_way_back(world, make_browser):
    html = login(make_browser, world.alice).get("/search?q=premuim").get_data(as_text=True)
    assert "Showing results for “premium”" in html
    assert "Supplier charged for a premium account" in html
    assert 'href="/search?q=premuim&amp;exact=1"' in html


def test_pages_of_results(world, make_browser):
    for n in range(12):
        publish(world.bob, world.group, title=f"Paged report {n}", body="pagemarker")
    index_now()
    browser = login(make_browser, world.alice)
    first = browser.get("/search?q=pagemarker").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'href="/search?q=pagemarker&amp;page=2"' in first
    second = browser.get("/search?q=pagemarker&page=2").get_data(as_text=True)
    assert len(re.findall(r"Paged report \d+", second)) == 2


def test_empty_search_shows_tips_not_an_error(world, make_browser):
    response = login(make_browser, world.alice).get("/search?q=")
    assert response.status_code == 200
    assert "What you can search" in response.get_data(as_text=True)


def test_bad_paging_and_sort_are_clear_400s(world, make_browser):
    browser = login(make_browser, world.alice)
    for query in ("page=0", "page=abc", "per_page=1000", "sort=random", "page=999999"):
        response = browser.get(f"/search?q=invoice&{query}")
        assert response.status_code == 400, query
        assert 'role="alert"' in response.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get("/search?q=invoice")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_query_text_is_escaped_everywhere_on_the_page(world, make_browser):
    evil = '<script>alert(1)</script>"><img src=x>'
    html = login(make_browser, world.alice).get("/search", query_string={"q": evil})
    html = html.get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x>" not in html
