"""The report pages refuse bad input clearly (4xx, message, nothing saved), follow the group's
naming policy, and route flagged wording to the facilitator."""

from __future__ import annotations

import re
from functools import partial

import pytest

from credgroup.extensions import db
from credgroup.groups.models import CustomerNaming
from credgroup.reports.enums import ContributionState
from credgroup.reports.models import Report, ReportComment, ReportConfirmation, ReportQuestion
from tests.reports.test_pages_support import (
    CSV,
    FORM_DATA,
    LIST,
    NEW,
    browser_for,
    count,
    detail_url,
    offered_keys,
    page_text,
    preview_choice,
    publish_through_pages,
    report_by_id,
)


@pytest.fixture
def signed_in(make_browser):
    return partial(browser_for, make_browser)


def set_naming(group, policy: CustomerNaming) -> None:
    group.customer_naming = policy
    db.session.commit()


# --- the naming policy ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "name_field", "industry_field", "explanation"),
    [
        (CustomerNaming.NAMED, True, True, "may name the customer"),
        (CustomerNaming.INDUSTRY_ONLY, False, True, "names only the customer's industry"),
        (CustomerNaming.NOT_NAMED, False, False, "does not name customers"),
    ],
)
def test_customer_fields_follow_the_naming_policy(
    reporting_group, signed_in, policy, name_field, industry_field, explanation
):
    set_naming(reporting_group.group, policy)
    alice = signed_in(reporting_group.alice)
    form = alice.get(NEW)
    html = form.get_data(as_text=True)
    assert ('name="buyer_name"' in html) is name_field
    assert ('name="buyer_industry"' in html) is industry_field
    assert explanation in page_text(form)
    listing = alice.get(LIST).get_data(as_text=True)
    assert ('name="buyer"' in listing) is (policy is not CustomerNaming.NOT_NAMED)


def test_a_hand_posted_customer_name_is_dropped_where_names_are_not_allowed(
    reporting_group, signed_in
):
    public_id = publish_through_pages(
        signed_in(reporting_group.alice), buyer_name="Acme Home Centers"
    )
    assert report_by_id(public_id).buyer_name == ""


def test_a_named_customer_is_shown_where_the_group_names_customers(reporting_group, signed_in):
    set_naming(reporting_group.group, CustomerNaming.NAMED)
    alice = signed_in(reporting_group.alice)
    public_id = publish_through_pages(alice, buyer_name="Acme Home Centers")
    bob = signed_in(reporting_group.bob)
    assert "Acme Home Centers" in page_text(bob.get(f"/reports/{public_id}"))
    assert "Acme Home Centers" in page_text(bob.get(f"{LIST}?buyer=acme"))
    # A stricter policy later hides the name everywhere, filters included.
    set_naming(reporting_group.group, CustomerNaming.INDUSTRY_ONLY)
    assert "Acme Home Centers" not in page_text(bob.get(f"/reports/{public_id}"))
    assert "0 reports" in page_text(bob.get(f"{LIST}?buyer=acme"))


# --- antitrust and defamation ------------------------------------------------------------------

BOYCOTT = "Let's all stop using their Ariba until they fix it."


def test_flagged_wording_is_explained_then_sent_to_review(reporting_group, signed_in):
    rg = reporting_group
    alice = signed_in(rg.alice)
    data = {**FORM_DATA, "body": BOYCOTT}

    refused = alice.post_form(NEW, {**data, "action": "publish"})
    text = page_text(refused)
    assert refused.status_code == 422
    assert BOYCOTT in text
    assert "No refusing to deal and no collective action" in text
    assert rg.group.antitrust_statement.split(".")[0] in text
    assert "Send to the facilitator for review" in text
    assert count(Report) == 0

    choice = preview_choice(refused)
    sent = alice.post_form(NEW, {**data, **choice, "send_to_review": "y", "action": "publish"})
    assert sent.status_code == 302
    report = report_by_id(sent.headers["Location"].rsplit("/", 1)[1])
    assert report.state is ContributionState.IN_REVIEW
    assert signed_in(rg.bob).get(detail_url(report)).status_code == 404
    assert BOYCOTT not in page_text(signed_in(rg.bob).get(LIST))
    assert "Waiting for the facilitator (1)" in page_text(alice.get("/my/reports"))
    assert "Wording the facilitator is looking at" in page_text(alice.get(detail_url(report)))


def test_the_preview_shows_flags_and_the_statement(reporting_group, signed_in):
    preview = signed_in(reporting_group.alice).post_form(
        NEW, {**FORM_DATA, "body": "Their AP team are crooks.", "action": "preview"}
    )
    text = page_text(preview)
    assert preview.status_code == 200
    assert "State facts, not opinions" in text
    assert "The group's anti-defamation statement" in text
    assert count(Report) == 0


def test_the_form_shows_the_antitrust_statement(reporting_group, signed_in):
    text = page_text(signed_in(reporting_group.alice).get(NEW))
    assert "the group's antitrust statement" in text
    assert reporting_group.group.antitrust_statement.split(".")[0] in text
    for label in ("Save draft", "Preview", "Publish", "For fee reports only"):
        assert label in text


# --- bad input on the report form ----------------------------------------------------------------


TEXT_INPUTS = {"title": "text", "incident_month": "month", "portal_other": "text"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Give the report a title."),
        ({"title": "abc"}, "A title has 5 to 200 characters."),
        ({"title": "x" * 201}, "A title has 5 to 200 characters."),
        ({"body": "x" * 20_001}, "At most 20,000 characters."),
        ({"error_message": "x" * 4_001}, "At most 4,000 characters."),
        ({"incident_month": "March"}, "Give the month as YYYY-MM"),
        ({"incident_month": "2026-13"}, "Give the month as YYYY-MM"),
        ({"incident_month": "2099-01"}, "The month must be in the past"),
        ({"category": "prices"}, "Not a valid choice"),
        ({"category": ""}, "Choose a category."),
        ({"invoices_band": "lots"}, "Not a valid choice"),
        ({"status": "closed"}, "Not a valid choice"),
        ({"portal": ""}, "Choose the portal, or type its name."),
        ({"portal_other": "My Own Portal"}, "not both"),
        ({"portal": "", "portal_other": "x" * 121}, "At most 120 characters."),
    ],
)
@pytest.mark.parametrize("action", ["draft", "preview", "publish"])
def test_bad_report_input_is_refused_with_a_message(
    reporting_group, signed_in, change, message, action
):
    response = signed_in(reporting_group.alice).post_form(
        NEW, {**FORM_DATA, **change, "action": action}
    )
    assert response.status_code == 422
    text = page_text(response)
    assert message in text
    assert "Please correct" in text  # the error summary
    kept = {k: v for k, v in change.items() if k in TEXT_INPUTS and v and len(v) < 100}
    for name, value in kept.items():  # the person's input is shown again
        pattern = f'name="{name}"[^>]*type="{TEXT_INPUTS[name]}" value="{re.escape(value)}"'
        assert re.search(pattern, response.get_data(as_text=True)), name
    assert count(Report) == 0


def test_a_month_given_as_yyyy_mm_is_accepted(reporting_group, signed_in):
    public_id = publish_through_pages(signed_in(reporting_group.alice), incident_month="2025-11")
    assert report_by_id(public_id).incident_month.isoformat() == "2025-11-01"


def test_an_unlisted_portal_is_named_in_the_other_box(reporting_group, signed_in):
    public_id = publish_through_pages(
        signed_in(reporting_group.alice), portal="", portal_other="Acme Supplier Hub"
    )
    report = report_by_id(public_id)
    assert report.portal.name == "Acme Supplier Hub" and not report.portal.listed


def test_unknown_reports_are_404_everywhere(reporting_group, signed_in):
    alice = signed_in(reporting_group.alice)
    assert alice.get("/reports/no-such-report").status_code == 404
    assert alice.get("/reports/no-such-report/edit").status_code == 404
    for action in ("comments", "questions", "status", "confirm", "withdraw"):
        response = alice.post_form(LIST, {"body": "x"}, action=f"/reports/no-such-report/{action}")
        assert response.status_code == 404, action


def test_staff_cannot_open_the_report_form(reporting_group, signed_in):
    for person in (reporting_group.facilitator, reporting_group.admin):
        response = signed_in(person).get(NEW)
        assert response.status_code == 403
        assert "member companies can post reports" in page_text(response)


def test_others_cannot_edit_or_withdraw_a_report(reporting_group, signed_in):
    rg = reporting_group
    public_id = publish_through_pages(signed_in(rg.alice))
    for person in (rg.bob, rg.alice_colleague, rg.facilitator, rg.admin):
        browser = signed_in(person)
        assert browser.get(f"/reports/{public_id}/edit").status_code == 404
        response = browser.post_form(LIST, {}, action=f"/reports/{public_id}/withdraw")
        assert response.status_code == 404
    assert report_by_id(public_id).state is ContributionState.PUBLISHED


# --- bad input on the report page's forms ------------------------------------------------------


@pytest.fixture
def published(reporting_group, signed_in) -> str:
    return detail_url(report_by_id(publish_through_pages(signed_in(reporting_group.alice))))


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("comments", {"body": "", "action": "publish"}, "Write something first."),
        ("comments", {"body": "x" * 10_001, "action": "publish"}, "At most 10,000 characters."),
        ("questions", {"question": "   "}, "Write your question first."),
        ("questions", {"question": "x" * 4_001}, "At most 4,000 characters."),
        ("status", {"status": "closed"}, "Not a valid choice"),
        ("confirm", {"kind": "love_it"}, "Unknown kind of confirmation."),
        ("confirm/withdraw", {"kind": "hit_too"}, "Your company has not confirmed this."),
    ],
)
def test_bad_input_on_the_report_page_is_refused(
    reporting_group, signed_in, published, action, data, message
):
    response = signed_in(reporting_group.bob).post_form(
        published, data, action=f"{published}/{action}"
    )
    assert 400 <= response.status_code < 500
    assert message in page_text(response)
    assert count(ReportComment) == count(ReportQuestion) == count(ReportConfirmation) == 0


def test_only_the_reporter_or_a_facilitator_changes_the_status(
    reporting_group, signed_in, published
):
    response = signed_in(reporting_group.bob).post_form(
        published, {"status": "resolved"}, action=f"{published}/status"
    )
    assert response.status_code == 403
    assert "Only the reporter or a facilitator" in page_text(response)
    by_facilitator = signed_in(reporting_group.facilitator).post_form(
        published, {"status": "resolved"}, action=f"{published}/status"
    )
    assert by_facilitator.status_code == 302


def test_the_reporting_company_is_not_offered_we_hit_this_too(
    reporting_group, signed_in, published
):
    button = ">We hit this too</button>"
    assert button in signed_in(reporting_group.bob).get(published).get_data(as_text=True)
    colleague = signed_in(reporting_group.alice_colleague)
    assert button not in colleague.get(published).get_data(as_text=True)
    refused = colleague.post_form(published, {"kind": "hit_too"}, action=f"{published}/confirm")
    assert refused.status_code == 409
    assert "Your company reported this" in page_text(refused)


def test_only_the_reporter_answers_questions(reporting_group, signed_in, published):
    rg = reporting_group
    ask = {"question": "Which version?"}
    signed_in(rg.bob).post_form(published, ask, action=f"{published}/questions")
    question = report_by_id(published.rsplit("/", 1)[1]).questions[0]
    url = f"{published}/questions/{question.public_id}/answer"
    field = f"q-{question.public_id}-answer"
    carol = signed_in(rg.carol)
    assert carol.post_form(published, {field: "1.2"}, action=url).status_code == 404
    empty = signed_in(rg.alice).post_form(published, {field: ""}, action=url)
    assert empty.status_code == 422 and "Write your answer first." in page_text(empty)
    assert report_by_id(published.rsplit("/", 1)[1]).questions[0].answer == ""


@pytest.mark.parametrize("last", ["_", "-", "x"])
def test_an_answer_field_is_named_the_same_whatever_the_question_id_ends_with(
    reporting_group, signed_in, published, last
):
    """Public ids may end in "_" or "-"; the answer form's field names must not change shape."""
    rg = reporting_group
    signed_in(rg.bob).post_form(
        published, {"question": "Which version?"}, action=f"{published}/questions"
    )
    question = report_by_id(published.rsplit("/", 1)[1]).questions[0]
    question.public_id = question.public_id[:-1] + last
    db.session.commit()
    html = signed_in(rg.alice).get(published).get_data(as_text=True)
    assert f'name="q-{question.public_id}-answer"' in html
    url = f"{published}/questions/{question.public_id}/answer"
    answered = signed_in(rg.alice).post_form(
        published, {f"q-{question.public_id}-answer": "Version 1.2."}, action=url
    )
    assert answered.status_code == 302
    assert report_by_id(published.rsplit("/", 1)[1]).questions[0].answer == "Version 1.2."


def test_comment_preview_offers_redaction_of_the_company_name(
    reporting_group, signed_in, published
):
    alice_colleague = signed_in(reporting_group.alice_colleague)
    body = "At Northfield Aggregates we saw the same; call 555-123-4567."
    preview = alice_colleague.post_form(
        published, {"body": body, "action": "preview"}, action=f"{published}/comments"
    )
    assert preview.status_code == 200
    assert "Redact “Northfield Aggregates” (your company's name)" in page_text(preview)
    assert count(ReportComment) == 0
    keys = offered_keys(preview)
    assert any(":phone:" in k for k in keys)
    choice = preview_choice(preview, keep=lambda key: ":phone:" in key)
    posted = alice_colleague.post_form(
        published, {"body": body, **choice, "action": "publish"}, action=f"{published}/comments"
    )
    assert posted.status_code == 302
    stored = db.session.scalar(db.select(ReportComment.body))
    assert "Northfield" not in stored and "555-123-4567" in stored


def test_a_flagged_answer_cannot_be_shared_but_may_go_to_the_asker(
    reporting_group, signed_in, published
):
    rg = reporting_group
    ask = {"question": "How did you get paid?"}
    signed_in(rg.bob).post_form(published, ask, action=f"{published}/questions")
    question = report_by_id(published.rsplit("/", 1)[1]).questions[0]
    url = f"{published}/questions/{question.public_id}/answer"
    prefix = f"q-{question.public_id}"
    answer = {f"{prefix}-answer": "We will stop shipping to them next month."}
    alice = signed_in(rg.alice)
    refused = alice.post_form(published, {**answer, f"{prefix}-share_with_group": "y"}, action=url)
    assert refused.status_code == 422
    text = page_text(refused)
    assert "Only past facts" in text and "The group's antitrust statement" in text
    assert report_by_id(published.rsplit("/", 1)[1]).questions[0].answer == ""
    assert alice.post_form(published, answer, action=url).status_code == 302
    assert report_by_id(published.rsplit("/", 1)[1]).questions[0].answer_public is False


@pytest.mark.parametrize("field", ["title", "body", "portal_other", "incident_month"])
def test_a_nul_character_anywhere_is_a_400_not_a_database_error(reporting_group, signed_in, field):
    alice = signed_in(reporting_group.alice)
    data = {
        **FORM_DATA,
        field: "Bad\x00 value",
        "portal": "" if field == "portal_other" else "coupa",
    }
    for action in ("draft", "preview", "publish"):
        response = alice.post_form(NEW, {**data, "action": action})
        assert response.status_code == 400
        assert "NUL character" in page_text(response)
    for url in (f"{LIST}?q=a%00b", f"{CSV}?buyer=%00"):
        assert alice.get(url).status_code == 400
    assert alice.get("/reports/ab%00c").status_code == 400
    assert count(Report) == 0
