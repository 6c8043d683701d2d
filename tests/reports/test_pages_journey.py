"""The member journey through the report pages: draft, preview with redaction, publish,
confirm, discuss, ask the reporter, answer, change the status, withdraw."""

from __future__ import annotations

from functools import partial

import pytest

from credgroup.reports.enums import ContributionState, ReportStatus
from credgroup.reports.models import Report, ReportConfirmation
from tests.reports.test_pages_support import (
    FORM_DATA,
    LIST,
    NEW,
    browser_for,
    count,
    detail_url,
    location_id,
    page_text,
    preview_choice,
    publish_through_pages,
    report_by_id,
)


@pytest.fixture
def signed_in(make_browser):
    return partial(browser_for, make_browser)


def test_member_journey_from_draft_to_withdrawal(reporting_group, signed_in):
    rg = reporting_group
    alice, bob, carol = signed_in(rg.alice), signed_in(rg.bob), signed_in(rg.carol)

    # A draft is kept for its author alone.
    saved = alice.post_form(NEW, {**FORM_DATA, "action": "draft"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/edit")
    public_id = location_id(saved)
    assert report_by_id(public_id).state is ContributionState.DRAFT
    assert bob.get(f"/reports/{public_id}").status_code == 404
    edit = f"/reports/{public_id}/edit"

    # The preview finds the company's name and the PO number and offers to redact them.
    preview = alice.post_form(edit, {**FORM_DATA, "action": "preview"})
    text = page_text(preview)
    assert preview.status_code == 200
    assert "Redact “Northfield Aggregates” (your company's name)" in text
    assert "Redact “4500012345” (an invoice, PO or account number)" in text

    # Publish with the company redacted but the PO number kept (its box unticked).
    choice = preview_choice(preview, keep=lambda key: ":number:" in key)
    published = alice.post_form(edit, {**FORM_DATA, **choice, "action": "publish"})
    assert published.status_code == 302
    report = report_by_id(public_id)
    assert report.state is ContributionState.PUBLISHED
    assert "Northfield" not in report.body and "[redacted: company]" in report.body
    assert "4500012345" in report.body
    assert report.redactions == {"company": 1}

    # It appears in the group's list for the others.
    listing = page_text(bob.get(LIST))
    assert FORM_DATA["title"] in listing and "0 hit this too" in listing
    page = bob.get(detail_url(report))
    assert page.status_code == 200
    assert "<mark>[redacted: company]</mark>" in page.get_data(as_text=True)
    assert "We hit this too" in page_text(page)

    # Bob's company confirms once; a second time is a clear 409.
    url = detail_url(report)
    first = bob.post_form(url, {"kind": "hit_too"}, action=f"{url}/confirm")
    assert first.status_code == 302
    again = bob.post_form(url, {"kind": "hit_too"}, action=f"{url}/confirm")
    assert again.status_code == 409
    assert "Your company has already confirmed this." in page_text(again)
    assert count(ReportConfirmation) == 1
    assert "1 company hit this too" in page_text(carol.get(url))
    assert "Take back “We hit this too”" in page_text(bob.get(url))

    # Discussion: people appear as labels, consistently, and see "(you)" on their own.
    for browser, body in ((bob, "Same with cXML here."), (carol, "The PO flip worked.")):
        posted = browser.post_form(
            url, {"body": body, "action": "publish"}, action=f"{url}/comments"
        )
        assert posted.status_code == 302
    thanks = {"body": "Thanks, trying it.", "action": "publish"}
    alice.post_form(url, thanks, action=f"{url}/comments")
    as_carol = page_text(carol.get(url))
    assert "Member A · " in as_carol and "Member B (you)" in as_carol
    assert "Reporter · " in as_carol and "Thanks, trying it." in as_carol
    as_alice = page_text(alice.get(url))
    assert "Reporter (you)" in as_alice and "Mark as the workaround" in as_alice

    # The reporter marks Carol's comment as the workaround.
    carol_comment = next(c for c in report_by_id(public_id).comments if "PO flip" in c.body)
    marked = alice.post_form(
        url, {"value": "1"}, action=f"{url}/comments/{carol_comment.public_id}/workaround"
    )
    assert marked.status_code == 302
    assert report_by_id(public_id).status is ReportStatus.WORKAROUND_FOUND
    assert "Workaround</span>" in carol.get(url).get_data(as_text=True)

    # Carol asks the reporter; the form is not offered to the reporter herself.
    assert "Ask the reporter" not in page_text(alice.get(url))
    asked = carol.post_form(
        url, {"question": "Which cXML version did you use?"}, action=f"{url}/questions"
    )
    assert asked.status_code == 302
    assert "Which cXML version" not in page_text(bob.get(url))
    as_alice = page_text(alice.get(url))
    assert "A member asked" in as_alice and "Which cXML version did you use?" in as_alice
    question = report_by_id(public_id).questions[0]
    prefix = f"q-{question.public_id}"
    answered = alice.post_form(
        url,
        {f"{prefix}-answer": "Version 1.2.060.", f"{prefix}-share_with_group": "y"},
        action=f"{url}/questions/{question.public_id}/answer",
    )
    assert answered.status_code == 302
    assert "Version 1.2.060." in page_text(carol.get(url))
    assert "Version 1.2.060." in page_text(bob.get(url))  # shared with the group

    # The reporter changes the status; Bob is not offered the form.
    assert "Change the status" not in page_text(bob.get(url))
    changed = alice.post_form(url, {"status": "resolved"}, action=f"{url}/status")
    assert changed.status_code == 302
    assert report_by_id(public_id).status is ReportStatus.RESOLVED

    # Withdrawn: gone for the others, listed for the author.
    withdrawn = alice.post_form(url, {}, action=f"{url}/withdraw")
    assert withdrawn.status_code == 302 and withdrawn.headers["Location"].endswith("/my/reports")
    assert bob.get(url).status_code == 404
    assert FORM_DATA["title"] not in page_text(bob.get(LIST))
    mine = page_text(alice.get("/my/reports"))
    assert "Withdrawn (1)" in mine and FORM_DATA["title"] in mine


def test_publishing_without_preview_redacts_everything_found(reporting_group, signed_in):
    public_id = publish_through_pages(signed_in(reporting_group.alice))
    report = report_by_id(public_id)
    assert "Northfield" not in report.body and "4500012345" not in report.body
    assert report.redactions == {"company": 1, "number": 1}


def test_text_changed_after_the_preview_is_checked_again(reporting_group, signed_in):
    alice = signed_in(reporting_group.alice)
    preview = alice.post_form(NEW, {**FORM_DATA, "action": "preview"})
    choice = preview_choice(preview, keep=lambda key: True)  # everything unticked
    body = "As of March, Northfield Aggregates saw every PO 4500012345 bounce."
    changed = {**FORM_DATA, "body": body}
    response = alice.post_form(NEW, {**changed, **choice, "action": "publish"})
    assert response.status_code == 422
    assert "The text changed after the preview" in page_text(response)
    assert count(Report) == 0


def test_merged_report_redirects_to_the_report_it_joined(reporting_group, signed_in):
    from credgroup.extensions import db
    from credgroup.reports import review

    rg = reporting_group
    original = report_by_id(publish_through_pages(signed_in(rg.alice)))
    duplicate_id = publish_through_pages(signed_in(rg.bob), title="INV-15 again on Ariba")
    duplicate = report_by_id(duplicate_id)
    review.merge_reports(rg.facilitator, duplicate, original)
    db.session.commit()
    response = signed_in(rg.carol).get(detail_url(duplicate))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(detail_url(original))


def test_similar_reports_are_offered_on_the_preview(reporting_group, signed_in):
    rg = reporting_group
    existing = publish_through_pages(signed_in(rg.bob), title="INV-15 rejections for cXML invoices")
    preview = signed_in(rg.carol).post_form(NEW, {**FORM_DATA, "action": "preview"})
    text = page_text(preview)
    assert "Already reported?" in text
    assert f'href="/reports/{existing}"' in preview.get_data(as_text=True)


def test_editing_a_published_report_keeps_it_published(reporting_group, signed_in):
    alice = signed_in(reporting_group.alice)
    public_id = publish_through_pages(alice)
    edit = f"/reports/{public_id}/edit"
    form = page_text(alice.get(edit))
    assert "Save draft" not in form and FORM_DATA["title"] in form
    response = alice.post_form(
        edit, {**FORM_DATA, "title": "INV-15 rejections, updated", "action": "publish"}
    )
    assert response.status_code == 302
    report = report_by_id(public_id)
    assert report.title == "INV-15 rejections, updated"
    assert report.state is ContributionState.PUBLISHED


def test_my_reports_lists_drafts_questions_and_facilitator_notes(reporting_group, signed_in):
    from credgroup.extensions import db
    from credgroup.reports import review

    rg = reporting_group
    alice = signed_in(rg.alice)
    alice.post_form(NEW, {**FORM_DATA, "title": "A draft about Coupa", "action": "draft"})
    rejected = report_by_id(
        publish_through_pages(alice, body="Let's all stop using their Ariba.", send_to_review="y")
    )
    review.reject_report(rg.facilitator, rejected, note="Please describe what happened instead.")
    published = report_by_id(publish_through_pages(alice, title="Status stuck in Sent"))
    url = detail_url(published)
    db.session.commit()
    signed_in(rg.bob).post_form(url, {"question": "Did support answer?"}, action=f"{url}/questions")

    text = page_text(alice.get("/my/reports"))
    assert "Drafts (1)" in text and "A draft about Coupa" in text and "Delete draft" in text
    assert "Not published (1)" in text
    assert "Please describe what happened instead." in text
    assert "Questions waiting for your answer (1)" in text and "Did support answer?" in text
    assert "A draft about Coupa" not in page_text(signed_in(rg.alice_colleague).get("/my/reports"))


def test_deleting_a_draft_from_my_reports(reporting_group, signed_in):
    alice = signed_in(reporting_group.alice)
    public_id = location_id(alice.post_form(NEW, {**FORM_DATA, "action": "draft"}))
    response = alice.post_form("/my/reports", {}, action=f"/reports/{public_id}/withdraw")
    assert response.status_code == 302
    assert count(Report) == 0


def test_own_flagged_comment_waits_and_shows_the_note(reporting_group, signed_in):
    from credgroup.extensions import db
    from credgroup.reports import review

    rg = reporting_group
    url = detail_url(report_by_id(publish_through_pages(signed_in(rg.alice))))
    bob = signed_in(rg.bob)
    flagged = {"body": "Nobody should pay those fees.", "action": "publish"}
    refused = bob.post_form(url, flagged, action=f"{url}/comments")
    assert refused.status_code == 422
    text = page_text(refused)
    assert "Nobody should pay those fees." in text and "antitrust statement" in text
    assert "Send to the facilitator for review" in text
    sent = bob.post_form(url, {**flagged, "send_to_review": "y"}, action=f"{url}/comments")
    assert sent.status_code == 302
    comment = report_by_id(url.rsplit("/", 1)[1]).comments[0]
    assert comment.state is ContributionState.IN_REVIEW
    assert "Nobody should pay" not in page_text(signed_in(rg.carol).get(url))
    review.reject_comment(rg.facilitator, comment, note="Keep to what happened, please.")
    db.session.commit()
    mine = page_text(bob.get("/my/reports"))
    assert "Nobody should pay those fees." in mine and "Keep to what happened, please." in mine


def test_nav_links_to_reports_and_my_reports(reporting_group, signed_in):
    html = signed_in(reporting_group.bob).get("/my/reports").get_data(as_text=True)
    assert f'href="{LIST}"' not in html  # no group in context: the chooser
    assert 'href="/reports"' in html
    assert 'href="/my/reports" aria-current="page"' in html
    listing = signed_in(reporting_group.bob).get(LIST).get_data(as_text=True)
    assert f'href="{LIST}" aria-current="page"' in listing


def test_reports_chooser_redirects_with_one_group(reporting_group, signed_in):
    response = signed_in(reporting_group.bob).get("/reports")
    assert response.status_code == 302 and response.headers["Location"].endswith(LIST)


def test_group_page_and_report_page_link_to_reports_and_watches(reporting_group, signed_in):
    rg = reporting_group
    public_id = publish_through_pages(signed_in(rg.alice))
    bob = signed_in(rg.bob)
    home = bob.get("/g/building-materials/").get_data(as_text=True)
    assert f'href="{LIST}"' in home and f'href="/reports/{public_id}"' in home
    detail = page_text(bob.get(f"/reports/{public_id}"))
    assert "Watch this portal" in detail and "Watch this category" in detail
    assert 'href="/portals/sap-business-network"' in bob.get(f"/reports/{public_id}").get_data(
        as_text=True
    )
    assert "Watch this portal" in page_text(bob.get(f"{LIST}?portal=coupa"))
