"""Fixtures for search tests: a tmp index per test and a small world of two groups with
reports and articles, published through the real services (so the outbox is exercised).

Every test using the app runs against each search backend tested here (both on
PostgreSQL, Whoosh on SQLite; see tests/fixtures/search_backends.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import current_app

from credgroup.accounts.models import User
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.kb.articles import create_article
from credgroup.kb.models import Article
from credgroup.portals.services import seed_catalogue
from credgroup.reports import authoring
from credgroup.reports.enums import ContributionState
from credgroup.reports.models import Report
from credgroup.search import service
from credgroup.search.outbox import drain
from tests.fixtures.search_backends import backend_config, search_backends


@pytest.fixture(params=search_backends())
def app_config(request, tmp_path) -> dict[str, Any]:
    return {**backend_config(request.param, tmp_path), "SEARCH_LOCK_TIMEOUT": 2.0}


def index_now() -> None:
    """Apply the outbox, as the worker would."""
    result = drain()
    assert not result.busy and not result.failed, result


def publish(user: User, group: CreditGroup, **fields: Any) -> Report:
    data = {
        "portal": "Coupa",
        "category": "rejected_format",
        "title": "A report",
        "body": "",
        "incident_month": "2026-01",
        **fields,
    }
    report = authoring.publish_report(user, group, data)
    db.session.commit()
    assert report.state is ContributionState.PUBLISHED
    return report


def article(group: CreditGroup | None = None, **fields: Any) -> Article:
    data = {"title": "An article", "workaround": "Do this.", **fields}
    created = create_article(None, data, group=group, publish=True)
    db.session.commit()
    return created


def search(user: User, q: str = "", **kwargs: Any) -> service.SearchOutcome:
    params = service.SearchParams(
        q=q,
        sort=kwargs.pop("sort", "relevance"),
        page=kwargs.pop("page", 1),
        per_page=kwargs.pop("per_page", 10),
        filters=kwargs.pop("filters", {}),
        correct=kwargs.pop("correct", True),
    )
    assert not kwargs
    with current_app.test_request_context("/search"):  # hits carry URLs
        return service.search(user, params)


def titles(outcome: service.SearchOutcome) -> list[str]:
    return [hit.title for hit in outcome.hits]


@dataclass
class World:
    group: CreditGroup  # building-materials: alice, bob, fran (facilitator)
    other: CreditGroup  # food: olga
    alice: User
    bob: User
    olga: User
    fran: User
    admin: User
    reports: dict[str, Report] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)


@pytest.fixture
def world(factory) -> World:
    seed_catalogue()
    db.session.commit()
    group = factory.group(slug="building-materials", name="Building Materials Credit Group")
    other = factory.group(slug="food", name="Food Credit Group")
    northfield = factory.company("Northfield Aggregates Inc.", groups=[group])
    granite = factory.company("Granite Ridge Supply", groups=[group])
    prairie = factory.company("Prairie Foods", groups=[other])
    w = World(
        group=group,
        other=other,
        alice=factory.member(northfield, email="alice@northfield.example", name="Alice Archer"),
        bob=factory.member(granite, email="bob@granite.example", name="Bob Booker"),
        olga=factory.member(prairie, email="olga@prairie.example", name="Olga Ortiz"),
        fran=factory.facilitator(groups=[group], email="fran@association.example"),
        admin=factory.admin(email="adam@association.example"),
    )
    w.reports["ariba"] = publish(
        w.alice,
        group,
        portal="Ariba",
        title="Invoices rejected with INV-15 for orders outside the network",
        body="Every invoice for orders placed by email came back from SAP Business Network.",
        error_message="INV-15 customer does not accept invoices for orders sent outside Ariba SN",
        workaround="Reference the order in InvoiceDetailOrderInfo.",
    )
    w.reports["coupa_fees"] = publish(
        w.bob,
        group,
        portal="Coupa",
        category="fees",
        title="Supplier charged for a premium account",
        body="The customer asked us to upgrade before invoices would be accepted.",
    )
    w.reports["food_secret"] = publish(
        w.olga,
        other,
        portal="Coupa",
        category="fees",
        title="Zanzibar warehouse invoices stuck on Coupa",
        body="Only the food group may read about the zanzibar warehouse.",
    )
    w.articles["resubmit"] = article(
        portal="Coupa",
        title="Resubmitting a rejected Coupa invoice",
        problem="The invoice is rejected because the PO number is missing.",
        workaround="Flip the PO in the supplier portal and submit again.",
        categories=["rejected_format"],
    )
    w.articles["quokka"] = article(
        group,
        title="Quokka handling for building materials",
        problem="Only building materials members may read about the quokka.",
    )
    w.articles["food_zanzibar"] = article(
        other,
        title="Zanzibar tips for the food group",
        problem="The zanzibar portal wants a second approval.",
    )
    index_now()
    return w
