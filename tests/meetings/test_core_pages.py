"""The meeting pages: a facilitator's cycle and a member's view, without JavaScript."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.meetings import agenda, calls
from credgroup.meetings.models import (
    AgendaItem,
    ItemKind,
    ItemSubmission,
    Meeting,
    MeetingStatus,
    SubmissionState,
)


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def local_in(meeting_or_zone, days: float) -> str:
    zone = getattr(meeting_or_zone, "timezone", meeting_or_zone)
    moment = (datetime.now(UTC) + timedelta(days=days)).astimezone(ZoneInfo(zone))
    return moment.strftime("%Y-%m-%dT%H:%M")


def only_meeting() -> Meeting:
    db.session.expire_all()
    return db.session.scalars(sa.select(Meeting)).one()


MEETING_FORM = {
    "title": "Spring meeting",
    "duration_minutes": "120",
    "timezone": "America/Chicago",
    "place": "Chicago",
    "video_link": "https://video.example/x",
    "description": "Bring your **Coupa** questions.",
    "series": "",
}


def test_facilitator_plans_a_meeting_and_members_see_it_once_published(meeting_world):
    w = meeting_world
    fran, alice = w.browser(w.fran), w.browser(w.alice)
    page = f"/g/{w.group.slug}/meetings/new"
    response = fran.post_form(page, {**MEETING_FORM, "starts_at": "2031-03-13T10:00"})
    assert response.status_code == 302
    meeting = only_meeting()
    assert meeting.starts_at == datetime(2031, 3, 13, 15, 0, tzinfo=UTC)  # CDT
    url = f"/meetings/{meeting.public_id}"
    assert alice.get(url).status_code == 404  # a draft
    fran.post_form(url, {}, action=f"{url}/publish")
    html = alice.get(url).get_data(as_text=True)
    assert "Spring meeting" in html and "<strong>Coupa</strong>" in html
    assert "Antitrust, anti-defamation and confidentiality statements" in html
    assert "America/Chicago" in html
    assert w.browser(w.olga).get(url).status_code == 404
    listing = alice.get(f"/g/{w.group.slug}/meetings").get_data(as_text=True)
    assert "Spring meeting" in listing
    assert 'href="/meetings/"' in alice.get("/").get_data(as_text=True) or "Meetings" in listing


def test_bad_meeting_input_is_refused_with_the_input_kept_and_nothing_saved(meeting_world):
    w = meeting_world
    fran = w.browser(w.fran)
    page = f"/g/{w.group.slug}/meetings/new"
    cases = [
        ({"duration_minutes": "0"}, "must be positive"),
        ({"duration_minutes": "-60"}, "must be positive"),
        ({"timezone": "Atlantis/Capital"}, "Unknown time zone"),
        ({"starts_at": "not a date"}, "Enter a date and time"),
        ({"starts_at": "2031-03-09T02:30", "timezone": "America/New_York"}, "does not exist"),
        ({"video_link": "javascript:alert(1)"}, "https://"),
        ({"title": ""}, "required"),
    ]
    for change, message in cases:
        data = {**MEETING_FORM, "starts_at": "2031-05-01T10:00", **change}
        response = fran.post_form(page, data)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert message in html, change
        assert 'value="Spring meeting"' in html or change.get("title") == ""
    assert count(Meeting) == 0


def test_call_anonymous_and_open_submissions_and_decisions(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    fran, alice, bob = w.browser(w.fran), w.browser(w.alice), w.browser(w.bob)
    url = f"/meetings/{meeting.public_id}"
    response = fran.post_form(f"{url}/call", {"deadline": local_in(meeting, 10)})
    assert response.status_code == 302
    alice.post_form(
        f"{url}/items/new",
        {
            "topic": "Ariba tier fees",
            "details": "Since May.",
            "mode": "discussion",
            "anonymous": "y",
        },
    )
    bob.post_form(f"{url}/items/new", {"topic": "Coupa PO flip", "mode": "information"})
    mine = alice.get(f"{url}/items/new").get_data(as_text=True)
    assert "Ariba tier fees" in mine and "Coupa PO flip" not in mine
    staff_view = fran.get(f"{url}/call").get_data(as_text=True)
    assert "Anonymous member" in staff_view
    assert "Alice" not in staff_view and "Northfield" not in staff_view
    assert "Bob Boulder (Granite Ridge Supply)" in staff_view
    anonymous = db.session.scalars(
        sa.select(ItemSubmission).where(ItemSubmission.topic == "Ariba tier fees")
    ).one()
    assert anonymous.submitter_id is None
    fran.post_form(
        f"{url}/call",
        {f"s-{anonymous.public_id}-duration_minutes": "25", "decision": "accept"},
        action=f"{url}/submissions/{anonymous.public_id}/decide",
    )
    db.session.expire_all()
    assert db.session.get(ItemSubmission, anonymous.id).state is SubmissionState.ACCEPTED
    page = bob.get(url).get_data(as_text=True)
    assert "Ariba tier fees" in page and "Alice" not in page and "Northfield" not in page
    # A member cannot decide, nor see the call's management page
    assert bob.get(f"{url}/call").status_code == 403


def test_submission_after_the_deadline_gets_a_clear_error(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    deadline = datetime.now(UTC) + timedelta(days=2)
    calls.open_call(w.fran, meeting, deadline=deadline)
    db.session.commit()
    alice = w.browser(w.alice)
    url = f"/meetings/{meeting.public_id}/items/new"
    page = alice.get(url)  # the form is shown while open...
    meeting.call.deadline = datetime.now(UTC) - timedelta(minutes=5)
    db.session.commit()
    from tests.fixtures.app import csrf_token_from

    token = csrf_token_from(page.get_data(as_text=True))
    response = alice.client.post(
        url, data={"topic": "Late", "mode": "discussion", "csrf_token": token}
    )
    assert response.status_code == 422
    assert "deadline for items has passed" in response.get_data(as_text=True)
    assert count(ItemSubmission) == 0


def test_agenda_editor_reorders_without_javascript_and_keeps_statements_first(meeting_world):
    w = meeting_world
    meeting = w.meeting(duration_minutes=30)
    fran = w.browser(w.fran)
    url = f"/meetings/{meeting.public_id}/agenda"
    for title, minutes in (("Ariba", "10"), ("Coupa", "20")):
        response = fran.post_form(
            url,
            {
                "title": title,
                "duration_minutes": minutes,
                "mode": "discussion",
                "kind": "other",
                "notes": f"note about {title}",
            },
        )
        assert response.status_code == 302
    html = fran.get(url).get_data(as_text=True)
    assert "runs 5 minutes over" in html
    # Each control names its item, "Move up: Ariba", with no stray space before the colon.
    for control in ("Move up", "Move down", "Edit", "Remove"):
        assert f'aria-label="{control}: Ariba"' in html
    assert 'class="visually-hidden">:' not in html
    assert "note about Ariba" in html
    coupa = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.title == "Coupa")).one()
    for _ in range(3):
        fran.post_form(url, {"direction": "up"}, action=f"{url}/{coupa.public_id}/move")
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    titles = [i.title for i in agenda.ordered_items(meeting)]
    assert titles == [agenda.STATEMENTS_TITLE, "Coupa", "Ariba"]
    statements = agenda.ordered_items(meeting)[0]
    response = fran.post_form(url, {}, action=f"{url}/{statements.public_id}/remove")
    assert response.status_code == 422 and "cannot be removed" in response.get_data(as_text=True)
    member_view = w.browser(w.bob).get(f"/meetings/{meeting.public_id}").get_data(as_text=True)
    assert "note about Ariba" not in member_view  # notes are facilitator-only
    assert w.browser(w.bob).get(url).status_code == 403


def test_bad_item_durations_are_refused(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    fran = w.browser(w.fran)
    url = f"/meetings/{meeting.public_id}/agenda"
    before = count(AgendaItem)
    for minutes in ("0", "-5", "ten"):
        response = fran.post_form(
            url, {"title": "X", "duration_minutes": minutes, "mode": "discussion", "kind": "other"}
        )
        assert response.status_code == 422
        assert "duration" in response.get_data(as_text=True)
    assert count(AgendaItem) == before


def test_meeting_ics_download_and_private_feed(meeting_world):
    w = meeting_world
    meeting = w.meeting(title="Feed me")
    alice = w.browser(w.alice)
    response = alice.get(f"/meetings/{meeting.public_id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    (event,) = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Feed me"
    page = alice.post_form("/calendar", {}).get_data(as_text=True)
    feed_url = re.search(r'class="token-once">([^<]+)<', page).group(1)
    path = feed_url.replace("http://localhost", "")
    anonymous_client = w.make_browser()
    feed = anonymous_client.get(path)
    assert feed.status_code == 200 and b"Feed me" in feed.data
    token_id = re.search(
        r'/calendar/([^/"]+)/revoke', alice.get("/calendar").get_data(as_text=True)
    ).group(1)
    alice.post_form("/calendar", {}, action=f"/calendar/{token_id}/revoke")
    assert anonymous_client.get(path).status_code == 404


def test_cancel_from_the_page_and_no_more_submissions(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    calls.open_call(w.fran, meeting, deadline=datetime.now(UTC) + timedelta(days=3))
    db.session.commit()
    fran = w.browser(w.fran)
    url = f"/meetings/{meeting.public_id}"
    fran.post_form(url, {"reason": "Snow"}, action=f"{url}/cancel")
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.CANCELLED
    html = w.browser(w.alice).get(f"{url}/items/new").get_data(as_text=True)
    assert "closed" in html


def test_series_and_clone_from_last(meeting_world):
    w = meeting_world
    fran = w.browser(w.fran)
    response = fran.post_form(
        f"/g/{w.group.slug}/series",
        {
            "title": "Monthly roundtable",
            "cadence": "monthly",
            "timezone": "America/Chicago",
            "default_place": "",
            "default_video_link": "",
            "default_duration_minutes": "90",
        },
    )
    assert response.status_code == 302
    series_url = response.headers["Location"]
    fran.post_form(
        series_url,
        {"title": "Round robin", "duration_minutes": "30", "mode": "discussion"},
        action=f"{series_url}/standing",
    )
    from credgroup.meetings.models import MeetingSeries

    found = db.session.scalars(sa.select(MeetingSeries)).one()
    w.meeting(series=found, starts_in=timedelta(days=-3))
    response = fran.post_form(
        f"/g/{w.group.slug}/meetings",
        {"series": found.public_id},
        action=f"/g/{w.group.slug}/meetings/clone",
    )
    assert response.status_code == 302
    db.session.expire_all()
    newest = db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at.desc())).first()
    assert newest.status is MeetingStatus.DRAFT
    assert "Round robin" in [i.title for i in newest.items]
    kinds = [i.kind for i in agenda.ordered_items(newest)]
    assert kinds[0] is ItemKind.STATEMENTS and ItemKind.MINUTES_APPROVAL in kinds


def test_times_are_shown_in_the_viewers_time_zone(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    w.bob.timezone = "Europe/Berlin"
    db.session.commit()
    expected_chicago = meeting.starts_at.astimezone(ZoneInfo("America/Chicago")).strftime("%H:%M")
    expected_berlin = meeting.starts_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M")
    assert expected_chicago == "10:00" and expected_berlin != expected_chicago
    bob_page = w.browser(w.bob).get(f"/meetings/{meeting.public_id}").get_data(as_text=True)
    assert f"{expected_berlin} CE" in bob_page  # CET or CEST
    assert "10:00 C" in bob_page  # and where the group meets (CST/CDT)


def test_open_actions_of_the_group_show_on_the_next_meeting_page(meeting_world):
    from datetime import date

    from credgroup.meetings.models import ActionItem

    w = meeting_world
    earlier = w.meeting(starts_in=timedelta(days=-30), title="Earlier")
    db.session.add_all(
        [
            ActionItem(
                meeting=earlier,
                what="Collect Jaggaer contacts",
                owner_label="Facilitator",
                due_on=date.today() + timedelta(days=3),
            ),
            ActionItem(meeting=earlier, what="Ask Coupa about tiers", owner_user_id=w.bob.id),
        ]
    )
    db.session.commit()
    nxt = w.meeting(title="Next")
    page = w.browser(w.bob).get(f"/meetings/{nxt.public_id}").get_data(as_text=True)
    section = page.split('id="open-actions-heading"', 1)[1].split("</section>", 1)[0]
    # Each item with its owner and the meeting it came from, as on the action-items page.
    source = f'<a href="/meetings/{earlier.public_id}">Earlier</a>'
    for what, owner in (("Collect Jaggaer contacts", "Facilitator"), ("Ask Coupa", w.bob.name)):
        row = next(r for r in section.split("<tr>") if what in r)
        assert f"<td>{owner}</td>" in row and source in row
    assert "Approval of the minutes of Earlier" in page
    assert f"/meetings/{earlier.public_id}/minutes" in page


def test_unknown_ids_nul_characters_and_long_text_are_clear_4xx(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    fran = w.browser(w.fran)
    for path in (
        "/meetings/nope",
        "/meetings/nope.ics",
        f"/meetings/{meeting.public_id}/agenda/nope/edit",
        "/series/nope",
        "/g/nope/meetings",
        "/calendar/feed/cgcal_nope.ics",
        "/calendar/feed/x.ics",
    ):
        assert fran.get(path).status_code == 404, path
    assert fran.get("/meetings/a%00b").status_code == 400
    response = fran.post_form(
        f"/meetings/{meeting.public_id}/agenda",
        {"title": "T" * 300, "duration_minutes": "10", "mode": "discussion", "kind": "other"},
    )
    assert response.status_code == 422
    response = fran.post_form(
        f"/meetings/{meeting.public_id}/agenda",
        {
            "title": "Linked",
            "duration_minutes": "10",
            "mode": "discussion",
            "kind": "other",
            "report": "not-a-report",
            "article": "",
        },
    )
    assert response.status_code == 422 and "No such report" in response.get_data(as_text=True)
    response = fran.post_form(
        f"/meetings/{meeting.public_id}/agenda",
        {
            "title": "Standing by hand",
            "duration_minutes": "10",
            "mode": "discussion",
            "kind": "statements",
        },
    )
    assert response.status_code == 422
