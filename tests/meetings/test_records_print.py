"""Printable agenda and the facilitator's meeting book."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from credgroup.extensions import db
from credgroup.meetings import actions, agenda, rsvp
from tests.meetings.records_world import past_meeting

NOTE = "Keep Coupa discussion to facts; remind of antitrust"


def _meeting_with_notes(world):
    meeting = world.meeting(starts_in=timedelta(days=14), title="Autumn meeting")
    agenda.add_item(
        world.fran,
        meeting,
        title="Round-robin on portal fees",
        duration_minutes=30,
        description="Each member: **one** portal problem.",
        notes=NOTE,
    )
    db.session.commit()
    return meeting


def test_members_print_the_agenda_with_times_and_statements_but_no_notes(meeting_world):
    meeting = _meeting_with_notes(meeting_world)
    response = meeting_world.browser(meeting_world.bob).get(f"/meetings/{meeting.public_id}/print")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "css/meeting-print.css" in page
    assert "Round-robin on portal fees" in page
    assert "<strong>one</strong>" in page  # the description is Markdown
    # Computed start times, in the reader's time zone (Bob's, not the meeting's).
    second = agenda.agenda_rows(meeting, None)[1]
    local = second.starts_at.astimezone(ZoneInfo(meeting_world.bob.timezone))
    assert f"{local:%H:%M}\N{EN DASH}" in page
    assert meeting_world.group.antitrust_statement[:40] in page
    assert NOTE not in page


def test_the_printed_agenda_never_shows_notes_even_to_the_facilitator(meeting_world):
    meeting = _meeting_with_notes(meeting_world)
    page = meeting_world.browser(meeting_world.fran).get(f"/meetings/{meeting.public_id}/print")
    assert NOTE not in page.get_data(as_text=True)


def test_facilitator_meeting_book_has_notes_attendance_answers_and_open_actions(meeting_world):
    w = meeting_world
    earlier = past_meeting(w, hours_ago=24 * 30, title="Winter meeting")
    actions.add_action(w.fran, earlier, what="Send the fee survey", owner=w.bob.public_id)
    meeting = _meeting_with_notes(w)
    rsvp.respond(w.alice, meeting, "yes", "remote")
    db.session.commit()

    response = w.browser(w.fran).get(f"/meetings/{meeting.public_id}/book")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Meeting book" in page
    assert NOTE in page
    assert "Alice Archer" in page and "remote" in page
    assert "Send the fee survey" in page and "Bob Boulder" in page
    assert "css/meeting-print.css" in page


def test_members_cannot_open_the_meeting_book(meeting_world):
    meeting = _meeting_with_notes(meeting_world)
    bob = meeting_world.browser(meeting_world.bob)
    assert bob.get(f"/meetings/{meeting.public_id}/book").status_code == 403
    olga = meeting_world.browser(meeting_world.olga)
    assert olga.get(f"/meetings/{meeting.public_id}/print").status_code == 404


def test_the_print_style_sheet_is_served_and_has_page_rules(meeting_world, client):
    with client.get("/static/css/meeting-print.css") as response:
        assert response.status_code == 200
        css = response.get_data(as_text=True)
    assert "@media print" in css and "break-before: page" in css


def test_meeting_book_renders_linked_reports_and_articles_in_full_without_the_reporter(
    meeting_world,
):
    from credgroup.kb import articles
    from credgroup.portals.services import seed_catalogue
    from credgroup.reports import authoring
    from tests.meetings.records_world import assert_no_trace
    from tests.reports.conftest import REPORT_DATA

    w = meeting_world
    seed_catalogue()
    report = authoring.publish_report(
        w.alice,
        w.group,
        {**REPORT_DATA, "body": "Every invoice for one buyer came back **twice**."},
        redact_keys=[],
    )
    article = articles.create_article(
        w.fran,
        {
            "title": "Getting past INV-15",
            "problem": "Ariba refuses invoices for orders sent outside the network.",
            "workaround": "1. Ask the buyer to *flip* the PO.",
        },
        group=w.group,
        publish=True,
    )
    db.session.commit()
    meeting = _meeting_with_notes(w)
    agenda.add_item(
        w.fran, meeting, title="INV-15 again", report=report.public_id, article=article.public_id
    )
    db.session.commit()

    page = w.browser(w.fran).get(f"/meetings/{meeting.public_id}/book").get_data(as_text=True)
    assert "Every invoice for one buyer came back <strong>twice</strong>." in page
    assert REPORT_DATA["error_message"] in page
    assert REPORT_DATA["workaround"] in page
    assert "Ariba refuses invoices for orders sent outside the network." in page
    assert "<em>flip</em>" in page
    assert 'class="attachment"' in page
    assert_no_trace(page, w.alice)
    # The members' agenda links to them, but does not print them in full.
    agenda_page = w.browser(w.bob).get(f"/meetings/{meeting.public_id}/print")
    assert "Every invoice for one buyer" not in agenda_page.get_data(as_text=True)
    assert f"/reports/{report.public_id}" in agenda_page.get_data(as_text=True)


def test_meeting_book_prints_the_meetings_frozen_trend_report(meeting_world):
    trends = pytest.importorskip("credgroup.trends.service")
    w = meeting_world
    meeting = _meeting_with_notes(w)
    today = date.today()
    snapshot = trends.freeze_snapshot(
        w.fran, w.group, today - timedelta(days=60), today, meeting_id=meeting.id
    )
    db.session.commit()
    page = w.browser(w.fran).get(f"/meetings/{meeting.public_id}/book").get_data(as_text=True)
    assert "Trend report:" in page
    assert trends.snapshot_payload(snapshot)["period"]["label"] in page
    assert "css/trends.css" in page
