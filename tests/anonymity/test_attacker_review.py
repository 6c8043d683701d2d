"""The facilitator moderates Zelda's flagged work without ever learning it is hers."""

from __future__ import annotations

import pytest
from markupsafe import escape

from credgroup.audit.models import AuditEvent
from credgroup.extensions import db
from credgroup.reports import presenters, review
from tests.anonymity.test_attacker_pages import signed_in


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_the_review_queue_item_of_zeldas_flagged_report_shows_no_identity(
    role, make_browser, attack_world, traces
):
    queued = attack_world.a_hidden["review"]
    flagged_comment = attack_world.a_comments[-1]
    viewer = attack_world.attackers[role]
    browser = signed_in(make_browser, viewer.email)

    response = browser.get(f"/g/{attack_world.group.slug}/review")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    # The item is really there, with what the check flagged ...
    assert str(escape(queued.title)) in html
    assert str(escape(queued.review_flags[0]["sentence"])) in html
    assert str(escape(flagged_comment.body)) in html
    # ... and nothing about who wrote it: not in the page, not in what the service hands over.
    leaks = traces.leaks(response.request.path, html)
    assert not leaks, "\n".join(map(str, leaks))
    queue = review.review_queue(viewer, attack_world.group.slug)
    assert queued in queue.reports
    for report in queue.reports:
        assert not traces.leaks("summary", repr(presenters.report_summary(report, counts={})))


def test_moderating_and_auditing_zeldas_work_names_content_not_people(
    make_browser, attack_world, traces
):
    group, report = attack_world.group.slug, attack_world.a_published[0]
    facilitator = signed_in(make_browser, attack_world.facilitator.email)
    for url in (
        f"/g/{group}/review/reports/{report.public_id}/moderate",
        f"/g/{group}/review/published",
        f"/reports/{report.public_id}",
    ):
        response = facilitator.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert str(escape(report.title)) in html, url
        assert not traces.leaks(url, html), url

    events = db.session.query(AuditEvent).all()
    assert {e.action for e in events} >= {"report.reject", "report.approve", "report.merge"}
    for event in events:
        text = f"{event.actor_label} {event.action} {event.target_label} {event.details}"
        assert not traces.leaks(f"audit {event.action}", text)
    html = (
        signed_in(make_browser, attack_world.admin.email)
        .get("/admin/audit/")
        .get_data(as_text=True)
    )
    assert str(escape(attack_world.a_published[-1].title)) in html  # the approval, by content
    assert not traces.leaks("/admin/audit/", html)
