"""The meetings API: a facilitator's cycle and a member's anonymous item, bad input as
clear 4xx with nothing saved, and real answers matching the OpenAPI document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa
from openapi_schema_validator import OAS31Validator

from credgroup.extensions import db
from credgroup.meetings.models import AgendaItem, ItemSubmission, Meeting, MeetingSeries


class Api:
    def __init__(self, client, token: str) -> None:
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, url: str):
        return self.client.get(f"/api/v1{url}", headers=self.headers)

    def send(self, method: str, url: str, body: Any = None):
        return self.client.open(f"/api/v1{url}", method=method, headers=self.headers, json=body)


@pytest.fixture
def api(client, meeting_world):
    w = meeting_world
    return {
        who: Api(client, w.factory.api_token(getattr(w, who)))
        for who in ("fran", "alice", "bob", "olga")
    }


@pytest.fixture
def document(client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


def check(document, path: str, method: str, response, status: str | None = None) -> None:
    """The response matches the schema the document declares for it."""
    status = status or str(response.status_code)
    declared = document["paths"][path][method]["responses"][status]
    if "$ref" in declared:
        name = declared["$ref"].rsplit("/", 1)[-1]
        declared = document["components"]["responses"][name]
    schema = declared["content"]["application/json"]["schema"]
    OAS31Validator({**schema, "components": document["components"]}).validate(response.get_json())


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def local_in(zone: str, days: float) -> str:
    return (
        (datetime.now(UTC) + timedelta(days=days))
        .astimezone(ZoneInfo(zone))
        .strftime("%Y-%m-%dT%H:%M")
    )


def test_a_whole_cycle_through_the_api(api, meeting_world, document):
    w = meeting_world
    fran, alice, bob = api["fran"], api["alice"], api["bob"]
    slug = w.group.slug

    made = fran.send(
        "POST",
        f"/groups/{slug}/series",
        {
            "title": "Monthly",
            "cadence": "monthly",
            "standing_items": [{"title": "Round robin", "duration_minutes": 30}],
        },
    )
    assert made.status_code == 201, made.get_json()
    check(document, "/groups/{slug}/series", "post", made)
    series_id = made.get_json()["id"]

    start = local_in("America/Chicago", 30)
    created = fran.send(
        "POST",
        f"/groups/{slug}/meetings",
        {
            "title": "API meeting",
            "starts_at": start,
            "duration_minutes": 90,
            "series": series_id,
            "place": "Chicago",
        },
    )
    assert created.status_code == 201, created.get_json()
    check(document, "/groups/{slug}/meetings", "post", created)
    meeting = created.get_json()
    mid = meeting["id"]
    assert meeting["status"] == "draft" and meeting["local_start"].startswith(start)
    assert [i["kind"] for i in meeting["agenda"]][:1] == ["statements"]
    assert "Round robin" in [i["title"] for i in meeting["agenda"]]

    assert alice.get(f"/meetings/{mid}").status_code == 404  # a draft
    published = fran.send("POST", f"/meetings/{mid}/publish")
    check(document, "/meetings/{meeting_id}/publish", "post", published)
    listing = alice.get(f"/groups/{slug}/meetings")
    check(document, "/groups/{slug}/meetings", "get", listing)
    assert [m["id"] for m in listing.get_json()["items"]] == [mid]

    call = fran.send("PUT", f"/meetings/{mid}/call", {"deadline": local_in("America/Chicago", 20)})
    assert call.status_code == 200 and call.get_json()["call"]["open"] is True

    sent = alice.send(
        "POST", f"/meetings/{mid}/submissions", {"topic": "Tungsten fees", "anonymous": True}
    )
    assert sent.status_code == 201
    check(document, "/meetings/{meeting_id}/submissions", "post", sent)
    assert sent.get_json()["submitter"] == "You"
    bob.send("POST", f"/meetings/{mid}/submissions", {"topic": "Coupa flips"})

    staff_list = fran.get(f"/meetings/{mid}/submissions")
    check(document, "/meetings/{meeting_id}/submissions", "get", staff_list)
    labels = {s["topic"]: s["submitter"] for s in staff_list.get_json()["items"]}
    assert labels == {
        "Tungsten fees": "Anonymous member",
        "Coupa flips": "Bob Boulder (Granite Ridge Supply)",
    }
    assert "alice" not in staff_list.get_data(as_text=True).lower()
    own = bob.get(f"/meetings/{mid}/submissions").get_json()["items"]
    assert [s["topic"] for s in own] == ["Coupa flips"]

    sid = sent.get_json()["id"]
    decided = fran.send(
        "POST", f"/meetings/{mid}/submissions/{sid}", {"decision": "accept", "duration_minutes": 20}
    )
    check(document, "/meetings/{meeting_id}/submissions/{submission_id}", "post", decided)
    item_id = decided.get_json()["agenda_item"]
    moved = fran.send("PATCH", f"/meetings/{mid}/items/{item_id}", {"move": "up"})
    check(document, "/meetings/{meeting_id}/items/{item_id}", "patch", moved)
    titles = [i["title"] for i in moved.get_json()["agenda"]]
    assert titles.index("Tungsten fees") < titles.index("Round robin")

    detail = bob.get(f"/meetings/{mid}")
    check(document, "/meetings/{meeting_id}", "get", detail)
    assert all(i["notes"] is None for i in detail.get_json()["agenda"])

    ics = alice.get(f"/meetings/{mid}/ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    (event,) = icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{mid}@credgroup"

    changed = fran.send("PATCH", f"/meetings/{mid}", {"place": "Online only"})
    assert changed.get_json()["sequence"] > detail.get_json()["sequence"]
    cancelled = fran.send("POST", f"/meetings/{mid}/cancel", {"reason": "Snow"})
    assert cancelled.get_json()["status"] == "cancelled"
    clone = fran.send("POST", f"/groups/{slug}/meetings/clone", {"series": series_id})
    assert clone.status_code == 201 and clone.get_json()["status"] == "draft"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": -15}, "duration_minutes"),
        ({"duration_minutes": True}, "duration_minutes"),
        ({"timezone": "Nowhere/Land"}, "timezone"),
        ({"starts_at": "2031-02-30T10:00"}, "starts_at"),
        ({"starts_at": "2031-03-09T02:30", "timezone": "America/New_York"}, "starts_at"),
        ({"title": "x" * 201}, "title"),
        ({"colour": "blue"}, "colour"),
        ({"video_link": "ftp://example.com"}, "video_link"),
    ],
)
def test_bad_meetings_are_422_naming_the_field_with_nothing_saved(
    api, meeting_world, document, body, field
):
    w = meeting_world
    payload = {"title": "Bad", "starts_at": "2031-05-01T10:00", **body}
    response = api["fran"].send("POST", f"/groups/{w.group.slug}/meetings", payload)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field
    check(document, "/groups/{slug}/meetings", "post", response)
    assert count(Meeting) == 0


def test_member_cannot_plan_and_outsider_cannot_see(api, meeting_world):
    w = meeting_world
    meeting = w.meeting()
    denied = api["alice"].send(
        "POST", f"/groups/{w.group.slug}/meetings", {"title": "x", "starts_at": "2031-05-01T10:00"}
    )
    assert denied.status_code == 403
    assert api["olga"].get(f"/meetings/{meeting.public_id}").status_code == 404
    assert api["olga"].get(f"/meetings/{meeting.public_id}/ics").status_code == 404
    assert api["olga"].get(f"/groups/{w.group.slug}/meetings").status_code == 404


def test_statements_cannot_be_removed_through_the_api(api, meeting_world):
    w = meeting_world
    meeting = w.meeting()
    statements = next(i for i in meeting.items if not i.removable)
    response = api["fran"].send(
        "DELETE", f"/meetings/{meeting.public_id}/items/{statements.public_id}"
    )
    assert response.status_code == 422
    assert count(AgendaItem) == len(meeting.items)


def test_submissions_past_the_deadline_or_to_cancelled_meetings_are_refused(api, meeting_world):
    w = meeting_world
    meeting = w.meeting()
    url = f"/meetings/{meeting.public_id}"
    api["fran"].send("PUT", f"{url}/call", {"deadline": local_in(meeting.timezone, 3)})
    db.session.expire_all()
    call = db.session.get(Meeting, meeting.id).call
    call.deadline = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    late = api["alice"].send("POST", f"{url}/submissions", {"topic": "Late"})
    assert late.status_code == 422 and "deadline" in late.get_json()["error"]["message"]
    api["fran"].send("POST", f"{url}/cancel", {})
    cancelled = api["alice"].send("POST", f"{url}/submissions", {"topic": "Too late"})
    assert cancelled.status_code == 422
    assert count(ItemSubmission) == 0
    bad = api["fran"].send("PUT", f"{url}/call", {"deadline": local_in(meeting.timezone, 3)})
    assert bad.status_code == 422


def test_bad_series_input(api, meeting_world):
    w = meeting_world
    for body, field in (
        ({"title": "S", "cadence": "weekly"}, "cadence"),
        ({"title": "S", "default_duration_minutes": 0}, "default_duration_minutes"),
        (
            {"title": "S", "standing_items": [{"title": "X", "duration_minutes": -1}]},
            "duration_minutes",
        ),
        ({"title": "S", "standing_items": "no"}, "standing_items"),
    ):
        response = api["fran"].send("POST", f"/groups/{w.group.slug}/series", body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["field"] == field
    assert count(MeetingSeries) == 0
