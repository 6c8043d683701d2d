"""The report pages as an attacker sees them: outsiders get 404 everywhere, and nobody else
finds any trace of who reported (name, email, company, pseudonym) in pages or the CSV."""

from __future__ import annotations

import csv
import io
import re
from functools import partial

import pytest

from credgroup.extensions import db
from credgroup.groups.models import CustomerNaming
from credgroup.reports import discussion
from credgroup.reports.csv_export import safe_cell
from credgroup.reports.enums import ConfirmationKind
from credgroup.reports.views import mark_redactions
from tests.reports.test_pages_support import (
    CSV,
    FORM_DATA,
    LIST,
    NEW,
    all_pseudonyms,
    browser_for,
    detail_url,
    page_text,
    publish_through_pages,
    report_by_id,
)


@pytest.fixture
def signed_in(make_browser):
    return partial(browser_for, make_browser)


@pytest.fixture
def alices_activity(reporting_group, signed_in):
    """Alice reports, comments, answers; others confirm, comment and ask."""
    rg = reporting_group
    alice = signed_in(rg.alice)
    public_id = publish_through_pages(alice)
    second_id = publish_through_pages(
        alice, title="Coupa status stuck in Approved", category="status_stale", portal="coupa"
    )
    report = report_by_id(public_id)
    url = detail_url(report)
    reply = {"body": "We reposted with the payloadID.", "action": "publish"}
    alice.post_form(url, reply, action=f"{url}/comments")
    bob = signed_in(rg.bob)
    bob.post_form(url, {"kind": "hit_too"}, action=f"{url}/confirm")
    bob.post_form(url, {"body": "Same for us.", "action": "publish"}, action=f"{url}/comments")
    bob.post_form(url, {"question": "Which buyer config?"}, action=f"{url}/questions")
    discussion.confirm(rg.carol, report, ConfirmationKind.WORKAROUND_WORKED)
    discussion.ask_reporter(rg.facilitator, report, "Can we discuss this at the meeting?")
    db.session.commit()
    question = report_by_id(public_id).questions[0]
    prefix = f"q-{question.public_id}"
    answer = {f"{prefix}-answer": "The default one.", f"{prefix}-share_with_group": "y"}
    alice.post_form(url, answer, action=f"{url}/questions/{question.public_id}/answer")
    return [public_id, second_id]


TRACES = ["Alice", "Archer", "alice@northfield.example", "Northfield", "NFA", "Ned Norris"]


def assert_no_trace(text: str, where: str, extra: set[str], viewer=None) -> None:
    # The viewer's own name is in the navigation; Ned works at Northfield but is not Alice.
    own = {viewer.name} if viewer is not None else set()
    for trace in {*TRACES, *extra} - own:
        # Whole words only: random tokens on the page (CSRF, ids) may contain "NFA" by chance.
        found = re.search(rf"(?<![\w-]){re.escape(trace)}(?![\w-])", text, re.IGNORECASE)
        assert not found, f"{trace!r} found in {where}"


@pytest.mark.parametrize("viewer", ["bob", "facilitator", "admin", "alice_colleague"])
def test_no_trace_of_the_reporter_in_pages_or_the_csv(
    reporting_group, signed_in, alices_activity, viewer
):
    rg = reporting_group
    extra = {*all_pseudonyms(), rg.alice.public_id, rg.alice.company.name}
    assert len(extra) > 5
    person = getattr(rg, viewer)
    browser = signed_in(person)
    urls = [LIST, f"{LIST}?sort=most_confirmed", f"{LIST}?q=INV", CSV, "/reports", "/my/reports"]
    urls += [detail_url(report_by_id(i)) for i in alices_activity]
    for url in urls:
        response = browser.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert_no_trace(body, url, extra, person)
        headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
        assert_no_trace(headers, url, extra, person)


def test_the_reporter_is_a_label_to_the_others(reporting_group, signed_in, alices_activity):
    url = detail_url(report_by_id(alices_activity[0]))
    text = page_text(signed_in(reporting_group.carol).get(url))
    assert "Reporter · " in text and "Member A · " in text
    assert "The default one." in text  # the shared answer
    assert "Which buyer config?" in text


OUTSIDER_URLS = [LIST, CSV, NEW, f"{LIST}?category=fees"]


def test_outsiders_get_404_on_every_report_page(reporting_group, signed_in, alices_activity):
    outsider = signed_in(reporting_group.outsider)
    urls = [*OUTSIDER_URLS, *(detail_url(report_by_id(i)) for i in alices_activity)]
    urls += [f"/reports/{alices_activity[0]}/edit"]
    for url in urls:
        response = outsider.get(url)
        assert response.status_code == 404, url
        assert_no_trace(response.get_data(as_text=True), url, set())
    url = detail_url(report_by_id(alices_activity[0]))
    for action in ("confirm", "comments", "questions", "status"):
        response = outsider.post_form("/my/reports", {"kind": "hit_too"}, action=f"{url}/{action}")
        assert response.status_code == 404, action
    assert outsider.get("/g/no-such-group/reports").status_code == 404


def test_visitors_are_sent_to_sign_in(client, reporting_group):
    for url in (LIST, CSV, NEW, "/my/reports", "/reports/anything"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- the CSV export -------------------------------------------------------------------------------


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_csv_is_an_attachment_with_the_list_columns(reporting_group, signed_in, alices_activity):
    response = signed_in(reporting_group.bob).get(CSV)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="building-materials-reports.csv"'
    )
    rows = read_csv(response)
    assert list(rows[0]) == [
        "id", "published_on", "portal", "buyer_industry", "category", "status", "title",
        "channel", "invoices_band", "amount_band", "fee_kind", "fee_size_band",
        "incident_month", "hit_too", "workaround_worked",
    ]  # fmt: skip
    first = next(r for r in rows if r["id"] == alices_activity[0])
    assert first["portal"] == "SAP Business Network"
    assert first["hit_too"] == "1" and first["workaround_worked"] == "1"
    assert (
        first["incident_month"] == "2026-03"
        and first["buyer_industry"] == FORM_DATA["buyer_industry"]
    )


def test_csv_follows_filters_and_the_naming_policy(reporting_group, signed_in, alices_activity):
    rg = reporting_group
    rows = read_csv(signed_in(rg.bob).get(f"{CSV}?category=status_stale"))
    assert [r["id"] for r in rows] == [alices_activity[1]]
    rg.group.customer_naming = CustomerNaming.NOT_NAMED
    db.session.commit()
    rows = read_csv(signed_in(rg.bob).get(CSV))
    assert "buyer_industry" not in rows[0] and "buyer_name" not in rows[0]


def test_csv_with_a_bad_filter_is_a_400(reporting_group, signed_in):
    response = signed_in(reporting_group.bob).get(f"{CSV}?since=2026-13")
    assert response.status_code == 400
    assert "YYYY-MM" in page_text(response)


def test_csv_cells_cannot_become_spreadsheet_formulas(reporting_group, signed_in):
    alice = signed_in(reporting_group.alice)
    publish_through_pages(alice, title='=HYPERLINK("http://evil.example","x")')
    publish_through_pages(alice, title="@SUM(A1:A9) on every invoice")
    titles = sorted(r["title"] for r in read_csv(signed_in(reporting_group.bob).get(CSV)))
    assert [t[:2] for t in titles] == ["'=", "'@"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (None, ""),
        (3, "3"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


# --- list filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("category=prices", "Unknown category."),
        ("status=closed", "Unknown status."),
        ("sort=cheapest", "Sort by one of"),
        ("since=2026-13", "Give the month as YYYY-MM"),
        ("since=2026-05&until=2026-01", "The end month is before the start month."),
        ("until=2099-01", "The month must be in the past"),
        ("page=0", "The page number must be a whole number"),
        ("page=abc", "The page number must be a whole number"),
        ("page=%C2%B2", "The page number must be a whole number"),
        ("page=99999999999999999999", "The page number must be a whole number"),
    ],
)
def test_bad_filters_show_the_page_with_a_400(reporting_group, signed_in, query, message):
    response = signed_in(reporting_group.bob).get(f"{LIST}?{query}")
    assert response.status_code == 400
    text = page_text(response)
    assert message in text and "Filter and sort" in text


def test_filters_sort_and_paginate(reporting_group, signed_in):
    rg = reporting_group
    alice = signed_in(rg.alice)
    for n in range(26):
        publish_through_pages(alice, title=f"Rejected invoice batch number {n:02d}")
    publish_through_pages(alice, title="Coupa fee tier charged", category="fees", portal="coupa")
    bob = signed_in(rg.bob)
    first = page_text(bob.get(LIST))
    assert "27 reports" in first and "Page 1 of 2" in first
    assert "Next →" in first
    second = bob.get(f"{LIST}?page=2&category=rejected_format")
    assert "26 reports" in page_text(second) and "Page 2 of 2" in page_text(second)
    only_fees = page_text(bob.get(f"{LIST}?portal=coupa"))
    assert "1 report " in only_fees and "Coupa fee tier charged" in only_fees
    searched = page_text(bob.get(f"{LIST}?q=batch+07"))
    assert "1 report " in searched and "number 07" in searched
    assert "0 reports" in page_text(bob.get(f"{LIST}?since=2020-01&until=2020-12"))


def test_redaction_markers_are_highlighted_and_text_is_escaped():
    marked = mark_redactions("<b>Hi</b> from [redacted: company]")
    assert str(marked) == "&lt;b&gt;Hi&lt;/b&gt; from <mark>[redacted: company]</mark>"


def test_group_panel_shows_latest_reports(reporting_group, signed_in, app):
    from flask import render_template_string
    from flask_login import login_user

    publish_through_pages(signed_in(reporting_group.alice))
    with app.test_request_context():
        login_user(reporting_group.bob)
        html = render_template_string(
            '{% include "reports/_group_panel.html" %}', group=reporting_group.group
        )
    assert "1 published report, 1 still open." in " ".join(html.split())
    assert FORM_DATA["title"] in html and "Report a problem" in html


def test_facilitator_sees_a_report_waiting_for_review_without_its_author(
    reporting_group, signed_in
):
    rg = reporting_group
    public_id = publish_through_pages(
        signed_in(rg.alice), body="Let's all stop using their Ariba.", send_to_review="y"
    )
    url = detail_url(report_by_id(public_id))
    extra = {*all_pseudonyms(), rg.alice.public_id}
    for person in (rg.facilitator, rg.admin):
        page = signed_in(person).get(url)
        assert page.status_code == 200
        assert "Waiting for the facilitator" in page_text(page)
        assert "Wording the facilitator is looking at" not in page_text(page)  # author's box
        assert_no_trace(page.get_data(as_text=True), url, extra, person)
    for person in (rg.bob, rg.outsider):
        assert signed_in(person).get(url).status_code == 404
