"""Operators, facets, sorting, pagination and highlighted snippets."""

from __future__ import annotations

from datetime import date

import pytest

from credgroup.extensions import db
from credgroup.reports import discussion
from credgroup.reports.enums import ConfirmationKind
from tests.search.conftest import article, index_now, publish, search, titles

ARIBA = "Invoices rejected with INV-15 for orders outside the network"
FEES = "Supplier charged for a premium account"
RESUBMIT = "Resubmitting a rejected Coupa invoice"
QUOKKA = "Quokka handling for building materials"


def facet(outcome, name: str) -> dict[str, int]:
    return {value.key: value.count for value in outcome.facets[name]}


def test_portal_operator_accepts_slug_name_or_alias(world):
    for value in ("sap-business-network", '"SAP Business Network"', "ariba"):
        assert titles(search(world.alice, f"portal:{value}")) == [ARIBA]


def test_category_status_and_type_operators(world):
    assert titles(search(world.alice, "category:fees")) == [FEES]
    assert set(titles(search(world.alice, "category:rejected_format"))) == {ARIBA, RESUBMIT}
    assert set(titles(search(world.alice, "status:open"))) == {ARIBA, FEES}
    assert set(titles(search(world.alice, "type:article"))) == {RESUBMIT, QUOKKA}
    assert set(titles(search(world.alice, "rejected type:report"))) == {ARIBA}


def test_operator_alternatives_and_group_operator(world):
    assert set(titles(search(world.alice, "type:article|report portal:coupa"))) == {FEES, RESUBMIT}
    assert set(titles(search(world.alice, "group:building-materials"))) == {ARIBA, FEES, QUOKKA}
    assert titles(search(world.alice, "group:association")) == [RESUBMIT]


def test_operators_can_come_as_parameters(world):
    outcome = search(world.alice, "invoice", filters={"type": ["report"], "portal": ["ariba"]})
    assert titles(outcome) == [ARIBA]


@pytest.mark.parametrize(
    "query, message",
    [
        ("portal:nowhere", "No portal “nowhere”"),
        ("category:misc", "No category “misc”"),
        ("status:closed", "No status “closed”"),
        ("type:video", "No type “video”"),
    ],
)
def test_unknown_operator_values_find_nothing_and_say_why(world, query, message):
    outcome = search(world.alice, query)
    assert outcome.total == 0
    assert any(message in notice for notice in outcome.notices)


def test_facets_count_types_portals_categories_statuses_and_groups(world):
    outcome = search(world.alice, "invoice OR account OR quokka")
    assert facet(outcome, "type") == {"report": 2, "article": 2}
    assert facet(outcome, "portal") == {"sap-business-network": 1, "coupa": 2}
    assert facet(outcome, "category") == {"rejected_format": 2, "fees": 1}
    assert facet(outcome, "status") == {"open": 2}
    assert facet(outcome, "group") == {"building-materials": 3, "association": 1}
    labels = {value.label for value in outcome.facets["portal"]}
    assert labels == {"SAP Business Network", "Coupa"}


def test_facets_follow_the_filters_and_mark_the_chosen_value(world):
    outcome = search(world.alice, "invoice OR account", filters={"portal": ["coupa"]})
    assert facet(outcome, "portal") == {"coupa": 2}
    assert [v.selected for v in outcome.facets["portal"]] == [True]


def test_sort_by_newest_and_by_most_confirmed(world):
    older = world.reports["ariba"]
    older.published_on = date(2025, 1, 2)
    db.session.commit()
    discussion.confirm(world.bob, older, ConfirmationKind.HIT_TOO)
    db.session.commit()
    index_now()
    query = "invoices OR account"
    assert titles(search(world.alice, query, sort="newest"))[-1] == ARIBA
    assert titles(search(world.alice, query, sort="confirmed"))[0] == ARIBA


def test_pagination_walks_through_every_result_once(world):
    for n in range(7):
        publish(world.bob, world.group, title=f"Paging report {n}", body="pagination marker")
    index_now()
    seen = []
    for page in (1, 2, 3):
        outcome = search(world.alice, "pagination", page=page, per_page=3)
        assert outcome.total == 7 and outcome.pages == 3
        seen += titles(outcome)
    assert len(seen) == len(set(seen)) == 7


def test_snippets_mark_matches_and_escape_everything_else(world):
    article(
        title="Escaping check",
        problem="Type `<script>alert(1)</script>` & <b>bold</b> into the tracker field.",
        workaround='Then press <img src=x onerror="alert(2)"> the tracker button.',
    )
    index_now()
    [hit] = search(world.alice, "tracker").hits
    html = str(hit.snippet)
    assert "<mark>tracker</mark>" in html
    assert "&lt;script&gt;" in html
    assert "<script" not in html and "<b>" not in html and "<img" not in html
    assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_snippet_highlights_stemmed_and_prefixed_forms(world):
    [hit] = search(world.alice, "upgrading").hits
    assert "<mark>upgrade</mark>" in str(hit.snippet)
    hits = search(world.alice, "resubmit*").hits
    assert "<mark>" in str(hits[0].snippet) or hits[0].title.startswith("Resubmitting")


def test_report_hits_show_only_what_the_report_presenter_shows(world):
    [hit] = search(world.bob, "INV-15").hits
    assert hit.url == f"/reports/{world.reports['ariba'].public_id}"
    assert hit.details["portal"] == {"slug": "sap-business-network", "name": "SAP Business Network"}
    assert hit.group.slug == "building-materials"
    text = repr(hit.details) + hit.title + str(hit.snippet)
    for secret in ("Northfield", "Alice", "alice@", world.reports["ariba"].author_pseudonym):
        assert secret not in text
