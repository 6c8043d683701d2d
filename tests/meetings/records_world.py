"""Helpers for the meeting records tests (RSVP, attendance, minutes, actions, print).

Built on the meetings core's ``meeting_world`` fixture (tests/meetings/conftest.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from credgroup.extensions import db
from credgroup.meetings import calls, meetings
from credgroup.meetings.models import Meeting

ANONYMOUS_TOPIC = "Coupa drops credit memos without a PO line"


def past_meeting(world, *, hours_ago: int = 3, title: str = "Spring meeting", **fields) -> Meeting:
    """A published meeting that started ``hours_ago`` hours ago (so it is 'on the day' or
    over, and attendance and minutes can be taken)."""
    meeting = world.meeting(title=title, **fields)
    start = datetime.now(UTC) - timedelta(hours=hours_ago)
    meetings.update_meeting(world.fran, meeting, starts_at=start)
    db.session.commit()
    return meeting


def meeting_with_anonymous_item(world) -> tuple[Meeting, str]:
    """A meeting whose agenda holds an item Alice submitted anonymously; then the meeting
    takes place (it is moved to have started two hours ago). Returns it and the item's
    public id."""
    meeting = world.meeting(starts_in=timedelta(days=20), title="Summer meeting")
    deadline = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    calls.open_call(world.fran, meeting, deadline=deadline)
    submission = calls.submit_item(
        world.alice,
        meeting,
        topic=ANONYMOUS_TOPIC,
        details="Credit memos vanish after upload; nobody at the buyer answers.",
        anonymous=True,
    )
    item = calls.accept_submission(world.fran, submission, duration_minutes=20)
    db.session.commit()
    meetings.update_meeting(world.fran, meeting, starts_at=datetime.now(UTC) - timedelta(hours=2))
    db.session.commit()
    return meeting, item.public_id


def identity_traces(user) -> list[str]:
    """What would name a person: name, email, company and its aliases."""
    traces = [user.name, user.email, user.public_id, user.name.split()[0]]
    if user.company is not None:
        traces += [user.company.name, user.company.name.split()[0]]
        # Very short aliases ("NFA") could occur by chance inside random tokens.
        traces += [alias for alias in user.company.aliases or [] if len(alias) >= 5]
    return traces


def assert_no_trace(text: str, user) -> None:
    for trace in identity_traces(user):
        assert trace not in text, f"{trace!r} appears"


class RecordsApi:
    """A bearer-token client for one person, checking each answer against the OpenAPI
    document when asked (``checked=True``)."""

    def __init__(self, app, factory, user) -> None:
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {factory.api_token(user)}"}
        self._document = None

    def call(self, method: str, url: str, body=None):
        kwargs = {"json": body} if body is not None else {}
        return self.client.open(f"/api/v1{url}", method=method, headers=self.headers, **kwargs)

    def get(self, url: str):
        return self.call("GET", url)

    def put(self, url: str, body):
        return self.call("PUT", url, body)

    def post(self, url: str, body=None):
        return self.call("POST", url, body if body is not None else {})

    def patch(self, url: str, body):
        return self.call("PATCH", url, body)

    def document(self):
        if self._document is None:
            self._document = self.client.get("/api/v1/openapi.json").get_json()
        return self._document

    def check(self, response, path: str, method: str = "get", status: str = "200"):
        """Validate a response body against the documented schema; returns the JSON."""
        from openapi_schema_validator import OAS31Validator

        document = self.document()
        content = document["paths"][path][method]["responses"][status]["content"]
        schema = content["application/json"]["schema"]
        OAS31Validator({**schema, "components": document["components"]}).validate(
            response.get_json()
        )
        return response.get_json()
