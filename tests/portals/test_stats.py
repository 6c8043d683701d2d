"""Per-category counts about a portal: one cell per group, hidden below the group's
anonymity threshold of distinct member companies."""

from __future__ import annotations

import pytest

from credgroup.extensions import db
from credgroup.portals import stats
from credgroup.portals.services import get_portal
from credgroup.reports import authoring
from credgroup.reports.enums import ProblemCategory, ReportStatus
from tests.reports.conftest import REPORT_DATA

FEE_REPORT = {
    **REPORT_DATA,
    "portal": "Coupa",
    "category": "fees",
    "title": "Charged a per-invoice fee to submit",
    "body": "The customer's portal started charging a fee for each invoice.",
    "fee_kind": "per_invoice",
}


@pytest.mark.parametrize(
    ("reports", "companies", "threshold", "shown"),
    [
        (0, 0, 3, None),
        (2, 2, 3, None),
        (9, 2, 3, None),  # many reports from few companies still point at them
        (3, 3, 3, 3),
        (7, 5, 5, 7),
        (4, 4, 5, None),
    ],
)
def test_a_count_is_disclosed_only_from_the_threshold_of_companies(
    reports, companies, threshold, shown
):
    assert stats.disclosed_count(reports, companies, threshold) == shown


def post_fee_reports(rg, *people):
    for person in people:
        authoring.publish_report(person, rg.group, FEE_REPORT)
    db.session.commit()


def fees_cell(viewer, slug="building-materials"):
    groups = stats.category_counts(viewer, get_portal("coupa"))
    group = next(g for g in groups if g.group.slug == slug)
    return next(c for c in group.cells if c.category is ProblemCategory.FEES).reports


@pytest.fixture
def threshold_three(reporting_group):
    reporting_group.group.anonymity_threshold = 3
    db.session.commit()
    return reporting_group


def test_two_people_of_one_company_count_as_one_company(threshold_three):
    rg = threshold_three
    post_fee_reports(rg, rg.alice, rg.alice_colleague, rg.bob)
    assert fees_cell(rg.carol) is None


def test_cell_is_shown_once_enough_companies_reported(threshold_three):
    rg = threshold_three
    post_fee_reports(rg, rg.alice, rg.alice_colleague, rg.bob, rg.carol)
    assert fees_cell(rg.carol) == 4
    assert fees_cell(rg.facilitator) == 4


def test_drafts_and_other_portals_do_not_count(threshold_three):
    rg = threshold_three
    post_fee_reports(rg, rg.alice, rg.bob)
    authoring.save_draft(rg.carol, rg.group, FEE_REPORT)
    authoring.publish_report(rg.carol, rg.group, {**FEE_REPORT, "portal": "Ariba"})
    db.session.commit()
    assert fees_cell(rg.carol) is None


def test_counts_cover_only_the_viewers_groups(threshold_three):
    rg = threshold_three
    post_fee_reports(rg, rg.alice, rg.bob, rg.carol)
    groups = stats.category_counts(rg.outsider, get_portal("coupa"))
    assert [g.group.slug for g in groups] == ["food"]
    assert all(cell.reports is None for cell in groups[0].cells)


def test_open_reports_leave_out_resolved_ones_and_other_groups(threshold_three):
    rg = threshold_three
    post_fee_reports(rg, rg.alice, rg.bob)
    resolved = authoring.publish_report(rg.carol, rg.group, {**FEE_REPORT, "title": "Old fee"})
    authoring.change_status(rg.carol, resolved, ReportStatus.RESOLVED)
    db.session.commit()
    titles = [r["title"] for r in stats.open_reports(rg.bob, get_portal("coupa"))]
    assert titles == [FEE_REPORT["title"]] * 2
    assert stats.open_reports(rg.outsider, get_portal("coupa")) == []
