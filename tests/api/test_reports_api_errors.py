"""Bad input to the report API: a clear JSON error with a stable code (and the field at
fault), never a 500, and nothing half-saved."""

from __future__ import annotations

import pytest

from credgroup.portals.models import Portal
from credgroup.reports.models import Report, ReportComment, ReportConfirmation, ReportQuestion
from tests.api.conftest import assert_error
from tests.api.test_reports_api_support import (
    BOYCOTT,
    GROUP,
    NEW_REPORT,
    caller,
    count,
    ok,
    report_url,
)
from tests.reports.conftest import ReportingGroup, reporting_group  # noqa: F401


@pytest.fixture
def rg(reporting_group) -> ReportingGroup:  # noqa: F811
    return reporting_group


@pytest.fixture
def alice(client, factory, rg):
    return caller(client, factory, rg.alice)


@pytest.fixture
def bob(client, factory, rg):
    return caller(client, factory, rg.bob)


@pytest.fixture
def facilitator(client, factory, rg):
    return caller(client, factory, rg.facilitator)


@pytest.fixture
def published(alice) -> str:
    return ok(alice.post("/api/v1/reports", NEW_REPORT), 201)["id"]


def field_error(response, field: str, code: str = "validation_error") -> dict:
    error = assert_error(response, 422, code)
    assert error["field"] == field, error
    return error


# --- posting a report -------------------------------------------------------------------------


def test_posting_without_a_group_names_the_field(alice):
    body = {k: v for k, v in NEW_REPORT.items() if k != "group"}
    field_error(alice.post("/api/v1/reports", body), "group")
    assert count(Report) == 0


def test_posting_into_a_group_one_cannot_see_is_404_like_a_missing_group(client, factory, rg):
    outsider = caller(client, factory, rg.outsider)
    hidden = outsider.post("/api/v1/reports", NEW_REPORT)
    missing = outsider.post("/api/v1/reports", {**NEW_REPORT, "group": "no-such-group"})
    assert_error(hidden, 404, "not_found")
    assert hidden.get_json() == missing.get_json()
    assert count(Report) == 0


def test_a_facilitator_cannot_post_reports(facilitator):
    assert_error(facilitator.post("/api/v1/reports", NEW_REPORT), 403, "forbidden")
    assert count(Report) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "nope"),
        ("channel", "pigeon"),
        ("invoices_band", "lots"),
        ("amount_band", "1000"),
        ("fee_size_band", "huge"),
        ("status", "closed"),
        ("incident_month", "2026-13"),
        ("incident_month", "2999-01"),
        ("title", "x" * 201),
        ("title", "Hi"),
        ("body", "x" * 20_001),
        ("error_message", "x" * 4_001),
        ("workaround", "x" * 20_001),
        ("buyer_industry", "x" * 201),
        ("buyer_name", "Home Depot"),  # the group names only the customer's industry
        ("portal", ""),
        ("portal", "p" * 121),
        ("title", 5),
        ("category", ["fees"]),
        ("draft", "yes"),
        ("send_to_review", 1),
        ("redact", "some"),
        ("redact", [1, 2]),
        ("tittle", "A typo in a field name"),
    ],
)
def test_bad_report_input_is_422_naming_the_field(alice, field, value):
    portals = count(Portal)
    body = {**NEW_REPORT, field: value}
    if field == "fee_size_band":
        body["category"] = "fees"
    field_error(alice.post("/api/v1/reports", body), field)
    assert count(Report) == 0 and count(Portal) == portals


def test_a_new_portal_name_is_not_left_behind_when_posting_fails(alice):
    before = count(Portal)
    body = {**NEW_REPORT, "portal": "Brand New Portal", "body": BOYCOTT}
    error = assert_error(alice.post("/api/v1/reports", body), 422, "needs_rewording")
    assert error["field"] == "body"
    assert count(Portal) == before and count(Report) == 0


def test_flagged_wording_answers_needs_rewording_with_the_flags(alice):
    response = alice.post("/api/v1/reports", {**NEW_REPORT, "body": BOYCOTT})
    error = assert_error(response, 422, "needs_rewording")
    assert error["flags"] == [
        {
            "kind": "boycott",
            "phrase": error["flags"][0]["phrase"],
            "sentence": BOYCOTT,
            "explanation": error["flags"][0]["explanation"],
        }
    ]
    assert "collective action" in error["flags"][0]["explanation"]
    assert count(Report) == 0


def test_stale_redaction_keys_are_refused_rather_than_publishing_unseen_findings(alice):
    preview = ok(alice.post("/api/v1/reports/preview", NEW_REPORT))
    keys = [f["key"] for found in preview["findings"].values() for f in found]
    changed = {**NEW_REPORT, "body": "Northfield Aggregates again: " + NEW_REPORT["body"]}
    error = field_error(alice.post("/api/v1/reports", {**changed, "redact": keys}), "redact")
    assert "preview it again" in error["message"]
    assert count(Report) == 0


def test_an_empty_redaction_list_publishes_the_text_as_written(alice):
    body = ok(alice.post("/api/v1/reports", {**NEW_REPORT, "redact": []}), 201)["body"]
    assert body == NEW_REPORT["body"]


def test_body_must_be_a_json_object(alice):
    response = alice.call(
        "POST",
        "/api/v1/reports",
        data="group=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_error(response, 415, "unsupported_media_type")
    malformed = alice.call(
        "POST", "/api/v1/reports", data="{", headers={"Content-Type": "application/json"}
    )
    assert_error(malformed, 400, "bad_request")
    assert_error(alice.post("/api/v1/reports", ["not", "an", "object"]), 400, "bad_request")


def test_markdown_is_returned_as_source_for_clients_to_render(alice, bob, published):
    script = 'See <script>alert(1)</script> and <img src=x onerror="alert(2)">'
    posted = ok(bob.post(report_url(published, "/comments"), {"body": script}), 201)
    assert posted["body"] == script  # JSON, not HTML: the client renders and sanitises
    response = bob.get(report_url(published, "/comments"))
    assert response.mimetype == "application/json"
    assert response.get_json()["items"][0]["body"] == script


# --- listing ----------------------------------------------------------------------------------


def test_listing_needs_a_group(bob):
    field_error(bob.get("/api/v1/reports"), "group")
    field_error(bob.get("/api/v1/reports?group="), "group")


def test_listing_a_hidden_group_is_404(client, factory, rg):
    outsider = caller(client, factory, rg.outsider)
    assert_error(outsider.get(f"/api/v1/reports?group={GROUP}"), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("category=nope", "category"),
        ("status=closed", "status"),
        ("sort=random", "sort"),
        ("since=March", "since"),
        ("since=2026-03&until=2026-01", "until"),
        ("page=0", "page"),
        ("per_page=100000", "per_page"),
    ],
)
def test_bad_list_filters_are_422_naming_the_field(bob, query, field):
    field_error(bob.get(f"/api/v1/reports?group={GROUP}&{query}"), field)


# --- unknown ids ------------------------------------------------------------------------------

UNKNOWN = "no-such-report-id"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"title": "Something else"}),
        ("POST", "/withdraw", None),
        ("POST", "/status", {"status": "resolved"}),
        ("GET", "/comments", None),
        ("POST", "/comments", {"body": "Hello"}),
        ("POST", "/comments/preview", {"body": "Hello"}),
        ("PUT", "/confirmations/hit_too", None),
        ("DELETE", "/confirmations/hit_too", None),
        ("GET", "/questions", None),
        ("POST", "/questions", {"body": "Why?"}),
        ("POST", "/review", {"action": "approve"}),
        ("POST", "/merge", {"into": "x"}),
    ],
)
def test_unknown_report_ids_are_404(alice, facilitator, method, path, body):
    for person in (alice, facilitator):
        response = person.call(method, report_url(UNKNOWN, path), json=body)
        assert_error(response, 404, "not_found")


def test_unknown_comment_and_question_ids_are_404(alice, facilitator, published):
    assert_error(
        alice.post(report_url(published, "/comments/nope/workaround"), {"value": True}),
        404,
        "not_found",
    )
    assert_error(alice.post(report_url(published, "/comments/nope/withdraw")), 404, "not_found")
    assert_error(
        alice.post(report_url(published, "/questions/nope/answer"), {"answer": "Yes"}),
        404,
        "not_found",
    )
    assert_error(
        facilitator.post("/api/v1/comments/nope/review", {"action": "approve"}),
        404,
        "not_found",
    )


def test_unknown_portal_is_404(bob):
    assert_error(bob.get("/api/v1/portals/no-such-portal"), 404, "not_found")


# --- someone else's report --------------------------------------------------------------------


def test_editing_or_withdrawing_someone_elses_report_looks_like_a_missing_one(bob, published):
    for method, path, body in [
        ("PATCH", "", {"title": "Taken over by Bob"}),
        ("POST", "/withdraw", None),
    ]:
        theirs = bob.call(method, report_url(published, path), json=body)
        missing = bob.call(method, report_url(UNKNOWN, path), json=body)
        assert_error(theirs, 404, "not_found")
        assert theirs.get_json() == missing.get_json()


def test_someone_elses_draft_is_404(alice, bob):
    draft = ok(alice.post("/api/v1/reports", {**NEW_REPORT, "draft": True}), 201)
    assert draft["state"] == "draft"
    assert_error(bob.get(report_url(draft["id"])), 404, "not_found")
    assert_error(bob.get(report_url(draft["id"], "/comments")), 404, "not_found")


def test_only_the_reporter_answers_questions(client, factory, rg, alice, bob, published):
    asked = ok(bob.post(report_url(published, "/questions"), {"body": "Which version?"}), 201)
    carol = caller(client, factory, rg.carol)
    url = report_url(published, f"/questions/{asked['id']}/answer")
    assert_error(carol.post(url, {"answer": "No idea"}), 404, "not_found")
    assert_error(bob.post(url, {"answer": "Me neither"}), 404, "not_found")
    field_error(alice.post(url, {"answer": ""}), "answer")
    field_error(alice.post(url, {"answer": "x" * 4_001}), "answer")
    field_error(alice.post(url, {"answer": "Yes", "share_with_group": "yes"}), "share_with_group")
    error = assert_error(
        alice.post(url, {"answer": BOYCOTT, "share_with_group": True}), 422, "needs_rewording"
    )
    assert error["flags"][0]["kind"] == "boycott"
    assert ok(alice.post(url, {"answer": "1.2.060"}))["answer"] == "1.2.060"


def test_the_reporter_cannot_ask_themself(alice, published):
    field_error(alice.post(report_url(published, "/questions"), {"body": "Me?"}), "body")
    assert count(ReportQuestion) == 0


def test_only_the_reporter_marks_the_workaround(alice, bob, published):
    comment = ok(bob.post(report_url(published, "/comments"), {"body": "PO flip worked."}), 201)
    url = report_url(published, f"/comments/{comment['id']}/workaround")
    assert_error(bob.post(url, {"value": True}), 403, "forbidden")
    field_error(alice.post(url, {"value": "yes"}), "value")
    field_error(alice.post(url, {}), "value")
    assert ok(alice.post(url, {"value": True}))["is_workaround"] is True
    assert ok(alice.post(url, {"value": False}))["is_workaround"] is False


def test_only_the_author_withdraws_a_comment(alice, bob, published):
    comment = ok(bob.post(report_url(published, "/comments"), {"body": "PO flip worked."}), 201)
    url = report_url(published, f"/comments/{comment['id']}/withdraw")
    assert_error(alice.post(url), 404, "not_found")
    assert ok(bob.post(url)) == {"id": comment["id"], "state": "withdrawn"}
    assert ok(alice.get(report_url(published, "/comments")))["items"] == []


def test_status_changes_need_the_reporter_or_a_facilitator(
    client, factory, rg, alice, facilitator, published
):
    carol = caller(client, factory, rg.carol)
    url = report_url(published, "/status")
    assert_error(carol.post(url, {"status": "resolved"}), 403, "forbidden")
    field_error(alice.post(url, {"status": "closed"}), "status")
    field_error(alice.post(url, {}), "status")
    field_error(alice.post(url, {"status": "resolved", "note": "x"}), "note")
    assert ok(facilitator.post(url, {"status": "no_longer_occurs"}))["status"] == (
        "no_longer_occurs"
    )


# --- comments and confirmations ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"body": 42}, "body"),
        ({"body": "Fine", "send_to_review": "please"}, "send_to_review"),
        ({"body": "Fine", "redact": {"a": 1}}, "redact"),
        ({"body": "Fine", "colour": "blue"}, "colour"),
    ],
)
def test_bad_comments_are_422_naming_the_field(bob, published, body, field):
    field_error(bob.post(report_url(published, "/comments"), body), field)
    assert count(ReportComment) == 0


def test_flagged_comment_is_refused_unless_sent_to_review(bob, published):
    error = assert_error(
        bob.post(report_url(published, "/comments"), {"body": BOYCOTT}), 422, "needs_rewording"
    )
    assert error["flags"][0]["sentence"] == BOYCOTT
    assert count(ReportComment) == 0


def test_a_second_confirmation_from_the_same_company_is_a_conflict(
    client, factory, rg, alice, bob, published
):
    ok(bob.put(report_url(published, "/confirmations/hit_too")), 201)
    assert_error(bob.put(report_url(published, "/confirmations/hit_too")), 409, "conflict")
    # Alice's own company reported it: it cannot say it hit it too.
    assert_error(alice.put(report_url(published, "/confirmations/hit_too")), 409, "conflict")
    assert count(ReportConfirmation) == 1
    # Taking it back, then back again: the second time there is nothing to take back.
    assert ok(bob.delete(report_url(published, "/confirmations/hit_too")))["hit_too"] == 0
    assert_error(bob.delete(report_url(published, "/confirmations/hit_too")), 404, "not_found")


def test_unknown_confirmation_kind_is_422(bob, published):
    field_error(bob.put(report_url(published, "/confirmations/loved_it")), "kind")
    field_error(bob.delete(report_url(published, "/confirmations/loved_it")), "kind")


def test_staff_cannot_confirm_for_a_company(facilitator, published):
    assert_error(facilitator.put(report_url(published, "/confirmations/hit_too")), 403, "forbidden")


# --- review -----------------------------------------------------------------------------------


@pytest.fixture
def queued(client, factory, rg) -> str:
    carol = caller(client, factory, rg.carol)
    body = {**NEW_REPORT, "body": BOYCOTT, "send_to_review": True}
    return ok(carol.post("/api/v1/reports", body), 201)["id"]


def test_members_cannot_use_the_review_queue(client, factory, rg, bob, published):
    assert_error(bob.get(f"/api/v1/groups/{GROUP}/review"), 403, "forbidden")
    outsider = caller(client, factory, rg.outsider)
    assert_error(outsider.get(f"/api/v1/groups/{GROUP}/review"), 404, "not_found")
    assert_error(
        bob.post(report_url(published, "/review"), {"action": "reject", "note": "No."}),
        403,
        "forbidden",
    )
    other = ok(bob.post("/api/v1/reports", {**NEW_REPORT, "title": "Another one here"}), 201)
    assert_error(bob.post(report_url(published, "/merge"), {"into": other["id"]}), 403, "forbidden")


def test_a_member_cannot_see_a_queued_report(bob, queued):
    assert_error(bob.get(report_url(queued)), 404, "not_found")
    assert_error(bob.post(report_url(queued, "/review"), {"action": "approve"}), 404, "not_found")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "action"),
        ({"action": "publish"}, "action"),
        ({"action": "reject"}, "note"),
        ({"action": "reject", "note": "x" * 4_001}, "note"),
        ({"action": "approve", "edits": "shorter"}, "edits"),
        ({"action": "approve", "edits": {"title": "Hi"}}, "title"),
        ({"action": "approve", "edits": {"body": "x" * 20_001}}, "body"),
        ({"action": "approve", "edits": {"body": 3}}, "body"),
        ({"action": "approve", "edits": {"portal": "Coupa"}}, "portal"),
        ({"action": "approve", "author": "who?"}, "author"),
    ],
)
def test_bad_report_reviews_are_422_and_change_nothing(facilitator, queued, body, field):
    field_error(facilitator.post(report_url(queued, "/review"), body), field)
    queue = ok(facilitator.get(f"/api/v1/groups/{GROUP}/review"))
    assert [r["id"] for r in queue["reports"]] == [queued]
    assert queue["reports"][0]["body"] == BOYCOTT


def test_approving_twice_is_refused(facilitator, queued):
    ok(facilitator.post(report_url(queued, "/review"), {"action": "approve"}))
    error = assert_error(
        facilitator.post(report_url(queued, "/review"), {"action": "approve"}),
        422,
        "validation_error",
    )
    assert "not waiting for review" in error["message"]


def test_merge_needs_another_published_report_of_the_group(facilitator, published, queued):
    url = report_url(published, "/merge")
    field_error(facilitator.post(url, {}), "into")
    field_error(facilitator.post(url, {"into": 7}), "into")
    field_error(facilitator.post(url, {"into": UNKNOWN}), "into")
    field_error(facilitator.post(url, {"into": published}), "into")
    field_error(facilitator.post(url, {"into": queued}), "into")
    assert ok(facilitator.get(report_url(published)))["state"] == "published"


def test_bad_comment_reviews(client, factory, rg, bob, facilitator, published):
    queued = ok(
        bob.post(report_url(published, "/comments"), {"body": BOYCOTT, "send_to_review": True}),
        201,
    )
    url = f"/api/v1/comments/{queued['id']}/review"
    assert_error(bob.post(url, {"action": "approve"}), 403, "forbidden")
    outsider = caller(client, factory, rg.outsider)
    assert_error(outsider.post(url, {"action": "approve"}), 404, "not_found")
    field_error(facilitator.post(url, {"action": "moderate"}), "action")
    field_error(facilitator.post(url, {"action": "reject"}), "note")
    field_error(facilitator.post(url, {"action": "approve", "body": ""}), "body")
    field_error(facilitator.post(url, {"action": "approve", "body": ["x"]}), "body")
    approved = ok(facilitator.post(url, {"action": "approve", "body": "Reworded."}))
    assert (approved["state"], approved["body"], approved["author"]) == (
        "published",
        "Reworded.",
        "Member",
    )


# --- drafts and edits ------------------------------------------------------------------------


def test_a_draft_is_edited_then_published_by_patch(alice, bob):
    draft = ok(alice.post("/api/v1/reports", {**NEW_REPORT, "draft": True}), 201)
    url = report_url(draft["id"])
    # The draft is kept as written (nothing redacted until it is published).
    assert "Northfield" in draft["body"]
    edited = ok(alice.patch(url, {"title": "Invoices rejected with INV-15, again"}))
    assert (edited["state"], edited["title"]) == ("draft", "Invoices rejected with INV-15, again")
    assert edited["body"] == draft["body"] and edited["category"] == "rejected_format"
    field_error(alice.patch(url, {"group": "food"}), "group")
    field_error(alice.patch(url, {"invoices_band": "lots"}), "invoices_band")
    published = ok(alice.patch(url, {"draft": False}))
    assert published["state"] == "published"
    assert "Northfield" not in published["body"] and published["redactions"]["company"] == 1
    assert ok(bob.get(url))["title"] == "Invoices rejected with INV-15, again"
    # A published report cannot go back to being a draft; its fields can still change.
    assert_error(alice.patch(url, {"draft": True}), 422, "validation_error")
    changed = ok(alice.patch(url, {"status": "resolved", "workaround": None}))
    assert (changed["status"], changed["workaround"], changed["has_workaround"]) == (
        "resolved",
        "",
        False,
    )


def test_withdrawing_deletes_a_draft_and_hides_a_published_report(alice, bob, published):
    draft = ok(alice.post("/api/v1/reports", {**NEW_REPORT, "draft": True}), 201)
    assert ok(alice.post(report_url(draft["id"], "/withdraw"))) == {
        "id": draft["id"],
        "state": "deleted",
    }
    assert_error(alice.get(report_url(draft["id"])), 404, "not_found")
    assert ok(alice.post(report_url(published, "/withdraw")))["state"] == "withdrawn"
    assert_error(bob.get(report_url(published)), 404, "not_found")
    mine = ok(alice.get("/api/v1/my/reports"))["items"]
    assert [(r["id"], r["state"]) for r in mine] == [(published, "withdrawn")]
    assert_error(
        alice.patch(report_url(published), {"title": "Back again?"}), 422, "validation_error"
    )
