"""An AR system's journey through the report API, without a browser: preview and post a
report, read its status, others confirm, discuss and ask, the reporter answers, the
facilitator reviews and merges. Then the attacker's check: nothing anyone but the author
received names the author, their company or any pseudonym."""

from __future__ import annotations

import pytest

from credgroup.reports.enums import ContributionState
from credgroup.reports.models import ReportConfirmation
from tests.api.test_reports_api_support import (
    BOYCOTT,
    GROUP,
    NEW_REPORT,
    assert_no_traces,
    caller,
    count,
    found_traces,
    ok,
    report_row,
    report_url,
    traces_of,
)
from tests.reports.conftest import ReportingGroup, reporting_group  # noqa: F401


@pytest.fixture
def people(client, factory, reporting_group):  # noqa: F811
    rg: ReportingGroup = reporting_group
    return {
        name: caller(client, factory, getattr(rg, attr), name)
        for name, attr in [
            ("alice", "alice"),
            ("ned", "alice_colleague"),
            ("bob", "bob"),
            ("carol", "carol"),
            ("outsider", "outsider"),
            ("facilitator", "facilitator"),
            ("admin", "admin"),
        ]
    }


def post_report(alice) -> dict:
    """Preview, then publish keeping the PO number (its key left out of "redact")."""
    preview = ok(alice.post("/api/v1/reports/preview", NEW_REPORT))
    keys = [f["key"] for found in preview["findings"].values() for f in found]
    kinds = {f["kind"] for found in preview["findings"].values() for f in found}
    assert {"company", "number"} <= kinds
    assert preview["flags"] == []
    redact = [key for key in keys if ":number:" not in key]
    return ok(alice.post("/api/v1/reports", {**NEW_REPORT, "redact": redact}), 201)


def test_ar_system_posts_a_report_and_follows_it(reporting_group, people):  # noqa: F811
    rg: ReportingGroup = reporting_group
    alice, ned, bob, carol = people["alice"], people["ned"], people["bob"], people["carol"]
    facilitator, admin, outsider = people["facilitator"], people["admin"], people["outsider"]

    # Alice's AR system posts the report: company redacted, the PO number kept.
    posted = post_report(alice)
    report_id = posted["id"]
    assert posted["state"] == "published" and posted["status"] == "open"
    assert "[redacted: company]" in posted["body"] and "Northfield" not in posted["body"]
    assert "4500012345" in posted["body"]
    assert posted["redactions"] == {"company": 1}
    assert posted["viewer"]["is_reporter"] is True
    assert posted["portal"] == {"slug": "sap-business-network", "name": "SAP Business Network"}

    # It reads the status back without a browser.
    status = ok(alice.get(report_url(report_id)))
    assert (status["state"], status["status"], status["facilitator_note"]) == (
        "published",
        "open",
        None,
    )

    # Bob finds it in the group's list and reads it; he is not told who wrote it.
    listing = ok(bob.get(f"/api/v1/reports?group={GROUP}&portal=sap-business-network"))
    assert [item["id"] for item in listing["items"]] == [report_id]
    seen_by_bob = ok(bob.get(report_url(report_id)))
    assert seen_by_bob["viewer"] == {
        "is_reporter": False,
        "label": None,
        "company_confirmed": [],
        "same_company_as_reporter": False,
    }
    assert "facilitator_note" not in seen_by_bob and "review_flags" not in seen_by_bob

    # Bob's and Carol's companies hit it too; a second time is a conflict.
    confirmed = ok(bob.put(report_url(report_id, "/confirmations/hit_too")), 201)
    assert confirmed == {
        "report": report_id,
        "hit_too": 1,
        "workaround_worked": 0,
        "company_confirmed": ["hit_too"],
    }
    assert ok(bob.put(report_url(report_id, "/confirmations/hit_too")), 409)["error"]["code"] == (
        "conflict"
    )
    ok(carol.put(report_url(report_id, "/confirmations/hit_too")), 201)
    assert count(ReportConfirmation) == 2

    # Discussion: labels only, consistent within the report.
    bob_comment = ok(
        bob.post(report_url(report_id, "/comments"), {"body": "Same since March for us."}), 201
    )
    assert (bob_comment["author"], bob_comment["is_mine"], bob_comment["state"]) == (
        "Member A",
        True,
        "published",
    )
    ok(facilitator.post(report_url(report_id, "/comments"), {"body": "Thanks, noted."}), 201)
    ok(alice.post(report_url(report_id, "/comments"), {"body": "Glad it is not just us."}), 201)
    thread = ok(carol.get(report_url(report_id, "/comments")))
    assert [(c["author"], c["is_mine"]) for c in thread["items"]] == [
        ("Member A", False),
        ("Facilitator", False),
        ("Reporter", False),
    ]

    # Bob and the facilitator ask the reporter; the reporter sees both, without askers.
    asked = ok(bob.post(report_url(report_id, "/questions"), {"body": "Which cXML version?"}), 201)
    assert (asked["asked_by"], asked["is_mine"], asked["answer"]) == ("A member", True, None)
    ok(facilitator.post(report_url(report_id, "/questions"), {"body": "Error code?"}), 201)
    mine = ok(alice.get("/api/v1/my/reports"))
    assert [(r["id"], r["questions_waiting"]) for r in mine["items"]] == [(report_id, 2)]
    questions = ok(alice.get(report_url(report_id, "/questions")))["items"]
    assert [(q["asked_by"], q["can_answer"], q["is_mine"]) for q in questions] == [
        ("A member", True, False),
        ("Facilitator", True, False),
    ]

    # Alice answers Bob's question for the whole group, the facilitator's privately.
    answered = ok(
        alice.post(
            report_url(report_id, f"/questions/{asked['id']}/answer"),
            {"answer": "1.2.060", "share_with_group": True},
        )
    )
    assert (answered["answer"], answered["shared_with_group"]) == ("1.2.060", True)
    ok(
        alice.post(
            report_url(report_id, f"/questions/{questions[1]['id']}/answer"),
            {"answer": "INV-15"},
        )
    )
    assert [q["answer"] for q in ok(carol.get(report_url(report_id, "/questions")))["items"]] == [
        "1.2.060"
    ]
    assert [q["answer"] for q in ok(bob.get(report_url(report_id, "/questions")))["items"]] == [
        "1.2.060"
    ]

    # Alice marks Bob's comment as the workaround, then resolves the report.
    marked = ok(
        alice.post(
            report_url(report_id, f"/comments/{bob_comment['id']}/workaround"), {"value": True}
        )
    )
    assert marked["is_workaround"] is True and marked["is_mine"] is False
    assert ok(bob.get(report_url(report_id)))["status"] == "workaround_found"
    ok(bob.put(report_url(report_id, "/confirmations/workaround_worked")), 201)
    resolved = ok(alice.post(report_url(report_id, "/status"), {"status": "resolved"}))
    assert resolved["status"] == "resolved" and resolved["workaround_worked"] == 1

    # Ned (Alice's colleague) sends flagged wording to review: a report and a comment.
    flagged = ok(
        ned.post(
            "/api/v1/reports",
            {**NEW_REPORT, "title": "Ariba credit memos bounce", "body": BOYCOTT},
        ),
        422,
    )
    assert flagged["error"]["code"] == "needs_rewording"
    in_review = ok(
        ned.post(
            "/api/v1/reports",
            {
                **NEW_REPORT,
                "title": "Ariba credit memos bounce",
                "body": BOYCOTT,
                "send_to_review": True,
            },
        ),
        201,
    )
    assert in_review["state"] == "in_review"
    assert [f["kind"] for f in in_review["review_flags"]] == ["boycott"]
    queued_comment = ok(
        ned.post(report_url(report_id, "/comments"), {"body": BOYCOTT, "send_to_review": True}),
        201,
    )
    assert queued_comment["state"] == "in_review"
    assert ok(bob.get(report_url(in_review["id"])), 404)["error"]["code"] == "not_found"

    # The facilitator's queue shows content and flags, never an author.
    queue = ok(facilitator.get(f"/api/v1/groups/{GROUP}/review"))
    assert [r["id"] for r in queue["reports"]] == [in_review["id"]]
    assert [r["review_flags"][0]["kind"] for r in queue["reports"]] == ["boycott"]
    assert [(c["id"], c["author"]) for c in queue["comments"]] == [(queued_comment["id"], "Member")]
    approved = ok(
        facilitator.post(
            report_url(in_review["id"], "/review"),
            {
                "action": "approve",
                "edits": {"body": "Credit memos bounce with INV-22."},
                "note": "Reworded one sentence.",
            },
        )
    )
    assert (approved["state"], approved["body"]) == (
        "published",
        "Credit memos bounce with INV-22.",
    )
    rejected = ok(
        facilitator.post(
            f"/api/v1/comments/{queued_comment['id']}/review",
            {"action": "reject", "note": "Facts only, please."},
        )
    )
    assert rejected["state"] == "rejected"
    assert ok(admin.get(f"/api/v1/groups/{GROUP}/review")) == {
        "group": GROUP,
        "reports": [],
        "comments": [],
    }

    # The notes reach Ned through "my reports" and "my comments".
    neds = ok(ned.get("/api/v1/my/reports"))["items"]
    assert [(r["id"], r["facilitator_note"]) for r in neds] == [
        (in_review["id"], "Reworded one sentence.")
    ]
    neds_comments = ok(ned.get("/api/v1/my/comments"))["items"]
    assert [(c["id"], c["state"], c["facilitator_note"]) for c in neds_comments] == [
        (queued_comment["id"], "rejected", "Facts only, please.")
    ]

    # Carol repeats the report; the facilitator merges it into Alice's.
    duplicate = ok(
        carol.post(
            "/api/v1/reports", {**NEW_REPORT, "body": "Same INV-15 rejections.", "title": "INV-15"}
        ),
        201,
    )
    merged = ok(facilitator.post(report_url(duplicate["id"], "/merge"), {"into": report_id}))
    assert merged["id"] == report_id and merged["hit_too"] == 2
    moved = ok(carol.get(report_url(duplicate["id"])))
    assert (moved["state"], moved["merged_into"]) == ("merged", report_id)
    assert report_row(duplicate["id"]).state is ContributionState.MERGED

    # Everyone else walks what they can reach, the outsider included.
    for person in (bob, carol, facilitator, admin, outsider):
        person.get(f"/api/v1/reports?group={GROUP}")
        person.get(f"/api/v1/reports?group={GROUP}&sort=most_confirmed&q=INV")
        person.get(report_url(report_id))
        person.get(report_url(report_id, "/comments"))
        person.get(report_url(report_id, "/questions"))
        person.get(report_url(in_review["id"]))
        person.get(report_url(duplicate["id"]))
        person.get("/api/v1/portals/sap-business-network")
        person.get("/api/v1/portals?per_page=5")
        person.get("/api/v1/my/reports")
        person.get("/api/v1/my/comments")
        person.get(f"/api/v1/groups/{GROUP}/review")
        person.patch(report_url(report_id), {"title": "Taken over by someone else"})
        person.post(report_url(report_id, "/withdraw"))
        person.post(report_url(report_id, f"/questions/{asked['id']}/answer"), {"answer": "x"})
    assert ok(outsider.get(report_url(report_id)), 404)
    untouched = ok(alice.get(report_url(report_id)))
    assert (untouched["state"], untouched["title"]) == ("published", NEW_REPORT["title"])
    assert ok(outsider.get(f"/api/v1/reports?group={GROUP}"), 404)

    # Nothing any of them received names Alice or Ned, Northfield, or a pseudonym.
    traces = traces_of([rg.alice, rg.alice_colleague])
    assert sum(1 for what, _ in traces if what == "pseudonym") >= 6
    checked = assert_no_traces([bob, carol, facilitator, admin, outsider], traces)
    assert checked > 80
    # Not even the document that describes the API, examples included. (Its example of
    # GET /me names a "Northfield Aggregates" of its own, so company words are not checked.)
    document = bob.get("/api/v1/openapi.json").get_data(as_text=True)
    assert not found_traces(
        document, traces_of([rg.alice, rg.alice_colleague], company_words=False)
    )
    # The author's own answers, by contrast, really did carry her text.
    assert any("Northfield" in r.get_data(as_text=True) for _, r in alice.seen)
