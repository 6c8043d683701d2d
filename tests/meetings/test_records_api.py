"""Meeting records through /api/v1: the whole cycle, permissions and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.meetings import meetings
from credgroup.meetings.models import (
    ActionItem,
    Attendance,
    MinutesEntry,
    MinutesState,
    Rsvp,
    StatementAcknowledgement,
)
from tests.meetings.records_world import RecordsApi, past_meeting


@pytest.fixture
def api(app, meeting_world):
    cache: dict[int, RecordsApi] = {}

    def make(user) -> RecordsApi:
        if user.id not in cache:
            cache[user.id] = RecordsApi(app, meeting_world.factory, user)
        return cache[user.id]

    return make


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_rsvp_and_acknowledgement_through_the_api(meeting_world, api):
    w = meeting_world
    meeting = w.meeting()
    alice = api(w.alice)
    base = f"/meetings/{meeting.public_id}"

    mine = alice.check(alice.get(f"{base}/rsvp"), "/meetings/{meeting_id}/rsvp")
    assert mine["answer"] is None
    response = alice.put(f"{base}/rsvp", {"answer": "maybe", "attendance": "in_person"})
    assert response.status_code == 200
    body = alice.check(response, "/meetings/{meeting_id}/rsvp", "put")
    assert body["answer"] == "maybe" and body["counts"]["maybe"] == 1

    statements = alice.check(alice.get(f"{base}/statements"), "/meetings/{meeting_id}/statements")
    assert [s["key"] for s in statements["statements"]] == [
        "antitrust",
        "anti_defamation",
        "confidentiality",
    ]
    assert statements["statements"][0]["text"] == w.group.antitrust_statement
    assert statements["acknowledged_at"] is None
    response = alice.post(f"{base}/acknowledgement", {"digest": statements["digest"]})
    assert response.status_code == 200
    acked = alice.check(response, "/meetings/{meeting_id}/acknowledgement", "post")
    assert acked["acknowledged_at"] and acked["current"] is True

    rsvps = api(w.fran).get(f"{base}/rsvps")
    assert [
        r["person"]["name"] for r in api(w.fran).check(rsvps, "/meetings/{meeting_id}/rsvps")
    ] == ["Alice Archer"]
    assert api(w.bob).get(f"{base}/rsvps").status_code == 403


def test_rsvp_to_a_cancelled_meeting_is_a_clear_422_with_nothing_saved(meeting_world, api):
    meeting = meeting_world.meeting()
    meetings.cancel_meeting(meeting_world.fran, meeting)
    db.session.commit()
    response = api(meeting_world.bob).put(
        f"/meetings/{meeting.public_id}/rsvp", {"answer": "yes", "attendance": "remote"}
    )
    assert response.status_code == 422
    assert response.get_json()["error"] == {
        "code": "validation_error",
        "message": "This meeting was cancelled.",
        "field": "answer",
    }
    assert _count(Rsvp) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answer": "sure"}, "answer"),
        ({"answer": 1}, "answer"),
        ({"answer": "yes", "attendance": "teleport"}, "attendance"),
        ({"answer": "yes", "attendance": "remote", "plus_one": True}, "plus_one"),
    ],
)
def test_bad_rsvps_name_the_field(meeting_world, api, body, field):
    meeting = meeting_world.meeting()
    response = api(meeting_world.bob).put(f"/meetings/{meeting.public_id}/rsvp", body)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field
    assert _count(Rsvp) == 0


def test_a_stale_statements_digest_is_refused(meeting_world, api):
    meeting = meeting_world.meeting()
    response = api(meeting_world.bob).post(
        f"/meetings/{meeting.public_id}/acknowledgement", {"digest": "0" * 64}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "statements"
    assert _count(StatementAcknowledgement) == 0


def test_outsiders_get_404_for_every_records_endpoint(meeting_world, api):
    meeting = past_meeting(meeting_world)
    olga = api(meeting_world.olga)
    base = f"/meetings/{meeting.public_id}"
    for url in ("/rsvp", "/statements", "/attendance", "/minutes", "/actions"):
        assert olga.get(base + url).status_code == 404, url
    assert olga.get(f"/groups/{meeting_world.group.slug}/attendance-report").status_code == 404


def test_the_whole_records_cycle_through_the_api(meeting_world, api):
    """Attendance, minutes with review by attendees, publishing, actions and the reports."""
    w = meeting_world
    meeting = past_meeting(w)
    base = f"/meetings/{meeting.public_id}"
    fran, alice, bob, ned = api(w.fran), api(w.alice), api(w.bob), api(w.ned)

    sheet = fran.check(fran.get(f"{base}/attendance"), "/meetings/{meeting_id}/attendance")
    ids = {row["person"]["name"]: row["person"]["id"] for row in sheet["people"]}
    assert set(ids) == {"Alice Archer", "Ned North", "Bob Boulder", "Fran Facilitator"}
    response = fran.put(
        f"{base}/attendance",
        {
            "present": [ids["Alice Archer"], ids["Bob Boulder"], ids["Fran Facilitator"]],
            "attended_as": {ids["Bob Boulder"]: "remote"},
        },
    )
    assert response.status_code == 200
    taken = fran.check(response, "/meetings/{meeting_id}/attendance", "put")
    assert taken["present"] == 3 and taken["attendance_taken"] is True

    item = meeting.items[0].public_id
    response = fran.put(
        f"{base}/minutes",
        {
            "summary": "Three attended.",
            "entries": [{"item": item, "text": "Statements read.", "decisions": "None."}],
        },
    )
    assert response.status_code == 200, response.get_json()
    assert fran.check(response, "/meetings/{meeting_id}/minutes", "put")["state"] == "draft"
    assert alice.get(f"{base}/minutes").status_code == 404  # a draft

    response = fran.post(
        f"{base}/actions",
        {"what": "Share the Coupa ticket", "owner": ids["Bob Boulder"], "due_on": "2030-01-31"},
    )
    assert response.status_code == 201
    action = fran.check(response, "/meetings/{meeting_id}/actions", "post", "201")
    assert action["owner"] == {"name": "Bob Boulder", "id": ids["Bob Boulder"], "is_me": False}

    assert fran.post(f"{base}/minutes/send-for-review").status_code == 200
    assert ned.get(f"{base}/minutes").status_code == 404  # did not attend
    review = alice.put(f"{base}/minutes/review", {"approve": True})
    assert review.status_code == 200
    assert alice.check(review, "/meetings/{meeting_id}/minutes/review", "put")["my_review"][
        "approved"
    ]
    response = ned.put(f"{base}/minutes/review", {"approve": True})
    assert response.status_code == 404
    assert bob.put(f"{base}/minutes/review", {"approve": False}).status_code == 422
    bob.put(f"{base}/minutes/review", {"approve": False, "comment": "Add the ticket number."})
    staff_view = fran.get(f"{base}/minutes").get_json()
    assert {r["person"] for r in staff_view["reviews"]} == {"Alice Archer", "Bob Boulder"}
    assert alice.get(f"{base}/minutes").get_json()["reviews"] == []  # only her own

    published = fran.post(f"{base}/minutes/publish")
    assert fran.check(published, "/meetings/{meeting_id}/minutes/publish", "post")["state"] == (
        "published"
    )
    ned_view = ned.check(ned.get(f"{base}/minutes"), "/meetings/{meeting_id}/minutes")
    assert ned_view["items"][0]["text"] == "Statements read."
    assert ned_view["items"][0]["actions"] == [] and len(ned_view["other_actions"]) == 1
    # A member sees who an action is for by name only.
    assert ned_view["other_actions"][0]["owner"] == {
        "name": "Bob Boulder",
        "id": None,
        "is_me": False,
    }
    assert fran.put(f"{base}/minutes", {"summary": "Changed"}).status_code == 409

    mine = bob.check(bob.get("/me/actions"), "/me/actions")
    assert [a["what"] for a in mine] == ["Share the Coupa ticket"]
    assert mine[0]["owner"]["is_me"] is True
    done = bob.patch(f"/actions/{mine[0]['id']}", {"status": "done"})
    assert bob.check(done, "/actions/{action_id}", "patch")["status"] == "done"
    assert bob.get("/me/actions").get_json() == []

    year = fran.get(
        f"/groups/{w.group.slug}/attendance-report?year={meeting.starts_at.astimezone().year}"
    )
    report = fran.check(year, "/groups/{slug}/attendance-report")
    companies = {c["company"]: c for c in report["companies"]}
    assert companies["Northfield Aggregates Inc."]["meetings_attended"] == 1
    assert companies["Granite Ridge Supply"]["people_attended"] == 1


def test_members_cannot_take_attendance_write_minutes_or_add_actions(meeting_world, api):
    w = meeting_world
    meeting = past_meeting(w)
    base = f"/meetings/{meeting.public_id}"
    bob = api(w.bob)
    assert bob.get(f"{base}/attendance").status_code == 403
    assert bob.put(f"{base}/attendance", {"present": [w.bob.public_id]}).status_code == 403
    assert bob.put(f"{base}/minutes", {"summary": "Mine"}).status_code == 403
    assert bob.post(f"{base}/minutes/publish").status_code == 403
    assert bob.post(f"{base}/actions", {"what": "x", "owner_label": "All"}).status_code == 403
    assert bob.get(f"/groups/{w.group.slug}/attendance-report").status_code == 403
    assert _count(Attendance) == _count(ActionItem) == 0
    assert meeting.minutes is None


def test_a_member_changes_only_the_status_of_their_own_action(meeting_world, api):
    w = meeting_world
    meeting = past_meeting(w)
    fran, bob, alice = api(w.fran), api(w.bob), api(w.alice)
    action = fran.post(
        f"/meetings/{meeting.public_id}/actions", {"what": "Collect", "owner": w.bob.public_id}
    ).get_json()
    url = f"/actions/{action['id']}"
    assert bob.patch(url, {"what": "Something else"}).status_code == 403
    assert alice.patch(url, {"status": "done"}).status_code == 403
    assert bob.patch(url, {"status": "finished"}).status_code == 422
    assert bob.patch(url, {"status": "dropped"}).get_json()["status"] == "dropped"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"what": "Call", "owner": "nobody-here"}, "owner"),
        ({"what": "Call", "owner_label": "Fran", "due_on": "31/01/2030"}, "due_on"),
        ({"what": "Call", "owner_label": "Fran", "due_on": 20300131}, "due_on"),
        ({"what": "Call", "owner_label": "Fran", "due_on": "9999-01-01"}, "due_on"),
        ({"what": "x" * 501, "owner_label": "Fran"}, "what"),
        ({"what": "Call", "owner_label": "F" * 201}, "owner_label"),
        ({"what": "Call", "owner_label": "Fran", "agenda_item": "not-on-it"}, "agenda_item"),
        ({"what": ["Call"], "owner_label": "Fran"}, "what"),
        ({"owner_label": "Fran"}, "what"),
        ({"what": "Call", "owner_label": "Fran", "colour": "red"}, "colour"),
    ],
)
def test_bad_action_items_are_422_naming_the_field_with_nothing_saved(
    meeting_world, api, body, field
):
    meeting = past_meeting(meeting_world)
    response = api(meeting_world.fran).post(f"/meetings/{meeting.public_id}/actions", body)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["field"] == field
    assert _count(ActionItem) == 0


def test_attendance_with_an_unknown_person_saves_nothing(meeting_world, api):
    w = meeting_world
    meeting = past_meeting(w)
    fran = api(w.fran)
    for body in (
        {"present": [w.alice.public_id, w.olga.public_id]},
        {"present": "everyone"},
        {"present": [w.alice.public_id], "attended_as": {w.alice.public_id: "hologram"}},
        {"present": [w.alice.public_id], "attended_as": {w.olga.public_id: "remote"}},
        {"attended_as": {}},
    ):
        response = fran.put(f"/meetings/{meeting.public_id}/attendance", body)
        assert response.status_code == 422, body
    assert _count(Attendance) == 0


def test_minutes_entries_for_items_not_on_the_agenda_save_nothing(meeting_world, api):
    meeting = past_meeting(meeting_world)
    item = meeting.items[0].public_id
    response = api(meeting_world.fran).put(
        f"/meetings/{meeting.public_id}/minutes",
        {
            "summary": "S",
            "entries": [
                {"item": item, "text": "fine"},
                {"item": "elsewhere", "text": "not on this agenda"},
            ],
        },
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "entries"
    assert _count(MinutesEntry) == 0
    assert meeting.minutes is None


def test_over_long_minutes_text_is_refused(meeting_world, api):
    meeting = past_meeting(meeting_world)
    item = meeting.items[0].public_id
    response = api(meeting_world.fran).put(
        f"/meetings/{meeting.public_id}/minutes",
        {"entries": [{"item": item, "decisions": "d" * 20_001}]},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == f"decisions__{item}"
    assert _count(MinutesEntry) == 0


def test_minutes_cannot_be_published_without_review(meeting_world, api):
    meeting = past_meeting(meeting_world, hours_ago=2)
    fran = api(meeting_world.fran)
    fran.put(f"/meetings/{meeting.public_id}/minutes", {"summary": "S"})
    response = fran.post(f"/meetings/{meeting.public_id}/minutes/publish")
    assert response.status_code == 422
    db.session.expire_all()
    assert meeting.minutes.state is MinutesState.DRAFT


def test_year_that_is_not_a_year_is_refused(meeting_world, api):
    fran = api(meeting_world.fran)
    for year in ("20x5", "1999", "99999", "-1"):
        response = fran.get(f"/groups/{meeting_world.group.slug}/attendance-report?year={year}")
        assert response.status_code == 422, year
        assert response.get_json()["error"]["field"] == "year"


def test_rsvp_to_a_future_meeting_in_a_months_time_is_fine(meeting_world, api):
    meeting = meeting_world.meeting(starts_in=timedelta(days=40))
    response = api(meeting_world.fran).put(
        f"/meetings/{meeting.public_id}/rsvp", {"answer": "yes", "attendance": "in_person"}
    )
    assert response.status_code == 200
