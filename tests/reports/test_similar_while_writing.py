"""The report form's "Already reported?" box while writing (reports.report_similar): what
static/js/similar-reports.js asks for as the member picks the portal and types the title."""

from __future__ import annotations

from functools import partial

import pytest
import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.reports import authoring, queries
from credgroup.reports.models import Report
from tests.reports.conftest import REPORT_DATA
from tests.reports.test_pages_support import (
    FORM_DATA,
    browser_for,
    page_text,
    publish_through_pages,
)

SIMILAR = "/g/building-materials/reports/similar"


@pytest.fixture
def signed_in(make_browser):
    return partial(browser_for, make_browser)


def test_reports_on_the_same_portal_are_suggested_while_writing(reporting_group, signed_in):
    rg = reporting_group
    existing = publish_through_pages(signed_in(rg.bob), title="INV-15 rejections for cXML")
    carol = signed_in(rg.carol)
    response = carol.get(SIMILAR, query_string={"portal": FORM_DATA["portal"]})
    assert response.status_code == 200
    assert "Already reported?" in page_text(response)
    assert f'href="/reports/{existing}"' in response.get_data(as_text=True)
    # A bare box to put into the form, never a page of its own.
    assert "<html" not in response.get_data(as_text=True)


def test_a_typed_portal_name_or_alias_finds_the_same_reports(reporting_group, signed_in):
    rg = reporting_group
    existing = publish_through_pages(signed_in(rg.bob))
    response = signed_in(rg.carol).get(SIMILAR, query_string={"portal_other": "Ariba"})
    assert f'href="/reports/{existing}"' in response.get_data(as_text=True)


def test_nothing_similar_gives_an_empty_box(reporting_group, signed_in):
    rg = reporting_group
    publish_through_pages(signed_in(rg.bob))
    response = signed_in(rg.carol).get(SIMILAR, query_string={"portal": "coupa"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip() == ""


def test_the_report_being_edited_is_not_suggested_to_its_author(reporting_group, signed_in):
    rg = reporting_group
    bob = signed_in(rg.bob)
    mine = publish_through_pages(bob)
    response = bob.get(SIMILAR, query_string={"portal": FORM_DATA["portal"], "report": mine})
    assert f"/reports/{mine}" not in response.get_data(as_text=True)


def test_only_members_of_the_group_get_suggestions(reporting_group, signed_in):
    rg = reporting_group
    publish_through_pages(signed_in(rg.bob))
    query = {"portal": FORM_DATA["portal"]}
    assert signed_in(rg.outsider).get(SIMILAR, query_string=query).status_code == 404
    staff = signed_in(rg.facilitator).get(SIMILAR, query_string=query)
    assert staff.status_code == 403
    assert "/reports/" not in staff.get_data(as_text=True)


def test_the_form_loads_the_script_and_has_the_box(reporting_group, signed_in):
    page = signed_in(reporting_group.carol).get("/g/building-materials/reports/new")
    html = page.get_data(as_text=True)
    assert 'src="/static/js/similar-reports.js"' in html
    assert f'data-similar-url="{SIMILAR}"' in html


def test_the_best_match_is_found_among_many_weaker_ones(reporting_group):
    """Hundreds of reports on the same portal must not hide the one that also shares the
    category and the title's words (a LIMIT before ranking once read an arbitrary 200)."""
    rg = reporting_group
    weaker = authoring.publish_report(
        rg.bob, rg.group, {**REPORT_DATA, "category": "fees", "title": "Supplier fee charged"}
    )
    columns = [c.key for c in sa.inspect(Report).column_attrs if c.key not in {"id", "public_id"}]
    db.session.add_all(Report(**{k: getattr(weaker, k) for k in columns}) for _ in range(210))
    best = authoring.publish_report(
        rg.bob, rg.group, {**REPORT_DATA, "title": "INV-15 rejections for cXML orders"}
    )
    db.session.commit()
    found = queries.similar_reports(
        rg.carol,
        rg.group,
        portal_id=best.portal_id,
        category=best.category.value,
        title="Rejections INV-15 on cXML orders",
    )
    assert found[0] == best and len(found) == 5
