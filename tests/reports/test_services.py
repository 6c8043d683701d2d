"""Report services: posting with scrubbing, the antitrust check, confirming, discussing,
asking the reporter, review and merging."""

from __future__ import annotations

import pytest

from credgroup.errors import Conflict, NotFound, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.reports import authoring, discussion, queries, review
from credgroup.reports.enums import ConfirmationKind, ContributionState, ReportStatus
from credgroup.reports.presenters import report_detail
from tests.reports.conftest import REPORT_DATA


def publish(rg, user=None, **changes):
    report = authoring.publish_report(user or rg.alice, rg.group, {**REPORT_DATA, **changes})
    db.session.commit()
    return report


def test_published_report_has_the_company_name_and_numbers_redacted(reporting_group):
    report = publish(reporting_group)
    assert report.state is ContributionState.PUBLISHED
    assert "Northfield" not in report.body and "4500012345" not in report.body
    assert "[redacted: company]" in report.body and "[redacted: number]" in report.body
    assert report.redactions == {"company": 1, "number": 1}
    assert report.portal.slug == "sap-business-network"  # "Ariba" is an alias


def test_preview_offers_redactions_and_author_may_keep_some(reporting_group):
    rg = reporting_group
    preview = authoring.preview_texts(rg.alice, rg.group, {"body": REPORT_DATA["body"]})
    kinds = {f.kind for f in preview.findings["body"]}
    assert kinds == {"company", "number"}
    keep_number = [k for k in preview.all_keys if ":company:" in k]
    report = authoring.publish_report(rg.alice, rg.group, REPORT_DATA, redact_keys=keep_number)
    assert "4500012345" in report.body and "Northfield" not in report.body


def test_boycott_wording_is_refused_or_sent_to_review(reporting_group):
    rg = reporting_group
    data = {**REPORT_DATA, "body": "Let's all stop using their Ariba until they fix it."}
    with pytest.raises(authoring.NeedsRewording) as raised:
        authoring.publish_report(rg.alice, rg.group, data)
    assert raised.value.flags[0].kind == "boycott"
    db.session.rollback()
    report = authoring.publish_report(rg.alice, rg.group, data, send_to_review=True)
    db.session.commit()
    assert report.state is ContributionState.IN_REVIEW
    with pytest.raises(NotFound):
        queries.get_report(rg.bob, report.public_id)
    assert report in review.review_queue(rg.facilitator, "building-materials").reports
    review.approve_report(rg.facilitator, report, edits={"body": "The invoices were rejected."})
    db.session.commit()
    assert queries.get_report(rg.bob, report.public_id).body == "The invoices were rejected."


def test_naming_policy_refuses_a_customer_name(reporting_group):
    with pytest.raises(ValidationError) as raised:
        authoring.publish_report(
            reporting_group.alice, reporting_group.group, {**REPORT_DATA, "buyer_name": "Acme"}
        )
    assert raised.value.field == "buyer_name"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"category": "prices"}, "category"),
        ({"invoices_band": "lots"}, "invoices_band"),
        ({"incident_month": "2099-01"}, "incident_month"),
        ({"incident_month": "March"}, "incident_month"),
        ({"portal": ""}, "portal"),
        ({"body": "x" * 20_001}, "body"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(reporting_group, change, field):
    from credgroup.reports.models import Report

    with pytest.raises(ValidationError) as raised:
        authoring.publish_report(
            reporting_group.alice, reporting_group.group, {**REPORT_DATA, **change}
        )
    db.session.rollback()
    assert raised.value.field == field
    assert db.session.query(Report).count() == 0


def test_outsiders_and_staff_cannot_post(reporting_group):
    rg = reporting_group
    for user in (rg.outsider, rg.facilitator, rg.admin):
        with pytest.raises(PermissionDenied):
            authoring.publish_report(user, rg.group, REPORT_DATA)


def test_one_confirmation_per_company_and_not_by_the_reporting_company(reporting_group):
    rg = reporting_group
    report = publish(rg)
    discussion.confirm(rg.bob, report, ConfirmationKind.HIT_TOO)
    with pytest.raises(Conflict):
        discussion.confirm(rg.bob, report, ConfirmationKind.HIT_TOO)
    with pytest.raises(Conflict):
        discussion.confirm(rg.alice_colleague, report, ConfirmationKind.HIT_TOO)
    discussion.confirm(rg.carol, report, ConfirmationKind.WORKAROUND_WORKED)
    counts = discussion.confirmation_counts(report)
    assert counts[ConfirmationKind.HIT_TOO] == 1
    assert counts[ConfirmationKind.WORKAROUND_WORKED] == 1


def test_discussion_labels_are_consistent_and_per_report(reporting_group):
    rg = reporting_group
    first = publish(rg)
    second = publish(
        rg, user=rg.bob, title="Status stuck in Sent for weeks", category="status_stale"
    )
    discussion.post_comment(rg.bob, first, "Same here with cXML.")
    discussion.post_comment(rg.carol, first, "We used the PO flip instead.")
    discussion.post_comment(rg.alice, first, "Thanks, trying that.")
    discussion.post_comment(rg.bob, first, "Did it work?")
    discussion.post_comment(rg.facilitator, first, "Let's cover this at the meeting.")
    discussion.post_comment(rg.alice, second, "We see it too.")
    db.session.commit()
    authors = [c["author"] for c in report_detail(rg.carol, first)["comments"]]
    assert authors == ["Member A", "Member B", "Reporter", "Member A", "Facilitator"]
    assert [c["author"] for c in report_detail(rg.carol, second)["comments"]] == ["Member A"]


def test_asking_the_reporter_keeps_both_sides_anonymous(reporting_group):
    rg = reporting_group
    report = publish(rg)
    question = discussion.ask_reporter(rg.bob, report, "Which cXML version did you use?")
    db.session.commit()
    as_reporter = report_detail(rg.alice, report)["questions"]
    assert as_reporter[0]["asked_by"] == "A member" and as_reporter[0]["can_answer"]
    assert report_detail(rg.carol, report)["questions"] == []
    with pytest.raises(NotFound):
        discussion.answer_question(rg.carol, question, "1.2.060")
    discussion.answer_question(rg.alice, question, "1.2.060", share_with_group=True)
    db.session.commit()
    assert report_detail(rg.carol, report)["questions"][0]["answer"] == "1.2.060"


def test_authorship_is_never_confirmed_to_others(reporting_group):
    rg = reporting_group
    report = publish(rg)
    for user in (rg.bob, rg.facilitator, rg.admin, rg.alice_colleague):
        with pytest.raises(NotFound):
            authoring.withdraw_report(user, report)
    authoring.withdraw_report(rg.alice, report)
    db.session.commit()
    with pytest.raises(NotFound):
        queries.get_report(rg.bob, report.public_id)
    assert report in authoring.drafts_and_own_reports(rg.alice)
    assert authoring.drafts_and_own_reports(rg.alice_colleague) == []


def test_outsiders_cannot_see_a_groups_reports(reporting_group):
    report = publish(reporting_group)
    with pytest.raises(NotFound):
        queries.get_report(reporting_group.outsider, report.public_id)
    with pytest.raises(NotFound):
        queries.list_reports(
            reporting_group.outsider, "building-materials", queries.ReportFilters()
        )


def test_merging_carries_confirmations_and_counts_the_duplicate_reporter(reporting_group):
    rg = reporting_group
    original = publish(rg)
    duplicate = publish(rg, user=rg.bob, title="INV-15 rejections on Ariba again")
    discussion.confirm(rg.carol, duplicate, ConfirmationKind.HIT_TOO)
    review.merge_reports(rg.facilitator, duplicate, original)
    db.session.commit()
    assert discussion.confirmation_counts(original)[ConfirmationKind.HIT_TOO] == 2
    assert duplicate.state is ContributionState.MERGED


def test_filters_sort_and_paginate(reporting_group):
    rg = reporting_group
    publish(rg)
    publish(rg, user=rg.bob, portal="Coupa", category="fees", title="Coupa fee tier invoice")
    filters = queries.ReportFilters.from_args({"portal": "coupa"})
    _, page = queries.list_reports(rg.carol, "building-materials", filters)
    assert [r.title for r in page.items] == ["Coupa fee tier invoice"]
    with pytest.raises(ValidationError):
        queries.ReportFilters.from_args({"since": "2026-05", "until": "2026-01"})


def test_status_changes_by_reporter_or_facilitator_only(reporting_group):
    rg = reporting_group
    report = publish(rg)
    with pytest.raises(PermissionDenied):
        authoring.change_status(rg.bob, report, ReportStatus.RESOLVED)
    authoring.change_status(rg.facilitator, report, ReportStatus.RESOLVED)
    assert report.status is ReportStatus.RESOLVED
