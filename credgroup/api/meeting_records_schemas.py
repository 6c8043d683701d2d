"""JSON Schemas and examples of the meeting records endpoints (RSVPs, the statements and
their acknowledgement, attendance, minutes with their review, action items).

Merged into ``SCHEMAS`` by ``credgroup/api/meeting_records.py``. People appear by name;
their public ids only where a facilitator needs them to act (attendance, action owners).
Minutes hold agenda items by title only: nothing says who proposed an item. Request bodies
are closed: an unknown field is refused (422 naming it).
"""

from __future__ import annotations

from typing import Any

from credgroup.meetings.models import (
    ActionStatus,
    AttendanceMode,
    ItemKind,
    MinutesState,
    RsvpAnswer,
)

DATE_TIME = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601."}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
COUNT = {"type": "integer", "minimum": 0}
BOOLEAN = {"type": "boolean"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _string(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _nullable_enum(enum_cls: Any, description: str) -> dict[str, Any]:
    return {
        "type": ["string", "null"],
        "enum": [*_keys(enum_cls), None],
        "description": description,
    }


def _keys(enum_cls: Any) -> list[str]:
    return [member.value for member in enum_cls]


def _array(items: dict[str, Any], description: str = "", **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": items, **extra}
    if description:
        schema["description"] = description
    return schema


def _object(
    properties: dict[str, Any],
    description: str = "",
    *,
    required: list[str] | None = None,
    closed: bool = False,
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "required": sorted(required if required is not None else properties),
        "properties": properties,
    }
    if closed:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema


PERSON = _object(
    {
        "id": _string("The person's public id (use it for attendance and action owners)."),
        "name": _string("Their name."),
        "company": {"type": ["string", "null"], "description": "Null for association staff."},
    },
    "A person of the group, as facilitators see them.",
)

RSVP_COUNTS = _object(
    {
        "yes": COUNT,
        "yes_in_person": COUNT,
        "yes_remote": COUNT,
        "maybe": COUNT,
        "no": COUNT,
    },
    "How many answered what (no names).",
)

MY_RSVP = _object(
    {
        "meeting": _string("The meeting's public id."),
        "answer": _nullable_enum(RsvpAnswer, "Your answer; null if you have not answered."),
        "attendance": _nullable_enum(AttendanceMode, "In person or remote (null for no)."),
        "responded_at": NULLABLE_DATE_TIME,
        "counts": _ref("RsvpCounts"),
    },
    "Your answer to a meeting invitation, and everyone's counts.",
)

RSVP_ENTRY = _object(
    {
        "person": _ref("RecordsPerson"),
        "answer": _string("Their answer.", enum=_keys(RsvpAnswer)),
        "attendance": _nullable_enum(AttendanceMode, "In person or remote."),
        "responded_at": DATE_TIME,
    },
)

RSVP_BODY = _object(
    {
        "answer": _string("yes, no or maybe.", enum=_keys(RsvpAnswer)),
        "attendance": _nullable_enum(
            AttendanceMode,
            "Needed for yes/maybe when the meeting is both in person and by video.",
        ),
    },
    required=["answer"],
    closed=True,
)

STATEMENT = _object(
    {
        "key": _string("antitrust, anti_defamation or confidentiality."),
        "title": _string("Heading."),
        "text": _string("The group's statement, in full."),
    }
)

STATEMENTS = _object(
    {
        "meeting": _string("The meeting's public id."),
        "statements": _array(_ref("Statement"), "The three statements, in reading order."),
        "digest": _string("SHA-256 of the statements as shown; send it when acknowledging."),
        "acknowledged_at": {
            **NULLABLE_DATE_TIME,
            "description": "When you acknowledged them for this meeting (null: not yet).",
        },
        "current": {
            **BOOLEAN,
            "description": "True when your acknowledgement covers the current wording.",
        },
    },
    "The group's statements and your acknowledgement for this meeting.",
)

ACK_BODY = _object(
    {"digest": _string("The digest you were shown; refused (422) if the text changed since.")},
    required=[],
    closed=True,
)

ATTENDANCE_ROW = _object(
    {
        "person": _ref("RecordsPerson"),
        "rsvp": _nullable_enum(RsvpAnswer, "Their answer, if any."),
        "present": {**BOOLEAN, "description": "False also when attendance is not taken yet."},
        "attended_as": _nullable_enum(AttendanceMode, "In person or remote."),
        "acknowledged_at": NULLABLE_DATE_TIME,
        "acknowledged_before_start": BOOLEAN,
    }
)

ATTENDANCE = _object(
    {
        "meeting": _string("The meeting's public id."),
        "attendance_taken": BOOLEAN,
        "invited": COUNT,
        "said_yes": COUNT,
        "present": COUNT,
        "acknowledged": COUNT,
        "present_without_acknowledgement": COUNT,
        "people": _array(_ref("AttendanceRow"), "Everyone on the attendance list."),
    },
    "Attendance and acknowledgements of one meeting (facilitators).",
)

ATTENDANCE_BODY = _object(
    {
        "present": _array(_string("A person's public id."), "Who was present; others: absent."),
        "attended_as": {
            "type": "object",
            "additionalProperties": _string("", enum=_keys(AttendanceMode)),
            "description": "Optional: person id -> in_person or remote.",
        },
    },
    required=["present"],
    closed=True,
)

YEAR = _object(
    {
        "group": _string("The group's slug."),
        "year": {"type": "integer"},
        "meetings": _array(
            _object(
                {
                    "id": _string("The meeting's public id."),
                    "title": _string("Title."),
                    "starts_at": DATE_TIME,
                    "present": COUNT,
                    "acknowledged": COUNT,
                }
            )
        ),
        "meetings_with_attendance": COUNT,
        "companies": _array(
            _object(
                {
                    "company": _string("Member company."),
                    "meetings_with_attendance": COUNT,
                    "meetings_attended": COUNT,
                    "people_attended": COUNT,
                }
            )
        ),
        "people": _array(
            _object(
                {
                    "person": _ref("RecordsPerson"),
                    "meetings_expected": COUNT,
                    "meetings_attended": COUNT,
                    "acknowledgements": COUNT,
                    "acknowledged_when_present": COUNT,
                }
            )
        ),
    },
    "Attendance and acknowledgements over a calendar year (group's time zone).",
)

OWNER = _object(
    {
        "name": _string('A person\'s name or a label such as "Facilitator".'),
        "id": {
            "type": ["string", "null"],
            "description": "The person's public id (facilitators only; null for a label).",
        },
        "is_me": BOOLEAN,
    },
    required=["name", "is_me"],
)

ACTION = _object(
    {
        "id": _string("The action item's public id."),
        "meeting": _string("The meeting's public id."),
        "meeting_title": _string("The meeting's title."),
        "group": _string("The group's slug."),
        "agenda_item": {"type": ["string", "null"], "description": "Agenda item public id."},
        "what": _string("What is to be done."),
        "owner": _ref("ActionOwner"),
        "due_on": NULLABLE_DATE,
        "status": _string("Where it stands.", enum=_keys(ActionStatus)),
        "completed_on": NULLABLE_DATE,
        "overdue": BOOLEAN,
    }
)

ACTION_BODY = _object(
    {
        "what": _string("What is to be done (at most 500 characters)."),
        "owner": {"type": ["string", "null"], "description": "A person's public id."},
        "owner_label": _string("Who, in words, when it is not one person."),
        "due_on": {**NULLABLE_DATE, "description": "YYYY-MM-DD."},
        "agenda_item": {"type": ["string", "null"], "description": "Agenda item public id."},
        "status": _string("open, done or dropped.", enum=_keys(ActionStatus)),
    },
    required=[],
    closed=True,
)

MINUTES_ITEM = _object(
    {
        "id": _string("The agenda item's public id."),
        "number": {"type": "integer", "minimum": 1},
        "title": _string("The item's title (never who proposed it)."),
        "kind": _string("What kind of item.", enum=_keys(ItemKind)),
        "text": _string("What was said (Markdown)."),
        "decisions": _string("What was decided (Markdown)."),
        "unfinished": {**BOOLEAN, "description": "Carried over to the next call for items."},
        "actions": _array(_ref("ActionItem")),
    }
)

MINUTES_REVIEW = _object(
    {
        "person": _string("The attendee's name."),
        "approved": BOOLEAN,
        "comment": _string("What should change, if anything."),
        "reviewed_at": DATE_TIME,
    }
)

MINUTES = _object(
    {
        "meeting": _string("The meeting's public id."),
        "state": {
            "type": ["string", "null"],
            "enum": [*_keys(MinutesState), None],
            "description": "null: not started yet.",
        },
        "summary": _string("Summary (Markdown)."),
        "published_at": NULLABLE_DATE_TIME,
        "items": _array(_ref("MinutesItem"), "Every agenda item, in order."),
        "other_actions": _array(_ref("ActionItem"), "Action items not under an agenda item."),
        "can_edit": BOOLEAN,
        "can_review": BOOLEAN,
        "my_review": {"oneOf": [_ref("MinutesReview"), {"type": "null"}]},
        "reviews": _array(_ref("MinutesReview"), "Everyone's reviews (facilitators only)."),
    },
    "A meeting's minutes as the caller may see them.",
)

MINUTES_BODY = _object(
    {
        "summary": _string("Summary (Markdown)."),
        "entries": _array(
            _object(
                {
                    "item": _string("The agenda item's public id."),
                    "text": _string("What was said."),
                    "decisions": _string("What was decided."),
                    "unfinished": BOOLEAN,
                },
                required=["item"],
                closed=True,
            ),
            "Per agenda item; items left out keep what they had.",
        ),
    },
    required=[],
    closed=True,
)

REVIEW_BODY = _object(
    {
        "approve": {"type": "boolean", "description": "True: you approve the minutes."},
        "comment": _string("What should change (needed when not approving)."),
    },
    required=["approve"],
    closed=True,
)

RECORDS_SCHEMAS: dict[str, Any] = {
    "RecordsPerson": PERSON,
    "RsvpCounts": RSVP_COUNTS,
    "MyRsvp": MY_RSVP,
    "RsvpEntry": RSVP_ENTRY,
    "RsvpBody": RSVP_BODY,
    "Statement": STATEMENT,
    "MeetingStatements": STATEMENTS,
    "AcknowledgementBody": ACK_BODY,
    "AttendanceRow": ATTENDANCE_ROW,
    "Attendance": ATTENDANCE,
    "AttendanceBody": ATTENDANCE_BODY,
    "AttendanceYear": YEAR,
    "ActionOwner": OWNER,
    "ActionItem": ACTION,
    "ActionItemBody": ACTION_BODY,
    "MinutesItem": MINUTES_ITEM,
    "MinutesReview": MINUTES_REVIEW,
    "Minutes": MINUTES,
    "MinutesBody": MINUTES_BODY,
    "MinutesReviewBody": REVIEW_BODY,
}

# --- examples ---------------------------------------------------------------------------------

MEETING_ID = "q2Xv8kLm0PzR4tYw"
COUNTS_EXAMPLE = {"yes": 9, "yes_in_person": 6, "yes_remote": 3, "maybe": 2, "no": 1}
MY_RSVP_EXAMPLE = {
    "meeting": MEETING_ID,
    "answer": "yes",
    "attendance": "remote",
    "responded_at": "2026-03-02T14:05:00+00:00",
    "counts": COUNTS_EXAMPLE,
}
PERSON_EXAMPLE = {"id": "Hk3v9QmZp2LwR7tA", "name": "Jane Roe", "company": "Northfield Aggregates"}
RSVP_ENTRY_EXAMPLE = {
    "person": PERSON_EXAMPLE,
    "answer": "yes",
    "attendance": "in_person",
    "responded_at": "2026-03-02T14:05:00+00:00",
}
STATEMENTS_EXAMPLE = {
    "meeting": MEETING_ID,
    "statements": [
        {"key": "antitrust", "title": "Antitrust", "text": "This group exchanges only..."},
        {"key": "anti_defamation", "title": "Anti-defamation", "text": "State facts..."},
        {"key": "confidentiality", "title": "Confidentiality", "text": "What is shared..."},
    ],
    "digest": "9f2c" + "0" * 60,
    "acknowledged_at": "2026-03-10T15:00:00+00:00",
    "current": True,
}
ATTENDANCE_EXAMPLE = {
    "meeting": MEETING_ID,
    "attendance_taken": True,
    "invited": 1,
    "said_yes": 1,
    "present": 1,
    "acknowledged": 1,
    "present_without_acknowledgement": 0,
    "people": [
        {
            "person": PERSON_EXAMPLE,
            "rsvp": "yes",
            "present": True,
            "attended_as": "in_person",
            "acknowledged_at": "2026-03-10T15:00:00+00:00",
            "acknowledged_before_start": True,
        }
    ],
}
YEAR_EXAMPLE = {
    "group": "building-materials",
    "year": 2026,
    "meetings": [
        {
            "id": MEETING_ID,
            "title": "March meeting",
            "starts_at": "2026-03-12T15:00:00+00:00",
            "present": 14,
            "acknowledged": 14,
        }
    ],
    "meetings_with_attendance": 1,
    "companies": [
        {
            "company": "Northfield Aggregates",
            "meetings_with_attendance": 1,
            "meetings_attended": 1,
            "people_attended": 2,
        }
    ],
    "people": [
        {
            "person": PERSON_EXAMPLE,
            "meetings_expected": 1,
            "meetings_attended": 1,
            "acknowledgements": 1,
            "acknowledged_when_present": 1,
        }
    ],
}
ACTION_EXAMPLE = {
    "id": "Zp0aX1cV2bN3mQ4w",
    "meeting": MEETING_ID,
    "meeting_title": "March meeting",
    "group": "building-materials",
    "agenda_item": "Ag7hJ8kL9zX0cV1b",
    "what": "Ask Coupa support how credit memos without a PO line are handled",
    "owner": {"name": "Facilitator", "id": None, "is_me": False},
    "due_on": "2026-04-15",
    "status": "open",
    "completed_on": None,
    "overdue": False,
}
REVIEW_EXAMPLE = {
    "person": "Jane Roe",
    "approved": True,
    "comment": "",
    "reviewed_at": "2026-03-14T09:00:00+00:00",
}
MINUTES_EXAMPLE = {
    "meeting": MEETING_ID,
    "state": "published",
    "summary": "Fourteen members attended.",
    "published_at": "2026-03-20T10:00:00+00:00",
    "items": [
        {
            "id": "Ag7hJ8kL9zX0cV1b",
            "number": 2,
            "title": "Coupa drops credit memos without a PO line",
            "kind": "submitted",
            "text": "Three members saw it since January.",
            "decisions": "The facilitator asks Coupa support.",
            "unfinished": False,
            "actions": [ACTION_EXAMPLE],
        }
    ],
    "other_actions": [],
    "can_edit": False,
    "can_review": False,
    "my_review": None,
    "reviews": [],
}
RSVP_BODY_EXAMPLE = {"answer": "yes", "attendance": "remote"}
ATTENDANCE_BODY_EXAMPLE = {
    "present": ["Hk3v9QmZp2LwR7tA"],
    "attended_as": {"Hk3v9QmZp2LwR7tA": "in_person"},
}
ACTION_BODY_EXAMPLE = {
    "what": "Ask Coupa support how credit memos without a PO line are handled",
    "owner_label": "Facilitator",
    "due_on": "2026-04-15",
}
MINUTES_BODY_EXAMPLE = {
    "summary": "Fourteen members attended.",
    "entries": [
        {
            "item": "Ag7hJ8kL9zX0cV1b",
            "text": "Three members saw it since January.",
            "decisions": "The facilitator asks Coupa support.",
        }
    ],
}
REVIEW_BODY_EXAMPLE = {"approve": False, "comment": "Item 2: it was two members, not three."}
