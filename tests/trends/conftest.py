"""Fixtures for trend tests: a group of member companies and a way to write published
reports straight into the table (dates and companies chosen by the test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from credgroup.accounts.models import User
from credgroup.anonymity.pseudonyms import company_pseudonym, group_scope, person_pseudonym
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, CustomerNaming, MemberCompany
from credgroup.portals.models import Portal
from credgroup.portals.services import get_portal, seed_catalogue
from credgroup.reports.enums import (
    ConfirmationKind,
    ContributionState,
    FeeKind,
    FeeSizeBand,
    ProblemCategory,
    ReportStatus,
)
from credgroup.reports.models import Report, ReportConfirmation


@dataclass
class TrendGroup:
    group: CreditGroup
    companies: list[MemberCompany]
    members: list[User]  # one per company, same order
    facilitator: User
    outsider: User
    admin: User
    portals: dict[str, Portal] = field(default_factory=dict)

    def pseudonym(self, index: int) -> str:
        return company_pseudonym(self.companies[index].id, group_scope(self.group.id))

    def report(
        self,
        company: int,
        portal: str,
        category: str,
        published_on: date,
        *,
        status: str = "open",
        status_changed_on: date | None = None,
        fee_kind: str | None = None,
        fee_size_band: str | None = None,
        buyer: str = "",
        title: str = "A portal problem",
        state: ContributionState = ContributionState.PUBLISHED,
    ) -> Report:
        report = Report(
            group_id=self.group.id,
            portal_id=self.portals[portal].id,
            author_pseudonym=person_pseudonym(self.members[company].id, group_scope(self.group.id)),
            company_pseudonym=self.pseudonym(company),
            category=ProblemCategory(category),
            title=title,
            status=ReportStatus(status),
            status_changed_on=status_changed_on,
            fee_kind=FeeKind(fee_kind) if fee_kind else None,
            fee_size_band=FeeSizeBand(fee_size_band) if fee_size_band else None,
            buyer_name=buyer,
            buyer_industry=buyer,
            state=state,
            created_on=published_on,
            published_on=published_on,
            updated_on=published_on,
        )
        db.session.add(report)
        db.session.flush()
        return report

    def confirm(self, report: Report, company: int, on: date) -> None:
        db.session.add(
            ReportConfirmation(
                report_id=report.id,
                kind=ConfirmationKind.HIT_TOO,
                company_pseudonym=self.pseudonym(company),
                author_pseudonym=person_pseudonym(
                    self.members[company].id, group_scope(self.group.id)
                ),
                confirmed_on=on,
            )
        )
        db.session.flush()


def build_trend_group(
    factory,
    *,
    companies: int = 8,
    threshold: int = 3,
    slug: str = "steel",
    naming: CustomerNaming = CustomerNaming.NAMED,
) -> TrendGroup:
    seed_catalogue()
    db.session.commit()
    group = factory.group(
        slug=slug, name="Steel Credit Group", anonymity_threshold=threshold, customer_naming=naming
    )
    other = factory.group(slug=f"{slug}-other", name="Other Credit Group")
    made = [factory.company(f"Company {slug} {i}", groups=[group]) for i in range(companies)]
    outsider_company = factory.company(f"Outsider {slug}", groups=[other])
    tg = TrendGroup(
        group=group,
        companies=made,
        members=[factory.member(c, email=f"m{i}@{slug}.example") for i, c in enumerate(made)],
        facilitator=factory.facilitator(groups=[group], email=f"fac@{slug}.example"),
        outsider=factory.member(outsider_company, email=f"out@{slug}.example"),
        admin=factory.admin(email=f"admin@{slug}.example"),
    )
    tg.portals = {
        slug_: get_portal(slug_)
        for slug_ in ("coupa", "sap-business-network", "jaggaer", "tungsten-network")
    }
    return tg


@pytest.fixture
def tg(factory) -> TrendGroup:
    return build_trend_group(factory)


def table(payload: dict[str, Any], table_id: str) -> dict[str, Any]:
    return next(t for t in payload["tables"] if t["id"] == table_id)


def cell(payload: dict[str, Any], table_id: str, row: str, column: str) -> dict[str, Any]:
    found = table(payload, table_id)
    index = [c["key"] for c in found["columns"]].index(column)
    return next(r for r in found["rows"] if r["key"] == row)["cells"][index]


@pytest.fixture
def dataset(tg):
    """Q4 2024 and Q1 2025 of a group of 8 companies with k = 3."""
    d = date
    first = None
    for c in range(4):
        made = tg.report(c, "coupa", "rejected_format", d(2025, 1, 10 + c), buyer="Acme Corp")
        first = first or made
    tg.report(0, "coupa", "rejected_format", d(2025, 2, 3), buyer="acme  corp")
    tg.report(4, "coupa", "fees", d(2025, 2, 5), fee_kind="per_invoice", fee_size_band="1k-10k")
    for c, changed in ((0, 11), (1, 21), (2, 31)):
        tg.report(
            c,
            "sap-business-network",
            "skipped",
            d(2025, 3, 1),
            status="resolved",
            status_changed_on=d(2025, 3, changed),
        )
    tg.report(5, "jaggaer", "onboarding", d(2025, 3, 9))
    # Not counted: a draft, a withdrawn report, another group's report.
    tg.report(6, "coupa", "fees", d(2025, 2, 9), state=ContributionState.DRAFT)
    tg.report(7, "coupa", "fees", d(2025, 2, 9), state=ContributionState.WITHDRAWN)
    for c in (5, 6, 7):
        tg.confirm(first, c, d(2025, 2, 20))
    # The quarter before.
    for c in range(3):
        tg.report(c, "coupa", "rejected_format", d(2024, 11, 2 + c))
    tg.report(0, "sap-business-network", "skipped", d(2024, 12, 1))
    db.session.commit()
    return tg
