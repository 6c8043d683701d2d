"""Search analytics for facilitators: top queries and queries that found nothing."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.reports.anonymise import today
from credgroup.search.models import SearchQueryLog
from tests.search.conftest import search


def login(make_browser, user):
    browser = make_browser()
    browser.login(user.email)
    return browser


def test_member_searches_are_logged_per_group_without_the_user(world):
    search(world.alice, "  Premium   ACCOUNT ")
    search(world.alice, "zanzibar")
    db.session.commit()
    rows = db.session.scalars(sa.select(SearchQueryLog).order_by(SearchQueryLog.id)).all()
    assert [(r.query, r.result_count, r.group_id) for r in rows] == [
        ("premium account", 1, world.group.id),
        ("zanzibar", 0, world.group.id),
    ]
    columns = set(SearchQueryLog.__table__.columns.keys())
    assert columns == {"id", "group_id", "query", "result_count", "searched_on"}


def test_staff_searches_and_later_pages_are_not_logged(world):
    search(world.fran, "coupa")
    search(world.alice, "coupa", page=2, per_page=1)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(SearchQueryLog.id))) == 0


def test_facilitator_sees_top_queries_and_queries_without_results(world, make_browser):
    for q in ("coupa fees", "coupa fees", "coupa fees", "zanzibar", "zanzibar", "quokka"):
        search(world.alice, q)
    db.session.add(
        SearchQueryLog(
            group_id=world.group.id,
            query="too old to count",
            result_count=0,
            searched_on=today() - timedelta(days=91),
        )
    )
    db.session.commit()
    response = login(make_browser, world.fran).get("/g/building-materials/search-analytics")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "6 in all" in html
    top = html[html.index("Top searches") :]
    assert top.index("coupa fees") < top.index("zanzibar") < top.index("quokka")
    empty = html[html.index("Searches that found nothing") : html.index("Top searches")]
    assert "zanzibar" in empty and "coupa fees" not in empty
    assert "too old to count" not in html
    for identity in ("Alice", "alice@", "Northfield"):
        assert identity not in html


def test_analytics_are_for_the_groups_facilitators_only(world, make_browser, factory):
    url = "/g/building-materials/search-analytics"
    assert login(make_browser, world.alice).get(url).status_code == 403
    assert login(make_browser, world.olga).get(url).status_code == 404
    other_facilitator = factory.facilitator(groups=[world.other])
    assert login(make_browser, other_facilitator).get(url).status_code == 404
    assert login(make_browser, world.admin).get(url).status_code == 200


def test_the_search_page_links_facilitators_to_their_groups_analytics(world, make_browser):
    html = login(make_browser, world.fran).get("/search").get_data(as_text=True)
    assert 'href="/g/building-materials/search-analytics"' in html
    member_html = login(make_browser, world.alice).get("/search").get_data(as_text=True)
    assert "search-analytics" not in member_html
