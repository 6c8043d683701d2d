"""The portal friction index across groups: per-group thresholds, nothing small added in."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from credgroup.db import utcnow
from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.groups.models import GroupMembership
from credgroup.reports.enums import ContributionState
from credgroup.trends.friction import friction_index, month_range
from tests.trends.conftest import build_trend_group

TODAY = date(2026, 5, 14)
JAN, FEB = date(2025, 1, 10), date(2025, 2, 10)


@pytest.fixture
def two_groups(factory):
    return build_trend_group(factory, slug="alpha"), build_trend_group(factory, slug="beta")


def point(index, portal: str, month: str):
    found = next((p for p in index["portals"] if p["slug"] == portal), None)
    assert found is not None, f"{portal} not in the index"
    return next(p for p in found["points"] if p["month"] == month)


def jan_to_feb():
    return friction_index(month_range({"from": "2025-01", "to": "2025-02"}, TODAY))


def test_index_counts_worse_and_better_companies_per_group(two_groups):
    alpha, beta = two_groups
    for c in range(4):
        alpha.report(c, "coupa", "rejected_format", JAN)
    for c in range(4, 7):
        alpha.report(
            c, "coupa", "fees", date(2024, 11, 3), status="resolved", status_changed_on=JAN
        )
    for c in range(3):
        beta.report(c, "coupa", "skipped", JAN)
    db.session.commit()
    jan = point(jan_to_feb(), "coupa", "2025-01")
    # worse: 4 (alpha) + 3 (beta); better: 3 (alpha)
    assert (jan["worse"], jan["better"], jan["companies"]) == (7, 3, 10)
    assert jan["index"] == round(50 + 50 * (7 - 3) / 10, 1) == 70.0


def test_a_groups_count_below_its_threshold_is_left_out_not_added(two_groups):
    alpha, beta = two_groups
    for c in range(3):
        alpha.report(c, "coupa", "rejected_format", JAN)
    for c in range(2):  # two companies: below beta's threshold of three
        beta.report(c, "coupa", "rejected_format", JAN)
        beta.report(c, "sap-business-network", "rejected_format", FEB)
    db.session.commit()
    index = jan_to_feb()
    assert point(index, "coupa", "2025-01")["worse"] == 3
    assert "sap-business-network" not in [p["slug"] for p in index["portals"]]
    assert point(index, "coupa", "2025-02") == {
        "month": "2025-02",
        "worse": None,
        "better": None,
        "companies": None,
        "index": None,
    }


def test_higher_thresholds_are_respected_per_group(two_groups):
    _, beta = two_groups
    beta.group.anonymity_threshold = 5
    for c in range(4):
        beta.report(c, "coupa", "rejected_format", JAN)
    db.session.commit()
    assert jan_to_feb()["portals"] == []


def test_a_company_in_two_groups_counts_in_each(two_groups):
    """Documented limitation: pseudonyms differ per group by design, so the same three
    companies reporting in two groups are six "company seats"."""
    alpha, beta = two_groups
    for company in alpha.companies[:3]:
        db.session.add(GroupMembership(group_id=beta.group.id, company_id=company.id))
    same_in_beta = replace(beta, companies=alpha.companies, members=alpha.members)
    for c in range(3):
        alpha.report(c, "coupa", "rejected_format", JAN)
        same_in_beta.report(c, "coupa", "rejected_format", JAN)
    db.session.commit()
    assert point(jan_to_feb(), "coupa", "2025-01")["companies"] == 6


def test_drafts_withdrawn_reports_and_archived_groups_do_not_count(two_groups):
    alpha, beta = two_groups
    for c in range(3):
        alpha.report(c, "coupa", "rejected_format", JAN, state=ContributionState.DRAFT)
        alpha.report(c, "jaggaer", "rejected_format", JAN, state=ContributionState.WITHDRAWN)
        beta.report(c, "tungsten-network", "rejected_format", JAN)
    beta.group.archived_at = utcnow()
    db.session.commit()
    assert jan_to_feb()["portals"] == []


def test_the_default_is_the_twelve_months_up_to_this_one():
    span = month_range({}, TODAY)
    assert (span.first, span.last) == (date(2025, 6, 1), date(2026, 5, 1))
    assert len(span.months) == 12
    span = month_range({}, date(2026, 12, 3))
    assert (span.first, span.last) == (date(2026, 1, 1), date(2026, 12, 1))


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"from": "2025-05", "to": "2025-01"}, "to"),
        ({"from": "2026-06"}, "to"),
        ({"to": "2027-01"}, "to"),
        ({"from": "2020-01", "to": "2026-01"}, "to"),
        ({"from": "May"}, "from"),
    ],
)
def test_bad_months_are_clear_errors(args, field):
    with pytest.raises(ValidationError) as caught:
        month_range(args, TODAY)
    assert caught.value.field == field
