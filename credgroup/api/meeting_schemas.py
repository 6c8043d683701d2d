"""JSON Schemas and examples of the meeting endpoints (meetings, agenda items, the call for
items and its submissions, series, the .ics).

Merged into ``SCHEMAS`` by ``credgroup/api/meetings.py``. The shapes are those of
``credgroup/meetings/presenters.py``. Who submitted an item appears only as a label ("You",
"Anonymous member", or a name for open submissions seen by facilitators): never a person's
id, email or pseudonym. Request bodies are closed: an unknown field answers 422.
"""

from __future__ import annotations

from typing import Any

from credgroup.meetings.models import (
    Cadence,
    ItemKind,
    ItemMode,
    MeetingStatus,
    SubmissionState,
)

TIME = {"type": "string", "format": "date-time", "description": "UTC, e.g. 2031-03-13T15:00:00Z"}
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
NULLABLE_ID = {"type": ["string", "null"], "description": "A public id, or null."}
MINUTES = {"type": "integer", "minimum": 1}


def _keys(enum_cls: Any) -> list[str]:
    return [member.value for member in enum_cls]


def _s(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _object(
    properties: dict[str, Any], description: str = "", *, required=None, closed: bool = False
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "required": sorted(properties if required is None else required),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    if closed:
        schema["additionalProperties"] = False
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


MEETING_SUMMARY_PROPS: dict[str, Any] = {
    "id": _s("The meeting's public id."),
    "group": _s("The group's slug."),
    "title": _s("Title."),
    "status": _s("Status.", enum=_keys(MeetingStatus)),
    "starts_at": TIME,
    "ends_at": TIME,
    "local_start": _s(
        "The start where the group meets, ISO 8601 with its offset.", format="date-time"
    ),
    "timezone": _s("IANA time zone of the meeting.", examples=["America/Chicago"]),
    "duration_minutes": MINUTES,
    "place": _s("Where, or empty."),
    "video_link": {"type": ["string", "null"], "format": "uri"},
    "series": NULLABLE_ID,
    "sequence": {
        "type": "integer",
        "minimum": 0,
        "description": "iCalendar SEQUENCE: grows with every change.",
    },
    "call": {
        "oneOf": [
            {"type": "null"},
            _object(
                {"open": {"type": "boolean"}, "deadline": TIME},
                "The call for items: open means items are accepted now.",
            ),
        ]
    },
    "links": _object(
        {
            "self": {"type": "string", "format": "uri"},
            "ics": {"type": "string", "format": "uri"},
            "page": {"type": "string", "format": "uri"},
        }
    ),
}

AGENDA_ITEM = _object(
    {
        "id": _s("The item's public id."),
        "number": {"type": "integer", "minimum": 1},
        "title": _s("Title."),
        "description": _s("Markdown, for members."),
        "kind": _s("Kind.", enum=_keys(ItemKind)),
        "mode": _s("For discussion or for information.", enum=_keys(ItemMode)),
        "duration_minutes": MINUTES,
        "starts_at": TIME,
        "ends_at": TIME,
        "removable": {"type": "boolean", "description": "False for the statements."},
        "unfinished": {
            "type": "boolean",
            "description": "Carried over into the next meeting's call.",
        },
        "report": NULLABLE_ID,
        "article": NULLABLE_ID,
        "notes": {
            "type": ["string", "null"],
            "description": "Facilitator notes; null unless you facilitate the group.",
        },
        "trend_report": {
            "oneOf": [{"type": "null"}, _ref("AgendaTrendReport")],
            "description": "For a trend-report item: the frozen report it carries.",
        },
    },
    "One agenda item with its computed times.",
)

AGENDA_TREND_REPORT = _object(
    {
        "id": _s("The snapshot's id (GET /trends/snapshots/{id} gives the whole report)."),
        "period": _s("The whole quarters it covers.", examples=["Q3 2030 to Q4 2030"]),
        "frozen_at": TIME,
        "available": {
            "type": "boolean",
            "description": "False when the group has fewer member companies than its "
            "threshold: then there are no figures, only the explanation.",
        },
        "explanation": {"type": ["string", "null"]},
        "new_reports": _object(
            {
                "value": {"type": ["integer", "null"]},
                "companies": {"type": ["integer", "null"]},
            },
            "New reports in the period and the member companies behind them; both null "
            "when too few companies stand behind the figure.",
        ),
        "links": _object(
            {
                "self": {"type": "string", "format": "uri"},
                "page": {"type": "string", "format": "uri"},
            }
        ),
    },
    "A frozen trend report on an agenda (it never changes).",
)

MEETING_DETAIL = _object(
    {
        **MEETING_SUMMARY_PROPS,
        "description": _s("Markdown note for members."),
        "agenda": {"type": "array", "items": _ref("AgendaItem")},
        "agenda_minutes": {"type": "integer", "minimum": 0},
        "overrun_minutes": {
            "type": "integer",
            "minimum": 0,
            "description": "How far the agenda runs past the meeting's end.",
        },
    },
    "A meeting with its agenda (statements always first).",
)

SUBMISSION = _object(
    {
        "id": _s("The submission's public id."),
        "meeting": _s("The meeting's public id."),
        "topic": _s("Topic."),
        "details": _s("Markdown."),
        "mode": _s("For discussion or information.", enum=_keys(ItemMode)),
        "state": _s("Where it stands.", enum=_keys(SubmissionState)),
        "anonymous": {"type": "boolean"},
        "submitter": _s(
            '"You", "Anonymous member", "Carried over", or (facilitators, open '
            "items only) the person's name and company."
        ),
        "report": NULLABLE_ID,
        "article": NULLABLE_ID,
        "agenda_item": NULLABLE_ID,
        "note": _s("The facilitator's note to the submitter."),
        "submitted_on": {"type": "string", "format": "date"},
        "carried_over": {"type": "boolean"},
    },
    "An item proposed for the agenda.",
)

SERIES = _object(
    {
        "id": _s("The series' public id."),
        "group": _s("The group's slug."),
        "title": _s("Title."),
        "cadence": _s("How often.", enum=_keys(Cadence)),
        "timezone": _s("IANA time zone."),
        "default_place": _s("Usual place."),
        "default_video_link": {"type": ["string", "null"], "format": "uri"},
        "default_duration_minutes": MINUTES,
        "active": {"type": "boolean"},
        "standing_items": {
            "type": "array",
            "items": _object(
                {
                    "id": _s("Public id."),
                    "title": _s("Title."),
                    "duration_minutes": MINUTES,
                    "mode": _s("Mode.", enum=_keys(ItemMode)),
                }
            ),
        },
    },
    "A recurring series and its standing items.",
)

DURATION_IN = {"type": ["integer", "string"], "description": "Whole minutes, more than 0."}
START_IN = _s("Start: local wall time in `timezone` (2031-03-13T10:00) or ISO 8601 with an offset.")

NEW_MEETING = _object(
    {
        "title": _s("Title."),
        "starts_at": START_IN,
        "duration_minutes": DURATION_IN,
        "timezone": _s("IANA time zone; the group's (or series') by default."),
        "place": _s("Where."),
        "video_link": _s("https:// link."),
        "description": _s("Markdown note for members."),
        "series": _s("A series' public id."),
    },
    "A new meeting (a draft until published).",
    required=["title", "starts_at"],
    closed=True,
)

MEETING_CHANGES = _object(
    {k: v for k, v in NEW_MEETING["properties"].items() if k != "series"},
    "Fields to change; a new start or time zone re-times reminders and bumps SEQUENCE.",
    required=[],
    closed=True,
)

NEW_ITEM = _object(
    {
        "title": _s("Title."),
        "duration_minutes": DURATION_IN,
        "description": _s("Markdown, for members."),
        "notes": _s("Facilitator-only notes."),
        "mode": _s("Mode.", enum=_keys(ItemMode)),
        "kind": _s(
            "Kind.", enum=["other", "trend_report", "action_review", "standing", "submitted"]
        ),
        "report": _s("A published report's public id."),
        "article": _s("A published article's public id."),
        "trend_report": _s(
            "A frozen trend report's id (a snapshot of this group); shown with the item."
        ),
    },
    "A new agenda item, appended.",
    required=["title"],
    closed=True,
)

ITEM_CHANGES = _object(
    {k: v for k, v in NEW_ITEM["properties"].items() if k not in ("kind",)}
    | {"move": _s("Move one place.", enum=["up", "down"])},
    "Fields to change, and/or a move.",
    required=[],
    closed=True,
)

NEW_SUBMISSION = _object(
    {
        "topic": _s("Topic."),
        "details": _s("Markdown."),
        "mode": _s("Mode.", enum=_keys(ItemMode)),
        "report": _s("A published report's public id."),
        "article": _s("A published article's public id."),
        "anonymous": {"type": "boolean", "description": "Keep no name (members only)."},
    },
    "An item for the call (before its deadline).",
    required=["topic"],
    closed=True,
)

DECISION = _object(
    {
        "decision": _s("What to do.", enum=["accept", "merge", "defer", "reject"]),
        "duration_minutes": DURATION_IN,
        "into": _s("merge: the agenda item's public id."),
        "title": _s("accept: the agenda item's title (the topic by default)."),
        "note": _s("A note the submitter sees."),
    },
    "The facilitator's decision on a submission.",
    required=["decision"],
    closed=True,
)

CALL_IN = _object(
    {
        "deadline": START_IN
        | {
            "description": "Deadline: local wall time where the group "
            "meets or ISO 8601 with an offset. Ahead, before the meeting."
        },
        "open": {"type": "boolean", "description": "false closes the call."},
    },
    "Open (or reopen with a new deadline), or close, the call for items.",
    required=[],
    closed=True,
)

NEW_SERIES = _object(
    {
        "title": _s("Title."),
        "cadence": _s("How often.", enum=_keys(Cadence)),
        "timezone": _s("IANA time zone (the group's by default)."),
        "default_place": _s("Usual place."),
        "default_video_link": _s("Usual https:// link."),
        "default_duration_minutes": DURATION_IN,
        "standing_items": {
            "type": "array",
            "items": _object(
                {
                    "title": _s("Title."),
                    "duration_minutes": DURATION_IN,
                    "mode": _s("Mode.", enum=_keys(ItemMode)),
                },
                required=["title"],
                closed=True,
            ),
        },
    },
    "A new series, with its standing items.",
    required=["title"],
    closed=True,
)

CANCEL_IN = _object({"reason": _s("Sent to the group.")}, required=[], closed=True)
CLONE_IN = _object(
    {"series": _s("Copy the last meeting of this series.")}, required=[], closed=True
)

MEETING_SCHEMAS: dict[str, Any] = {
    "MeetingSummary": _object(MEETING_SUMMARY_PROPS, "A meeting, without its agenda."),
    "MeetingDetail": MEETING_DETAIL,
    "AgendaItem": AGENDA_ITEM,
    "AgendaTrendReport": AGENDA_TREND_REPORT,
    "ItemSubmission": SUBMISSION,
    "MeetingSeries": SERIES,
    "NewMeeting": NEW_MEETING,
    "MeetingChanges": MEETING_CHANGES,
    "NewAgendaItem": NEW_ITEM,
    "AgendaItemChanges": ITEM_CHANGES,
    "NewItemSubmission": NEW_SUBMISSION,
    "SubmissionDecision": DECISION,
    "CallForItems": CALL_IN,
    "NewMeetingSeries": NEW_SERIES,
    "CancelMeeting": CANCEL_IN,
    "CloneMeeting": CLONE_IN,
    "Calendar": _s("An RFC 5545 calendar (text/calendar)."),
}

# --- examples ---------------------------------------------------------------------------------

BASE = "https://credgroup.example"
SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": "k3J9xQ2mLp0aZr7w",
    "group": "building-materials",
    "title": "Spring meeting",
    "status": "published",
    "starts_at": "2031-03-13T15:00:00Z",
    "ends_at": "2031-03-13T17:00:00Z",
    "local_start": "2031-03-13T10:00:00-05:00",
    "timezone": "America/Chicago",
    "duration_minutes": 120,
    "place": "Chicago, Hotel Allegro",
    "video_link": "https://video.example/credit",
    "series": None,
    "sequence": 2,
    "call": {"open": True, "deadline": "2031-03-06T16:00:00Z"},
    "links": {
        "self": f"{BASE}/api/v1/meetings/k3J9xQ2mLp0aZr7w",
        "ics": f"{BASE}/api/v1/meetings/k3J9xQ2mLp0aZr7w/ics",
        "page": f"{BASE}/meetings/k3J9xQ2mLp0aZr7w",
    },
}
ITEM_EXAMPLE: dict[str, Any] = {
    "id": "Zq8wE1rT5yU7iO9p",
    "number": 1,
    "title": "Antitrust, anti-defamation and confidentiality statements",
    "description": "",
    "kind": "statements",
    "mode": "information",
    "duration_minutes": 5,
    "starts_at": "2031-03-13T15:00:00Z",
    "ends_at": "2031-03-13T15:05:00Z",
    "removable": False,
    "unfinished": False,
    "report": None,
    "article": None,
    "notes": None,
    "trend_report": None,
}
TREND_ITEM_EXAMPLE: dict[str, Any] = {
    **ITEM_EXAMPLE,
    "id": "Tr3ndIt3m0000000",
    "number": 2,
    "title": "Trend report, Q3 2030 to Q4 2030 (July to December 2030)",
    "kind": "trend_report",
    "duration_minutes": 15,
    "starts_at": "2031-03-13T15:05:00Z",
    "ends_at": "2031-03-13T15:20:00Z",
    "removable": True,
    "trend_report": {
        "id": "Sn4psh0tPubl1cId",
        "period": "Q3 2030 to Q4 2030 (July to December 2030)",
        "frozen_at": "2031-03-06T14:20:03Z",
        "available": True,
        "explanation": None,
        "new_reports": {"value": 41, "companies": 9},
        "links": {
            "self": f"{BASE}/api/v1/trends/snapshots/Sn4psh0tPubl1cId",
            "page": f"{BASE}/g/building-materials/trends/snapshots/Sn4psh0tPubl1cId",
        },
    },
}
DETAIL_EXAMPLE: dict[str, Any] = {
    **SUMMARY_EXAMPLE,
    "description": "Bring your Coupa questions.",
    "agenda": [ITEM_EXAMPLE, TREND_ITEM_EXAMPLE],
    "agenda_minutes": 20,
    "overrun_minutes": 0,
}
SUBMISSION_EXAMPLE: dict[str, Any] = {
    "id": "Pa5sD7fG9hJ1kL3z",
    "meeting": "k3J9xQ2mLp0aZr7w",
    "topic": "Ariba tier fees",
    "details": "Since May our invoices count towards the next tier.",
    "mode": "discussion",
    "state": "pending",
    "anonymous": True,
    "submitter": "Anonymous member",
    "report": None,
    "article": None,
    "agenda_item": None,
    "note": "",
    "submitted_on": "2031-02-20",
    "carried_over": False,
}
SERIES_EXAMPLE: dict[str, Any] = {
    "id": "Ser1esPubl1cId00",
    "group": "building-materials",
    "title": "Monthly roundtable",
    "cadence": "monthly",
    "timezone": "America/Chicago",
    "default_place": "Chicago",
    "default_video_link": None,
    "default_duration_minutes": 120,
    "active": True,
    "standing_items": [
        {
            "id": "St4nd1ng1tem0000",
            "title": "Round robin",
            "duration_minutes": 30,
            "mode": "discussion",
        }
    ],
}
NEW_MEETING_EXAMPLE = {
    "title": "Spring meeting",
    "starts_at": "2031-03-13T10:00",
    "duration_minutes": 120,
    "timezone": "America/Chicago",
    "place": "Chicago, Hotel Allegro",
}
NEW_ITEM_EXAMPLE = {
    "title": "Coupa PO flip rejections",
    "duration_minutes": 20,
    "mode": "discussion",
    "notes": "Ask for the workaround.",
}
NEW_SUBMISSION_EXAMPLE = {"topic": "Ariba tier fees", "mode": "discussion", "anonymous": True}
DECISION_EXAMPLE = {"decision": "accept", "duration_minutes": 15}
CALL_EXAMPLE = {"deadline": "2031-03-06T10:00"}
NEW_SERIES_EXAMPLE = {
    "title": "Monthly roundtable",
    "cadence": "monthly",
    "standing_items": [{"title": "Round robin", "duration_minutes": 30}],
}
ICS_EXAMPLE = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//credgroup//Meetings//EN\r\n..."
