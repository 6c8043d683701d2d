"""Fixtures for knowledge-base tests: a group with member companies, people of another
group, facilitators, an admin and the portal catalogue; and a helper to write articles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from credgroup.accounts.models import User
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, CustomerNaming
from credgroup.kb import articles
from credgroup.kb.models import Article
from credgroup.portals.services import seed_catalogue


@dataclass
class KbWorld:
    group: CreditGroup  # building-materials, names customers
    other: CreditGroup  # food, industry only
    alice: User  # Northfield Aggregates Inc. (group)
    alice_colleague: User  # Northfield Aggregates Inc. (group)
    bob: User  # Granite Ridge Supply (group)
    carol: User  # Harbor Cement (group)
    outsider: User  # Prairie Foods (other group only)
    facilitator: User  # facilitates group
    other_facilitator: User  # facilitates other
    admin: User


@pytest.fixture
def kb(factory) -> KbWorld:
    seed_catalogue()
    db.session.commit()
    group = factory.group(
        slug="building-materials",
        name="Building Materials Credit Group",
        customer_naming=CustomerNaming.NAMED,
    )
    other = factory.group(slug="food", name="Food Credit Group")
    northfield = factory.company("Northfield Aggregates Inc.", groups=[group], aliases=["NFA"])
    granite = factory.company("Granite Ridge Supply", groups=[group])
    harbor = factory.company("Harbor Cement", groups=[group])
    prairie = factory.company("Prairie Foods", groups=[other])
    return KbWorld(
        group=group,
        other=other,
        alice=factory.member(northfield, email="alice@northfield.example", name="Alice Archer"),
        alice_colleague=factory.member(
            northfield, email="ned@northfield.example", name="Ned Norris"
        ),
        bob=factory.member(granite, email="bob@granite.example", name="Bob Booker"),
        carol=factory.member(harbor, email="carol@harbor.example", name="Carol Castillo"),
        outsider=factory.member(prairie, email="olga@prairie.example", name="Olga Ortiz"),
        facilitator=factory.facilitator(
            groups=[group], email="fran@association.example", name="Fran Fields"
        ),
        other_facilitator=factory.facilitator(
            groups=[other], email="gus@association.example", name="Gus Grant"
        ),
        admin=factory.admin(email="adam@association.example", name="Adam Admin"),
    )


ARTICLE = {
    "title": "INV-15: reference the PO in InvoiceDetailOrderInfo",
    "portal": "Ariba",
    "problem": "Invoices fail with INV-15 although the PO exists on the network.",
    "workaround": "1. Put the PO's payloadID in `OrderReference`.\n2. Resubmit.",
    "error_text": "INV-15 customer does not accept invoices for orders sent outside Ariba SN",
    "categories": ["rejected_format"],
    "channels": ["cxml"],
    "tags": ["inv-15", "po reference"],
}


def write(
    user: User | None,
    *,
    group: CreditGroup | None = None,
    publish: bool = True,
    anonymous: bool = False,
    **fields: Any,
) -> Article:
    """An article written through the service, committed."""
    article = articles.create_article(
        user, {**ARTICLE, **fields}, group=group, anonymous=anonymous, publish=publish
    )
    db.session.commit()
    return article


@pytest.fixture
def api(client, factory):
    """``api(user)`` -> a test client sending a fresh API token of ``user``."""
    from tests.api.conftest import ApiClient

    def make(user: User) -> ApiClient:
        return ApiClient(client, factory.api_token(user))

    return make
