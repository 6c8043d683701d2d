"""An anonymous item leaves no trace of its submitter anywhere staff or other members look:
pages, the API, the .ics, the feed, the audit log, emails; and after acceptance, the
agenda and the minutes' items carry no submitter at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.meetings import calendar, calls, reminders
from credgroup.meetings.models import AgendaItem
from credgroup.notify.models import OutboxEmail


def traces(w) -> list[str]:
    alice = w.alice
    submission = db.session.scalars(sa.select(calls.ItemSubmission)).first()
    found = [alice.name, alice.email, "Alice", "Northfield", "NFA", alice.public_id, str(alice.id)]
    if submission is not None and submission.submitter_pseudonym:
        found += [submission.submitter_pseudonym, submission.submitter_pseudonym[:16]]
    return found


def assert_clean(text: str, w, where: str) -> None:
    for trace in traces(w):
        if trace == str(w.alice.id):
            continue  # a bare small number appears in any page; checked via public ids
        assert trace not in text, f"{trace!r} found in {where}"


def test_anonymous_item_has_no_trace_for_staff_admins_members_or_email(meeting_world, client):
    w = meeting_world
    meeting = w.meeting(starts_in=timedelta(days=5))
    calls.open_call(w.fran, meeting, deadline=datetime.now(UTC) + timedelta(days=2))
    db.session.commit()
    alice = w.browser(w.alice)
    url = f"/meetings/{meeting.public_id}"
    alice.post_form(
        f"{url}/items/new",
        {
            "topic": "Supplier fees on the network",
            "details": "Our count crossed a tier.",
            "mode": "discussion",
            "anonymous": "y",
        },
    )
    submission = db.session.scalars(sa.select(calls.ItemSubmission)).one()
    assert submission.anonymous and submission.submitter_id is None
    w.browser(w.fran).post_form(
        f"{url}/call",
        {f"s-{submission.public_id}-duration_minutes": "15", "decision": "accept"},
        action=f"{url}/submissions/{submission.public_id}/decide",
    )
    item = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.title.like("Supplier%"))).one()
    assert not hasattr(item, "submitter_id")

    pages = [url, f"{url}/call", f"{url}/agenda", f"{url}.ics", f"/g/{w.group.slug}/meetings"]
    for who in (w.fran, w.admin, w.bob, w.ned):
        browser = w.browser(who)
        for page in pages:
            response = browser.get(page)
            if response.status_code == 200:
                assert_clean(response.get_data(as_text=True), w, f"{page} as {who.name}")
    assert_clean(w.browser(w.admin).get("/admin/audit/").get_data(as_text=True), w, "audit")

    for who in (w.fran, w.admin):
        token = w.factory.api_token(who)
        headers = {"Authorization": f"Bearer {token}"}
        for path in (
            f"/api/v1/meetings/{meeting.public_id}",
            f"/api/v1/meetings/{meeting.public_id}/submissions",
        ):
            response = client.get(path, headers=headers)
            assert response.status_code == 200
            assert_clean(response.get_data(as_text=True), w, f"{path} as {who.name}")
            if path.endswith("submissions"):
                assert "Anonymous member" in response.get_data(as_text=True)

    assert_clean(calendar.feed_ics(w.fran).decode(), w, "feed")
    reminders.send_due_reminders(datetime.now(UTC) + timedelta(days=1))
    db.session.commit()
    emails = db.session.scalars(sa.select(OutboxEmail)).all()
    assert emails
    for email in emails:
        if email.to_addr != w.alice.email and email.to_addr != w.ned.email:
            assert_clean(
                email.subject + email.body_text + (email.attachment_text or ""),
                w,
                f"email to {email.to_addr}",
            )
