"""The trend report's figures on a dataset worked out by hand."""

from __future__ import annotations

from datetime import date

from credgroup.extensions import db
from credgroup.groups.models import CustomerNaming
from credgroup.trends.periods import span_between
from credgroup.trends.report import build_report, for_viewing
from tests.trends.conftest import build_trend_group, cell, table

TODAY = date(2026, 5, 14)
HIDDEN = {"value": None, "companies": None}


def shown(value, companies):
    return {"value": value, "companies": companies}


def q1_2025(group):
    return build_report(group, span_between(date(2025, 1, 1), date(2025, 3, 1), today=TODAY), TODAY)


def test_new_reports_and_the_companies_behind_them(dataset):
    payload = q1_2025(dataset.group)
    assert payload["available"] and payload["threshold"] == 3
    assert payload["summary"]["new_reports"] == shown(10, 6)
    assert payload["period"]["quarters"] == ["2025-Q1"]


def test_heat_map_shows_big_cells_and_hides_small_ones_with_a_complement(dataset):
    payload = q1_2025(dataset.group)
    assert cell(payload, "heat_map", "coupa", "rejected_format") == shown(5, 4)
    assert cell(payload, "heat_map", "sap-business-network", "skipped") == shown(3, 3)
    assert cell(payload, "heat_map", "sap-business-network", "total") == shown(3, 3)
    assert cell(payload, "heat_map", "total", "total") == shown(10, 6)
    # One company's fee report is hidden, and so is its column total...
    assert cell(payload, "heat_map", "coupa", "fees") == HIDDEN
    assert cell(payload, "heat_map", "total", "fees") == HIDDEN
    # ...and Coupa's total, which would otherwise give the fee report away (6 - 5 = 1).
    assert cell(payload, "heat_map", "coupa", "total") == HIDDEN
    # Jaggaer (one company) has no row of its own: it is inside "other portals".
    rows = [r["key"] for r in table(payload, "heat_map")["rows"]]
    assert rows == ["sap-business-network", "coupa", "other", "total"]
    assert cell(payload, "heat_map", "other", "onboarding") == HIDDEN


def test_months_hide_a_small_month_and_one_more(dataset):
    payload = q1_2025(dataset.group)
    months = {r["key"]: r["cells"][0] for r in table(payload, "monthly")["rows"]}
    assert months["2025-02"] == HIDDEN  # two companies
    assert months["total"] == shown(10, 6)
    # With the total shown, February alone hidden would be 10 - Jan - Mar.
    assert [months["2025-01"], months["2025-03"]].count(HIDDEN) == 1


def test_open_resolved_and_median_days_to_a_workaround(dataset):
    payload = q1_2025(dataset.group)
    assert cell(payload, "status", "open", "reports") == shown(7, 6)
    assert cell(payload, "status", "resolved", "reports") == shown(3, 3)
    assert cell(payload, "status", "workaround_found", "reports") == HIDDEN
    assert cell(payload, "workaround_time", "2025-Q1", "median_days") == shown(20, 3)


def test_confirmations_count_companies_that_hit_it_too(dataset):
    payload = q1_2025(dataset.group)
    assert cell(payload, "confirmations", "rejected_format", "confirmations") == shown(3, 3)
    assert payload["summary"]["confirmations"] == shown(3, 3)


def test_confirmations_count_by_the_day_given_whenever_the_report_was_published(dataset):
    """Reports of the period, of the period before (read for rising problems) and long
    before it (read only for their confirmations) count alike; confirmations given
    before or after the period do not."""
    d = date
    old = dataset.report(0, "jaggaer", "onboarding", d(2023, 6, 1))
    before = dataset.report(1, "sap-business-network", "skipped", d(2024, 12, 5))
    for c in (1, 2, 3):
        dataset.confirm(old, c, d(2025, 3, 5))
    for c in (2, 3, 4):
        dataset.confirm(before, c, d(2025, 1, 15))
    dataset.confirm(old, 4, d(2024, 12, 20))
    dataset.confirm(before, 5, d(2025, 4, 2))
    db.session.commit()
    payload = q1_2025(dataset.group)
    assert cell(payload, "confirmations", "onboarding", "confirmations") == shown(3, 3)
    assert cell(payload, "confirmations", "skipped", "confirmations") == shown(3, 3)
    assert cell(payload, "confirmations", "rejected_format", "confirmations") == shown(3, 3)
    assert payload["summary"]["confirmations"] == shown(9, 7)


def test_customers_as_the_naming_policy_allows(dataset):
    payload = q1_2025(dataset.group)
    buyers = table(payload, "buyers")
    assert buyers["title"] == "Customers with the most reports"
    acme = buyers["rows"][0]
    assert (acme["label"], acme["cells"][0]) == ("Acme Corp", shown(5, 4))
    assert cell(payload, "buyers", "none", "reports") == shown(5, 5)
    dataset.group.customer_naming = CustomerNaming.NOT_NAMED
    db.session.commit()
    assert "buyers" not in [t["id"] for t in q1_2025(dataset.group)["tables"]]


def test_a_frozen_customer_table_is_not_shown_once_the_policy_is_stricter(dataset):
    payload = q1_2025(dataset.group)
    dataset.group.customer_naming = CustomerNaming.INDUSTRY_ONLY
    assert "buyers" not in [t["id"] for t in for_viewing(payload, dataset.group)["tables"]]
    dataset.group.customer_naming = CustomerNaming.NAMED
    assert for_viewing(payload, dataset.group) is payload


def test_fee_sizes_of_one_company_stay_hidden(dataset):
    payload = q1_2025(dataset.group)
    fees = table(payload, "fees")
    assert all(c == HIDDEN for row in fees["rows"] for c in row["cells"])


def test_fee_sizes_with_a_dominant_company_are_hidden(tg):
    d = date(2025, 2, 1)
    for c in range(4):
        tg.report(c, "coupa", "fees", d, fee_kind="subscription", fee_size_band="1k-10k")
    for c in range(4, 8):
        tg.report(c, "coupa", "fees", d, fee_kind="subscription")
    tg.report(0, "coupa", "fees", d, fee_kind="subscription", fee_size_band="1k-10k")
    db.session.commit()
    payload = q1_2025(tg.group)
    # Five "$1k-10k" reports from four companies, two of them from one: 40% > 25%.
    assert cell(payload, "fees", "subscription", "1k-10k") == HIDDEN
    # Counts that say nothing about sizes are plain counts.
    assert cell(payload, "fees", "total", "total") == shown(9, 8)


def test_rising_problems_need_support_in_both_periods(dataset):
    rising = {(i["kind"], i["key"]): i for i in q1_2025(dataset.group)["rising"]}
    up = rising[("cell", "coupa:rejected_format")]
    assert (up["trend"], up["change"], up["previous"]) == ("up", 2, shown(3, 3))
    newly = rising[("portal", "sap-business-network")]
    assert (newly["trend"], newly["change"], newly["previous"]) == ("newly_shown", None, HIDDEN)
    assert ("portal", "coupa") not in rising  # hidden now: not enough to say anything


def test_longer_periods_add_up_quarters_only_when_every_part_is_shown(dataset):
    payload = build_report(
        dataset.group, span_between(date(2024, 10, 1), date(2025, 3, 1), today=TODAY), TODAY
    )
    assert cell(payload, "heat_map", "coupa", "rejected_format") == shown(8, 4)
    # 2024-Q4's SAP report (one company) is hidden, so the sum is too.
    assert cell(payload, "heat_map", "sap-business-network", "skipped") == HIDDEN
    assert cell(payload, "portals_by_quarter", "coupa", "2024-Q4") == shown(3, 3)
    assert cell(payload, "categories_by_quarter", "skipped", "2025-Q1") == shown(3, 3)
    assert "other" not in [r["key"] for r in table(payload, "heat_map")["rows"]]


def test_a_group_with_fewer_than_k_companies_gets_an_explanation(factory):
    small = build_trend_group(factory, companies=2, threshold=3, slug="tiny")
    small.report(0, "coupa", "fees", date(2025, 2, 1))
    db.session.commit()
    payload = q1_2025(small.group)
    assert payload["available"] is False
    assert "2 member companies" in payload["explanation"] and "at least 3" in payload["explanation"]
    assert payload["tables"] == [] and payload["rising"] == []


def test_the_threshold_follows_the_group(dataset):
    dataset.group.anonymity_threshold = 5
    db.session.commit()
    payload = q1_2025(dataset.group)
    assert payload["threshold"] == 5 and payload["hidden_label"] == "fewer than 5"
    assert cell(payload, "heat_map", "total", "rejected_format") == HIDDEN  # four companies
    assert payload["summary"]["new_reports"] == shown(10, 6)
