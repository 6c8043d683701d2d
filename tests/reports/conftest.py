"""Fixtures for report tests: a group of member companies with people, and the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from credgroup.accounts.models import User
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.portals.services import seed_catalogue


@dataclass
class ReportingGroup:
    group: CreditGroup
    alice: User  # Northfield Aggregates
    alice_colleague: User  # Northfield Aggregates
    bob: User  # Granite Ridge Supply
    carol: User  # Harbor Cement
    outsider: User  # member of another group only
    facilitator: User
    admin: User


@pytest.fixture
def reporting_group(factory) -> ReportingGroup:
    seed_catalogue()
    db.session.commit()
    group = factory.group(slug="building-materials", name="Building Materials Credit Group")
    other = factory.group(slug="food", name="Food Credit Group")
    northfield = factory.company(
        "Northfield Aggregates Inc.", groups=[group], aliases=["NFA", "Northfield Agg"]
    )
    granite = factory.company("Granite Ridge Supply", groups=[group])
    harbor = factory.company("Harbor Cement", groups=[group])
    food_co = factory.company("Prairie Foods", groups=[other])
    return ReportingGroup(
        group=group,
        alice=factory.member(northfield, email="alice@northfield.example", name="Alice Archer"),
        alice_colleague=factory.member(
            northfield, email="ned@northfield.example", name="Ned Norris"
        ),
        bob=factory.member(granite, email="bob@granite.example", name="Bob Booker"),
        carol=factory.member(harbor, email="carol@harbor.example", name="Carol Castillo"),
        outsider=factory.member(food_co, email="olga@prairie.example", name="Olga Ortiz"),
        facilitator=factory.facilitator(
            groups=[group], email="fran@association.example", name="Fran Fields"
        ),
        admin=factory.admin(email="adam@association.example", name="Adam Admin"),
    )


REPORT_DATA = {
    "portal": "Ariba",
    "category": "rejected_format",
    "title": "Invoices rejected with INV-15 for orders outside the network",
    "body": "Since March every invoice from Northfield Aggregates for PO 4500012345 came back.",
    "error_message": "INV-15 customer does not accept invoices for orders sent outside Ariba SN",
    "channel": "cxml",
    "invoices_band": "6-20",
    "amount_band": "10k-100k",
    "incident_month": "2026-03",
    "buyer_industry": "Home improvement retail",
    "workaround": "Reference the PO in InvoiceDetailOrderInfo with the payloadID.",
}
