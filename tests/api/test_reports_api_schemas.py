"""The report endpoints' answers are exactly what the OpenAPI document declares, for the
reporter, other members and the facilitator alike."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator

from tests.api.test_reports_api_support import (
    BOYCOTT,
    GROUP,
    NEW_REPORT,
    caller,
    ok,
    report_url,
)
from tests.reports.conftest import ReportingGroup, reporting_group  # noqa: F401


@pytest.fixture
def document(client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


def check(document: dict[str, Any], method: str, path: str, response, status: int = 200) -> Any:
    """Validate a real response against the document's declaration of it."""
    body = ok(response, status)
    declared = document["paths"][path][method.lower()]["responses"][str(status)]
    if "$ref" in declared:  # an error: a shared response component
        declared = document["components"]["responses"][declared["$ref"].rsplit("/", 1)[1]]
    schema = declared["content"]["application/json"]["schema"]
    OAS31Validator({**schema, "components": document["components"]}).validate(body)
    return body


def test_every_report_endpoint_answers_as_documented(
    client,
    factory,
    reporting_group,  # noqa: F811
    document,
):
    rg: ReportingGroup = reporting_group
    alice, bob, carol, fran = (
        caller(client, factory, u) for u in (rg.alice, rg.bob, rg.carol, rg.facilitator)
    )
    d = document

    check(d, "GET", "/portals", bob.get("/api/v1/portals"))
    preview = check(
        d, "POST", "/reports/preview", alice.post("/api/v1/reports/preview", NEW_REPORT)
    )
    assert preview["findings"]
    report = check(d, "POST", "/reports", alice.post("/api/v1/reports", NEW_REPORT), 201)
    rid = report["id"]
    draft = check(
        d, "POST", "/reports", alice.post("/api/v1/reports", {**NEW_REPORT, "draft": True}), 201
    )
    check(d, "PATCH", "/reports/{report_id}", alice.patch(report_url(draft["id"]), {"q": 1}), 422)
    check(
        d,
        "PATCH",
        "/reports/{report_id}",
        alice.patch(report_url(draft["id"]), {"title": "Renamed draft"}),
    )
    check(d, "GET", "/portals/{portal_slug}", bob.get("/api/v1/portals/sap-business-network"))
    for person in (alice, bob, fran):
        check(d, "GET", "/reports", person.get(f"/api/v1/reports?group={GROUP}"))
        check(d, "GET", "/reports/{report_id}", person.get(report_url(rid)))
    check(
        d,
        "PUT",
        "/reports/{report_id}/confirmations/{kind}",
        bob.put(report_url(rid, "/confirmations/hit_too")),
        201,
    )
    check(
        d,
        "DELETE",
        "/reports/{report_id}/confirmations/{kind}",
        bob.delete(report_url(rid, "/confirmations/hit_too")),
    )
    comment = check(
        d,
        "POST",
        "/reports/{report_id}/comments",
        bob.post(report_url(rid, "/comments"), {"body": "PO flip worked."}),
        201,
    )
    check(
        d,
        "POST",
        "/reports/{report_id}/comments/preview",
        bob.post(report_url(rid, "/comments/preview"), {"body": BOYCOTT}),
    )
    check(d, "GET", "/reports/{report_id}/comments", carol.get(report_url(rid, "/comments")))
    check(
        d,
        "POST",
        "/reports/{report_id}/comments/{comment_id}/workaround",
        alice.post(report_url(rid, f"/comments/{comment['id']}/workaround"), {"value": True}),
    )
    question = check(
        d,
        "POST",
        "/reports/{report_id}/questions",
        bob.post(report_url(rid, "/questions"), {"body": "Which version?"}),
        201,
    )
    check(d, "GET", "/reports/{report_id}/questions", alice.get(report_url(rid, "/questions")))
    check(
        d,
        "POST",
        "/reports/{report_id}/questions/{question_id}/answer",
        alice.post(report_url(rid, f"/questions/{question['id']}/answer"), {"answer": "1.2"}),
    )
    check(
        d,
        "POST",
        "/reports/{report_id}/status",
        fran.post(report_url(rid, "/status"), {"status": "resolved"}),
    )
    flagged = check(
        d,
        "POST",
        "/reports",
        carol.post("/api/v1/reports", {**NEW_REPORT, "body": BOYCOTT, "send_to_review": True}),
        201,
    )
    refused = carol.post("/api/v1/reports", {**NEW_REPORT, "body": BOYCOTT})
    body = ok(refused, 422)
    OAS31Validator(
        {"$ref": "#/components/schemas/NeedsRewording", "components": d["components"]}
    ).validate(body)
    queued_comment = ok(
        carol.post(report_url(rid, "/comments"), {"body": BOYCOTT, "send_to_review": True}), 201
    )
    check(d, "GET", "/groups/{slug}/review", fran.get(f"/api/v1/groups/{GROUP}/review"))
    check(
        d,
        "POST",
        "/reports/{report_id}/review",
        fran.post(report_url(flagged["id"], "/review"), {"action": "reject", "note": "Facts."}),
    )
    check(
        d,
        "POST",
        "/comments/{comment_id}/review",
        fran.post(
            f"/api/v1/comments/{queued_comment['id']}/review", {"action": "reject", "note": "No."}
        ),
    )
    check(d, "GET", "/my/reports", carol.get("/api/v1/my/reports"))
    check(d, "GET", "/my/comments", carol.get("/api/v1/my/comments"))
    duplicate = ok(carol.post("/api/v1/reports", {**NEW_REPORT, "title": "Same again"}), 201)
    check(
        d,
        "POST",
        "/reports/{report_id}/merge",
        fran.post(report_url(duplicate["id"], "/merge"), {"into": rid}),
    )
    check(
        d,
        "POST",
        "/reports/{report_id}/comments/{comment_id}/withdraw",
        bob.post(report_url(rid, f"/comments/{comment['id']}/withdraw")),
    )
    check(
        d,
        "POST",
        "/reports/{report_id}/withdraw",
        alice.post(report_url(draft["id"], "/withdraw")),
    )
    check(d, "GET", "/reports/{report_id}", bob.get(report_url("missing")), 404)
