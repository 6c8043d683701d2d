"""The trend pages: who may read them, what they show (and hide), charts, exports,
snapshots and bad input."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.reports.models import Report
from credgroup.trends.models import TrendSnapshot

Q1 = "/g/steel/trends?period=quarter&from=2025-01"
SVG = "{http://www.w3.org/2000/svg}"


def signed_in(make_browser, user):
    browser = make_browser()
    browser.login(user.email)
    return browser


def text(response) -> str:
    return response.get_data(as_text=True)


def identity_traces(tg) -> list[str]:
    traces = [c.name for c in tg.companies] + [m.email for m in tg.members]
    traces += [m.name for m in tg.members]
    for row in db.session.execute(sa.select(Report.company_pseudonym, Report.author_pseudonym)):
        traces += [row[0], row[1], row[0][:16]]
    return traces


def test_members_facilitators_and_admins_read_the_trends(dataset, make_browser):
    for user in (dataset.members[0], dataset.facilitator, dataset.admin):
        response = signed_in(make_browser, user).get(Q1)
        assert response.status_code == 200
        assert "Trends in Steel Credit Group: Q1 2025" in text(response)


def test_outsiders_get_404_everywhere_and_visitors_are_sent_to_sign_in(
    dataset,
    make_browser,
    client,
):
    outsider = signed_in(make_browser, dataset.outsider)
    for url in (
        Q1,
        "/g/steel/trends/export.csv",
        "/g/steel/trends/export.json?period=custom&from=2025-03&to=2025-01",
        "/g/steel/trends/snapshots",
        "/g/nope/trends",
    ):
        assert outsider.get(url).status_code == 404, url
    response = client.get(Q1)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_hidden_figures_read_fewer_than_k_in_page_csv_and_json(dataset, make_browser):
    member = signed_in(make_browser, dataset.members[1])
    page = text(member.get(Q1))
    assert "fewer than 3" in page and "means fewer than 3 member companies" in page
    rows = list(
        csv.DictReader(io.StringIO(text(member.get(Q1.replace("trends?", "trends/export.csv?")))))
    )
    fees = next(
        r for r in rows if (r["table"], r["row"], r["column"]) == ("heat_map", "coupa", "fees")
    )
    assert (fees["value"], fees["companies"]) == ("fewer than 3", "")
    rejected = next(
        r
        for r in rows
        if (r["table"], r["row"], r["column"]) == ("heat_map", "coupa", "rejected_format")
    )
    assert (rejected["value"], rejected["companies"]) == ("5", "4")
    response = member.get(Q1.replace("trends?", "trends/export.json?"))
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    payload = json.loads(text(response))
    heat = next(t for t in payload["tables"] if t["id"] == "heat_map")
    coupa = next(r for r in heat["rows"] if r["key"] == "coupa")
    assert coupa["cells"][4] == {"value": None, "companies": None}  # fees


def test_no_company_person_or_pseudonym_in_pages_or_exports(dataset, make_browser):
    facilitator = signed_in(make_browser, dataset.facilitator)
    bodies = [
        text(facilitator.get(url))
        for url in (
            Q1,
            Q1.replace("trends?", "trends/export.csv?"),
            Q1.replace("trends?", "trends/export.json?"),
            "/trends/friction-index?from=2024-10&to=2025-03",
        )
    ]
    for trace in identity_traces(dataset):
        for body in bodies:
            assert trace not in body


def test_charts_are_valid_svg_with_a_title_a_description_and_a_data_table(
    dataset,
    make_browser,
):
    page = text(signed_in(make_browser, dataset.members[0]).get(Q1))
    charts = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(charts) == 3  # rising problems, months, heat map
    for chart in charts:
        root = ET.fromstring(chart)  # noqa: S314 - our own markup
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        labelled = root.get("aria-labelledby").split()
        ids = {el.get("id") for el in root.iter() if el.get("id")}
        assert set(labelled) <= ids
        assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
        for element in root.iter():
            assert "style" not in element.attrib
            assert element.tag not in (f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject")
    for table_id in ("table-rising", "table-monthly", "table-heat_map"):
        assert f'id="{table_id}"' in page


def test_pages_carry_no_inline_style_or_script(dataset, make_browser):
    browser = signed_in(make_browser, dataset.facilitator)
    for url in (Q1, "/trends/friction-index", "/g/steel/trends/snapshots"):
        page = text(browser.get(url))
        assert " style=" not in page and "<style" not in page
        assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/site.js" defer>']


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=custom&from=2025-03&to=2025-01", "The period ends before it starts."),
        ("period=quarter&from=2025-13", "There is no such month"),
        ("period=custom&from=yesterday", "Give a month as YYYY-MM"),
        ("period=fortnight", "Choose a month, a quarter or custom months."),
        ("period=quarter&from=2099-01", "That period has not started yet."),
    ],
)
def test_bad_periods_are_shown_next_to_the_picker(dataset, make_browser, query, message):
    browser = signed_in(make_browser, dataset.members[0])
    response = browser.get(f"/g/steel/trends?{query}")
    assert response.status_code == 422
    assert message in text(response) and "error-summary" in text(response)
    export = browser.get(f"/g/steel/trends/export.csv?{query}")
    assert export.status_code == 422 and message in text(export)


def test_a_group_below_the_threshold_gets_an_explanation(dataset, make_browser):
    dataset.group.anonymity_threshold = 9
    db.session.commit()
    page = text(signed_in(make_browser, dataset.members[0]).get(Q1))
    assert "No trend report for this group" in page
    assert "8 member companies" in page and "<svg" not in page


def test_a_month_request_says_it_shows_the_whole_quarter(dataset, make_browser):
    page = text(
        signed_in(make_browser, dataset.members[0]).get("/g/steel/trends?period=month&from=2025-02")
    )
    assert "You asked for February 2025; this report covers Q1 2025" in page


def freeze(browser):
    """What the "Freeze this report" button on the Q1 2025 page sends."""
    page = text(browser.get(Q1))
    assert "Freeze this report" in page
    return browser.post_form(
        Q1,
        {"period": "quarter", "from": "2025-01", "to": "2025-03"},
        action="/g/steel/trends/snapshots",
    )


def test_a_facilitator_freezes_a_snapshot_that_never_changes(dataset, make_browser):
    facilitator = signed_in(make_browser, dataset.facilitator)
    response = freeze(facilitator)
    assert response.status_code == 303
    snapshot_url = response.headers["Location"]
    before = text(facilitator.get(snapshot_url))
    assert "5 <span" in before or ">5<" in before
    frozen_json = text(facilitator.get(snapshot_url + "/export.json"))
    # More reports arrive in the quarter: the live report moves, the snapshot does not.
    for c in (4, 5, 6, 7):
        dataset.report(c, "coupa", "rejected_format", date(2025, 3, 20))
    db.session.commit()
    live = json.loads(text(facilitator.get(Q1.replace("trends?", "trends/export.json?"))))
    assert live["summary"]["new_reports"]["value"] == 14
    assert text(facilitator.get(snapshot_url + "/export.json")) == frozen_json
    assert json.loads(frozen_json)["summary"]["new_reports"]["value"] == 10
    listing = text(facilitator.get("/g/steel/trends/snapshots"))
    assert "Q1 2025" in listing and snapshot_url.rsplit("/", 1)[1] in listing
    member = signed_in(make_browser, dataset.members[0])
    assert member.get(snapshot_url).status_code == 200
    assert text(member.get(snapshot_url + "/export.csv")).startswith("table,row,")
    public_id = snapshot_url.rsplit("/", 1)[1]
    assert member.get(f"/trends/snapshots/{public_id}").headers["Location"].endswith(snapshot_url)
    outsider = signed_in(make_browser, dataset.outsider)
    assert outsider.get(snapshot_url).status_code == 404
    assert outsider.get(f"/trends/snapshots/{public_id}").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(TrendSnapshot.id))) == 1


def test_members_see_no_freeze_button_and_cannot_freeze(dataset, make_browser):
    member = signed_in(make_browser, dataset.members[0])
    assert "Freeze this report" not in text(member.get(Q1))
    response = member.post_form(
        Q1, {"period": "quarter", "from": "2025-01"}, action="/g/steel/trends/snapshots"
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(TrendSnapshot.id))) == 0


def test_a_stale_freeze_form_is_refused_without_saving(dataset, make_browser):
    facilitator = signed_in(make_browser, dataset.facilitator)
    response = facilitator.client.post("/g/steel/trends/snapshots", data={"period": "quarter"})
    assert response.status_code in (400, 422)
    assert db.session.scalar(sa.select(sa.func.count(TrendSnapshot.id))) == 0


def test_unknown_snapshots_are_404(dataset, make_browser):
    member = signed_in(make_browser, dataset.members[0])
    for url in (
        "/g/steel/trends/snapshots/nope",
        "/trends/snapshots/" + "x" * 300,
        "/g/steel/trends/snapshots/nope/export.csv",
    ):
        assert member.get(url).status_code == 404


def test_the_friction_index_page_is_for_every_member(dataset, make_browser):
    page = signed_in(make_browser, dataset.outsider).get(
        "/trends/friction-index?from=2025-01&to=2025-03"
    )
    assert page.status_code == 200
    body = text(page)
    assert "Portal friction index" in body and "Coupa" in body
    assert "<svg" in body and 'id="table-friction"' in body
    bad = signed_in(make_browser, dataset.members[0]).get(
        "/trends/friction-index?from=2025-05&to=2025-01"
    )
    assert bad.status_code == 422 and "ends before it starts" in text(bad)


def test_the_portal_page_shows_the_trend_reports_figures(tg, make_browser):
    today = date.today()
    for c in range(4):
        tg.report(c, "coupa", "fees", today)
    for c in range(4, 7):
        tg.report(c, "sap-business-network", "skipped", today)
    tg.report(7, "jaggaer", "capacity", today)
    db.session.commit()
    member = signed_in(make_browser, tg.members[0])
    trends = json.loads(text(member.get("/g/steel/trends/export.json")))
    heat = next(t for t in trends["tables"] if t["id"] == "heat_map")
    columns = [c["key"] for c in heat["columns"]]
    portal = text(member.get("/portals/coupa"))
    assert "this quarter" in portal
    coupa = next(r for r in heat["rows"] if r["key"] == "coupa")
    for label, key in (
        ("Fees charged to the supplier", "fees"),
        ("Rejected or incompatible invoice", "rejected_format"),
    ):
        shown = re.search(rf"{label}</th>\s*<td>(.*?)</td>", portal, re.S).group(1)
        value = coupa["cells"][columns.index(key)]["value"]
        assert shown.strip() == str(value) if value is not None else "fewer than 3" in shown
    assert coupa["cells"][columns.index("fees")]["value"] == 4
    # A portal without a row of its own in the trend report shows nothing either.
    jaggaer = text(member.get("/portals/jaggaer"))
    capacity = re.search(r"Volume, size or line limits</th>\s*<td>(.*?)</td>", jaggaer, re.S)
    assert "fewer than 3" in capacity.group(1)
