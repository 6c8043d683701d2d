"""Finding reports and portals through the API: filters, sorting, pagination, the
catalogue and what a portal's page tells each person."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from credgroup.extensions import db
from credgroup.groups.models import CustomerNaming
from tests.api.test_reports_api_support import GROUP, NEW_REPORT, caller, ok, report_url
from tests.reports.conftest import ReportingGroup, reporting_group  # noqa: F401


@pytest.fixture
def rg(reporting_group) -> ReportingGroup:  # noqa: F811
    return reporting_group


@pytest.fixture
def posted(client, factory, rg) -> dict[str, str]:
    """Three reports by three companies: Ariba (cXML), Coupa (fees), Ariba resolved."""
    alice, bob, carol = (caller(client, factory, u) for u in (rg.alice, rg.bob, rg.carol))
    ids = {
        "ariba": ok(alice.post("/api/v1/reports", NEW_REPORT), 201)["id"],
        "coupa": ok(
            bob.post(
                "/api/v1/reports",
                {
                    **NEW_REPORT,
                    "portal": "Coupa",
                    "category": "fees",
                    "fee_kind": "per_invoice",
                    "fee_size_band": "100-1k",
                    "title": "Coupa charges per invoice since January",
                    "body": "A fee per invoice appeared on our statement.",
                    "buyer_industry": "Hospitals",
                    "incident_month": "2026-01",
                },
            ),
            201,
        )["id"],
        "resolved": ok(
            carol.post(
                "/api/v1/reports",
                {
                    **NEW_REPORT,
                    "title": "Ariba status stuck on sent",
                    "category": "status_stale",
                    "status": "resolved",
                    "incident_month": "2025-11",
                },
            ),
            201,
        )["id"],
    }
    ok(carol.put(report_url(ids["coupa"], "/confirmations/hit_too")), 201)
    return ids


def listed(person, query: str = "") -> list[str]:
    body = ok(person.get(f"/api/v1/reports?group={GROUP}&{query}"))
    return [item["id"] for item in body["items"]]


@pytest.fixture
def bob(client, factory, rg):
    return caller(client, factory, rg.bob)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("portal=sap-business-network", ["ariba", "resolved"]),
        ("portal=coupa", ["coupa"]),
        ("category=fees", ["coupa"]),
        ("status=resolved", ["resolved"]),
        ("buyer=hospital", ["coupa"]),
        ("since=2026-01", ["ariba", "coupa"]),
        ("until=2025-12", ["resolved"]),
        ("q=stuck", ["resolved"]),
        ("q=fee statement", ["coupa"]),
    ],
)
def test_reports_are_filtered(bob, posted, query, expected):
    assert sorted(listed(bob, query)) == sorted(posted[name] for name in expected)


def test_sorting_by_confirmations_and_incident(bob, posted):
    items = ok(bob.get(f"/api/v1/reports?group={GROUP}&sort=most_confirmed"))["items"]
    assert (items[0]["id"], items[0]["hit_too"]) == (posted["coupa"], 1)
    assert [i["hit_too"] for i in items[1:]] == [0, 0]
    assert listed(bob, "sort=incident") == [posted["ariba"], posted["coupa"], posted["resolved"]]


def test_list_is_paginated_with_links_that_keep_the_filters(bob, posted):
    body = ok(bob.get(f"/api/v1/reports?group={GROUP}&portal=sap-business-network&per_page=1"))
    assert (body["total"], body["pages"], len(body["items"])) == (2, 2, 1)
    following = parse_qs(urlsplit(body["links"]["next"]).query)
    assert following["group"] == [GROUP]
    assert following["portal"] == ["sap-business-network"]
    assert following["page"] == ["2"]
    second = ok(bob.get(body["links"]["next"].replace("http://localhost", "")))
    assert second["items"][0]["id"] != body["items"][0]["id"]
    assert second["links"]["next"] is None


def test_a_group_that_names_no_customer_ignores_the_buyer_filter(bob, rg, posted):
    rg.group.customer_naming = CustomerNaming.NOT_NAMED
    db.session.commit()
    assert len(listed(bob, "buyer=hospital")) == 3
    items = ok(bob.get(f"/api/v1/reports?group={GROUP}"))["items"]
    assert {(i["buyer_name"], i["buyer_industry"]) for i in items} == {("", "")}


def test_the_catalogue_lists_portals_by_name_without_member_named_ones(bob, posted, client):
    ok(bob.post("/api/v1/reports", {**NEW_REPORT, "portal": "Acme Supplier Hub"}), 201)
    body = ok(bob.get("/api/v1/portals?per_page=200"))
    names = [p["name"] for p in body["items"]]
    assert names == sorted(names)
    assert "SAP Business Network" in names and "Acme Supplier Hub" not in names
    ariba = next(p for p in body["items"] if p["slug"] == "sap-business-network")
    assert "Ariba" in ariba["aliases"] and ariba["listed"] is True
    # The member-named portal has a page of its own, unlisted.
    named = ok(bob.get("/api/v1/portals/acme-supplier-hub"))
    assert (named["name"], named["listed"]) == ("Acme Supplier Hub", False)


def test_a_portals_page_shows_only_the_viewers_groups_and_hides_small_counts(
    client, factory, rg, bob, posted
):
    detail = ok(bob.get("/api/v1/portals/sap-business-network"))
    assert [r["id"] for r in detail["open_reports"]] == [posted["ariba"]]
    (cell,) = detail["category_counts"]
    assert (cell["group"], cell["anonymity_threshold"]) == (GROUP, 5)
    # Two companies reported about Ariba: below the threshold of five, so no count shows.
    assert {c["reports"] for c in cell["counts"]} == {None}
    outsider = ok(caller(client, factory, rg.outsider).get("/api/v1/portals/sap-business-network"))
    assert outsider["open_reports"] == []
    assert [c["group"] for c in outsider["category_counts"]] == ["food"]


def test_my_reports_lists_every_state(client, factory, rg, posted):
    alice = caller(client, factory, rg.alice)
    draft = ok(alice.post("/api/v1/reports", {**NEW_REPORT, "draft": True}), 201)
    items = ok(alice.get("/api/v1/my/reports"))["items"]
    assert {(i["id"], i["state"]) for i in items} == {
        (posted["ariba"], "published"),
        (draft["id"], "draft"),
    }
    assert ok(caller(client, factory, rg.facilitator).get("/api/v1/my/reports"))["items"] == []
