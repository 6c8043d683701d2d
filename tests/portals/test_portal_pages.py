"""The portal catalogue pages members read: the list, one portal with its open reports and
per-category counts, merged portals' old addresses."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.portals.services import get_portal, merge_portal, resolve_portal, save_portal
from credgroup.reports import authoring
from credgroup.reports.models import Report
from tests.portals.test_stats import FEE_REPORT


@pytest.fixture
def as_bob(reporting_group, browser):
    browser.login(reporting_group.bob.email)
    return browser


def fees_row(html: str) -> str:
    """The count cell of the fees row in the first group's table."""
    match = re.search(r"Fees charged to the supplier</th>\s*<td>(.*?)</td>", html, re.S)
    assert match, "no fees row"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_visitor_is_sent_to_sign_in(reporting_group, client):
    response = client.get("/portals/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_list_shows_listed_portals_with_their_other_names(reporting_group, as_bob):
    resolve_portal("Acme Payables Hub")  # named by a member, not listed
    db.session.commit()
    html = as_bob.get("/portals/").get_data(as_text=True)
    assert "SAP Business Network" in html and "Ariba Network" in html
    assert 'href="/portals/sap-business-network"' in html
    assert "Acme Payables Hub" not in html


def test_detail_shows_aliases_website_and_fees_as_sanitised_markdown(reporting_group, as_bob):
    save_portal(
        reporting_group.admin,
        None,
        name="Acme Pay",
        vendor="Acme Corp",
        aliases=["AcmePay Network"],
        website="https://acmepay.example",
        fees_summary="**Free** for suppliers.<script>alert(1)</script>",
    )
    db.session.commit()
    response = as_bob.get("/portals/acme-pay")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Acme Corp" in html and "AcmePay Network" in html
    assert 'href="https://acmepay.example"' in html
    assert "<strong>Free</strong>" in html and "<script>alert" not in html


def test_unknown_portal_is_not_found(reporting_group, as_bob):
    assert as_bob.get("/portals/no-such-portal").status_code == 404


def test_merged_portal_address_redirects_to_where_it_lives_now(reporting_group, as_bob):
    named = resolve_portal("Acme Payables Hub")
    merge_portal(reporting_group.admin, named, get_portal("coupa"))
    db.session.commit()
    response = as_bob.get(f"/portals/{named.slug}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/portals/coupa")


def test_detail_lists_open_reports_of_the_viewers_groups(reporting_group, as_bob, make_browser):
    rg = reporting_group
    report = authoring.publish_report(rg.alice, rg.group, FEE_REPORT)
    db.session.commit()
    html = as_bob.get("/portals/coupa").get_data(as_text=True)
    assert FEE_REPORT["title"] in html and f"/reports/{report.public_id}" in html
    assert "Northfield" not in html and rg.alice.name not in html
    for pseudonym in db.session.execute(
        sa.select(Report.author_pseudonym, Report.company_pseudonym)
    ).one():
        assert pseudonym not in html

    outsider = make_browser()
    outsider.login(rg.outsider.email)
    assert FEE_REPORT["title"] not in outsider.get("/portals/coupa").get_data(as_text=True)


def test_category_count_hidden_below_threshold_and_shown_from_it(reporting_group, as_bob):
    rg = reporting_group
    rg.group.anonymity_threshold = 3
    db.session.commit()
    for person in (rg.alice, rg.bob):
        authoring.publish_report(person, rg.group, FEE_REPORT)
    db.session.commit()
    assert fees_row(as_bob.get("/portals/coupa").get_data(as_text=True)) == (
        "fewer than 3 companies"
    )
    authoring.publish_report(rg.carol, rg.group, FEE_REPORT)
    db.session.commit()
    assert fees_row(as_bob.get("/portals/coupa").get_data(as_text=True)) == "3"
