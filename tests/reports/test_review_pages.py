"""The facilitator's review pages: the queue, approving (with edits) and rejecting reports and
comments, moderating and merging published reports, and that no page shows who wrote what."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import render_template
from flask_login import login_user

from credgroup.audit.models import AuditEvent
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.reports import authoring, discussion
from credgroup.reports.enums import ConfirmationKind, ContributionState
from credgroup.reports.models import Report, ReportComment, ReportConfirmation
from tests.reports.conftest import REPORT_DATA

QUEUE = "/g/building-materials/review"
FLAGGED_BODY = (
    "Let's all stop using their Ariba until they fix it. Northfield Aggregates lost a week."
)
BOYCOTT_COMMENT = "We should all refuse to use their portal from now on."


def flagged_report(rg, user=None, **changes):
    data = {**REPORT_DATA, "body": FLAGGED_BODY, **changes}
    report = authoring.publish_report(user or rg.alice, rg.group, data, send_to_review=True)
    db.session.commit()
    return report


def published_report(rg, user=None, **changes):
    if user is not None:
        # The shared payload names Alice's company, which only her own posts redact.
        changes.setdefault("body", "Every invoice for the same PO came back.")
    report = authoring.publish_report(user or rg.alice, rg.group, {**REPORT_DATA, **changes})
    db.session.commit()
    return report


def flagged_comment(rg, report, user=None, body=BOYCOTT_COMMENT):
    comment = discussion.post_comment(user or rg.bob, report, body, send_to_review=True)
    db.session.commit()
    return comment


def texts_of(report: Report, **changes) -> dict[str, str]:
    return {
        "title": report.title,
        "body": report.body,
        "error_message": report.error_message,
        "workaround": report.workaround,
        "note": "",
        **changes,
    }


def moderate_url(report: Report, action: str = "moderate") -> str:
    return f"{QUEUE}/reports/{report.public_id}/{action}"


@pytest.fixture
def as_facilitator(reporting_group, browser):
    browser.login(reporting_group.facilitator.email)
    return browser


# --- who may see the queue --------------------------------------------------------------------


def test_member_of_the_group_is_refused_the_review_queue(reporting_group, browser):
    browser.login(reporting_group.alice.email)
    assert browser.get(QUEUE).status_code == 403


def test_member_of_another_group_cannot_learn_the_queue_exists(reporting_group, browser):
    browser.login(reporting_group.outsider.email)
    assert browser.get(QUEUE).status_code == 404


def test_facilitator_of_another_group_gets_not_found(reporting_group, factory, browser):
    other = factory.group(slug="chemicals")
    stranger = factory.facilitator(groups=[other], email="sam@association.example")
    browser.login(stranger.email)
    assert browser.get(QUEUE).status_code == 404
    report = flagged_report(reporting_group)
    approve = f"{QUEUE}/reports/{report.public_id}/approve"
    assert browser.client.post(approve, data={"title": "x"}).status_code in (400, 404)
    db.session.refresh(report)
    assert report.state is ContributionState.IN_REVIEW


def test_admin_sees_every_groups_queue(reporting_group, browser):
    flagged_report(reporting_group)
    browser.login(reporting_group.admin.email)
    response = browser.get(QUEUE)
    assert response.status_code == 200
    assert "Reports waiting (1)" in response.get_data(as_text=True)


def test_visitor_is_sent_to_sign_in(reporting_group, client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_member_cannot_approve_by_posting_directly(reporting_group, browser):
    report = flagged_report(reporting_group)
    browser.login(reporting_group.bob.email)
    response = browser.post_form(
        "/", texts_of(report), action=f"{QUEUE}/reports/{report.public_id}/approve"
    )
    assert response.status_code == 403
    db.session.refresh(report)
    assert report.state is ContributionState.IN_REVIEW


# --- reports in the queue ---------------------------------------------------------------------


def test_queue_shows_flags_and_full_text(reporting_group, as_facilitator):
    report = flagged_report(reporting_group)
    html = as_facilitator.get(QUEUE).get_data(as_text=True)
    assert report.title in html
    assert "Boycott" in html and "Let&#39;s all stop using their Ariba" in html
    assert "No refusing to deal" in html  # the rule's explanation
    assert "INV-15 customer does not accept invoices" in html  # the error message
    assert "[redacted: company]" in html
    assert f'id="approve-{report.public_id}-body"' in html  # unique ids per item


def test_approving_with_an_edit_publishes_the_edited_text(reporting_group, as_facilitator):
    rg = reporting_group
    report = flagged_report(rg)
    response = as_facilitator.post_form(
        QUEUE,
        texts_of(report, body="The invoices were rejected for three weeks."),
        action=f"{QUEUE}/reports/{report.public_id}/approve",
    )
    assert response.status_code == 302
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert report.state is ContributionState.PUBLISHED
    assert report.body == "The invoices were rejected for three weeks."
    assert report.title == REPORT_DATA["title"]  # unchanged fields stay as they were
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "report.approve"))
    assert event is not None
    assert "Reports waiting (0)" in as_facilitator.get(QUEUE).get_data(as_text=True)


def test_approving_with_a_too_short_title_keeps_the_input_and_publishes_nothing(
    reporting_group, as_facilitator
):
    report = flagged_report(reporting_group)
    response = as_facilitator.post_form(
        QUEUE,
        texts_of(report, title="Hm", body="An edited body the facilitator typed."),
        action=f"{QUEUE}/reports/{report.public_id}/approve",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "error-summary" in html and "An edited body the facilitator typed." in html
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert report.state is ContributionState.IN_REVIEW and report.body != "An edited body"


def test_rejecting_needs_a_note_and_the_note_reaches_the_author(reporting_group, as_facilitator):
    rg = reporting_group
    report = flagged_report(rg)
    reject = f"{QUEUE}/reports/{report.public_id}/reject"
    response = as_facilitator.post_form(QUEUE, {"note": "  "}, action=reject)
    assert response.status_code == 422
    assert "Tell the author why" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Report, report.id).state is ContributionState.IN_REVIEW

    note = "Please describe what happened without calling for a boycott."
    response = as_facilitator.post_form(QUEUE, {"note": note}, action=reject)
    assert response.status_code == 302
    db.session.expire_all()
    own = {r.public_id: r for r in authoring.drafts_and_own_reports(rg.alice)}
    assert own[report.public_id].state is ContributionState.REJECTED
    assert own[report.public_id].facilitator_note == note


def test_acting_on_a_report_no_longer_waiting_is_not_found(reporting_group, as_facilitator):
    report = published_report(reporting_group)
    response = as_facilitator.post_form(
        QUEUE, {"note": "Why"}, action=f"{QUEUE}/reports/{report.public_id}/reject"
    )
    assert response.status_code == 404
    db.session.refresh(report)
    assert report.state is ContributionState.PUBLISHED


# --- comments in the queue --------------------------------------------------------------------


def test_comment_is_approved_with_an_edit(reporting_group, as_facilitator):
    rg = reporting_group
    comment = flagged_comment(rg, published_report(rg))
    html = as_facilitator.get(QUEUE).get_data(as_text=True)
    assert "Comments waiting (1)" in html and "refuse to use their portal" in html
    assert f"/reports/{comment.report.public_id}" in html  # the discussion, for context
    response = as_facilitator.post_form(
        QUEUE,
        {"body": "Their portal rejected ours too."},
        action=f"{QUEUE}/comments/{comment.public_id}/approve",
    )
    assert response.status_code == 302
    db.session.expire_all()
    comment = db.session.get(ReportComment, comment.id)
    assert comment.state is ContributionState.PUBLISHED
    assert comment.body == "Their portal rejected ours too."


def test_comment_rejection_needs_a_note(reporting_group, as_facilitator):
    rg = reporting_group
    comment = flagged_comment(rg, published_report(rg))
    reject = f"{QUEUE}/comments/{comment.public_id}/reject"
    assert as_facilitator.post_form(QUEUE, {"note": ""}, action=reject).status_code == 422
    response = as_facilitator.post_form(
        QUEUE, {"note": "No calls to refuse, please."}, action=reject
    )
    assert response.status_code == 302
    db.session.expire_all()
    comment = db.session.get(ReportComment, comment.id)
    assert comment.state is ContributionState.REJECTED
    assert comment.facilitator_note == "No calls to refuse, please."


def test_empty_comment_edit_is_refused(reporting_group, as_facilitator):
    rg = reporting_group
    comment = flagged_comment(rg, published_report(rg))
    response = as_facilitator.post_form(
        QUEUE, {"body": ""}, action=f"{QUEUE}/comments/{comment.public_id}/approve"
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(ReportComment, comment.id).state is ContributionState.IN_REVIEW


# --- moderating and merging published reports -----------------------------------------------


def test_facilitator_redacts_a_published_report(reporting_group, as_facilitator):
    report = published_report(reporting_group)
    page = moderate_url(report)
    assert as_facilitator.get(page).status_code == 200
    redacted = report.error_message.replace("Ariba SN", "[redacted]")
    response = as_facilitator.post_form(page, texts_of(report, error_message=redacted))
    assert response.status_code == 302
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert report.error_message == redacted and report.state is ContributionState.PUBLISHED
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "report.moderate"))


def test_moderating_without_a_change_says_so(reporting_group, as_facilitator):
    report = published_report(reporting_group)
    response = as_facilitator.post_form(moderate_url(report), texts_of(report))
    assert response.status_code == 422
    assert "Nothing was changed." in response.get_data(as_text=True)


def test_members_cannot_moderate(reporting_group, browser):
    report = published_report(reporting_group)
    browser.login(reporting_group.bob.email)
    assert browser.get(moderate_url(report)).status_code == 403


def test_merging_a_duplicate_through_the_page(reporting_group, as_facilitator):
    rg = reporting_group
    original = published_report(rg)
    duplicate = published_report(rg, rg.bob, title="Ariba rejects our invoices with INV-15")
    page = moderate_url(duplicate)
    html = as_facilitator.get(page).get_data(as_text=True)
    assert f"{original.title} ({original.public_id})" in html
    assert (
        as_facilitator.post_form(
            page, {"target": ""}, action=moderate_url(duplicate, "merge")
        ).status_code
        == 422
    )
    response = as_facilitator.post_form(
        page, {"target": original.public_id}, action=moderate_url(duplicate, "merge")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Report, duplicate.id).state is ContributionState.MERGED
    hits = db.session.scalars(
        sa.select(ReportConfirmation).where(
            ReportConfirmation.report_id == original.id,
            ReportConfirmation.kind == ConfirmationKind.HIT_TOO,
        )
    ).all()
    assert len(hits) == 1  # Bob's company now counts as having hit it too


def test_merge_target_from_another_group_is_refused(reporting_group, as_facilitator):
    rg = reporting_group
    report = published_report(rg)
    food = db.session.scalar(sa.select(CreditGroup).where(CreditGroup.slug == "food"))
    elsewhere = authoring.publish_report(rg.outsider, food, REPORT_DATA)
    db.session.commit()
    response = as_facilitator.post_form(
        moderate_url(report),
        {"target": elsewhere.public_id},
        action=moderate_url(report, "merge"),
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Report, report.id).state is ContributionState.PUBLISHED


def test_taking_down_a_published_report_relays_the_note(reporting_group, as_facilitator):
    rg = reporting_group
    report = published_report(rg)
    page = moderate_url(report)
    action = moderate_url(report, "take-down")
    assert as_facilitator.post_form(page, {"note": ""}, action=action).status_code == 422
    assert (
        as_facilitator.post_form(page, {"note": "Names a customer."}, action=action).status_code
        == 302
    )
    db.session.expire_all()
    own = {r.public_id: r for r in authoring.drafts_and_own_reports(rg.alice)}
    assert own[report.public_id].state is ContributionState.REJECTED
    assert own[report.public_id].facilitator_note == "Names a customer."


def test_published_list_links_to_moderation(reporting_group, as_facilitator):
    report = published_report(reporting_group)
    html = as_facilitator.get(f"{QUEUE}/published").get_data(as_text=True)
    assert moderate_url(report) in html


# --- nobody learns who wrote what -------------------------------------------------------------


def identity_traces(rg) -> list[str]:
    """Everything that would point at the authors (Alice and Bob) or their companies."""
    traces = [
        "Northfield",
        "Granite Ridge",
        rg.alice.name,
        rg.alice.email,
        rg.alice_colleague.name,
        rg.bob.name,
        rg.bob.email,
    ]
    for model in (Report, ReportComment, ReportConfirmation):
        for row in db.session.scalars(sa.select(model)):
            traces += [row.author_pseudonym, row.company_pseudonym]
    return [t for t in traces if t]


def test_no_review_page_shows_who_wrote_anything(reporting_group, as_facilitator):
    rg = reporting_group
    published = published_report(rg)
    duplicate = published_report(rg, rg.bob, title="Ariba rejects our invoices again")
    flagged_report(rg)
    flagged_comment(rg, published)
    failed = as_facilitator.post_form(
        moderate_url(published), texts_of(published, title="No")
    ).get_data(as_text=True)
    pages = [
        as_facilitator.get(QUEUE).get_data(as_text=True),
        as_facilitator.get(f"{QUEUE}/published").get_data(as_text=True),
        as_facilitator.get(moderate_url(published)).get_data(as_text=True),
        as_facilitator.get(moderate_url(duplicate)).get_data(as_text=True),
        failed,
    ]
    traces = identity_traces(rg)
    assert len(traces) > 7  # the pseudonyms were found
    for html in pages:
        for trace in traces:
            assert trace not in html


def test_review_link_shows_the_count_to_facilitators_only(reporting_group, app):
    rg = reporting_group
    flagged_report(rg)
    with app.test_request_context("/"):
        login_user(rg.facilitator)
        html = render_template("reports/review_nav.html", group=rg.group)
        assert f'href="{QUEUE}"' in html and ">1<" in html
    with app.test_request_context("/"):
        login_user(rg.alice)
        assert render_template("reports/review_nav.html", group=rg.group).strip() == ""
