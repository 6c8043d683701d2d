"""The meeting records endpoints of /api/v1: RSVPs, the statements and their
acknowledgement, attendance (per meeting and per year), minutes with their review, and
action items.

Thin like the other API views: read the caller and the input, call one service of
``credgroup.meetings``, commit once, answer JSON. A refused request rolls back (the
blueprint's error handler), so nothing is half-saved. Members see people by name only;
person ids appear where a facilitator needs them to act. Minutes show agenda items by
title: nothing here can say who proposed an item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import jsonify, request

from credgroup.api import meeting_records_schemas as examples
from credgroup.api.auth import api_user
from credgroup.api.errors import json_body
from credgroup.api.openapi import operation, query_param, ref
from credgroup.api.schemas import SCHEMAS
from credgroup.api.views import bp
from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group, is_facilitator
from credgroup.meetings import actions as action_services
from credgroup.meetings import attendance as attendance_services
from credgroup.meetings import compliance, records_report, rsvp
from credgroup.meetings import minutes as minutes_services
from credgroup.meetings.meetings import get_managed_meeting, get_meeting
from credgroup.meetings.models import ActionItem, Meeting

_clash = set(examples.RECORDS_SCHEMAS) & set(SCHEMAS)
if _clash:  # another feature took a name: fail at start, not with a wrong document
    raise RuntimeError(f"API schema names already used: {sorted(_clash)}")
SCHEMAS.update(examples.RECORDS_SCHEMAS)

TAGS = ["meeting records"]
PATHS = {
    "meeting_id": "The meeting's public id.",
    "action_id": "The action item's public id.",
    "slug": "The group's slug.",
}
MAX_ENTRIES = 200
MAX_PRESENT = 2_000


# --- reading input ----------------------------------------------------------------------------


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """A field we do not know is refused, so a typo cannot silently drop an input."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(unknown[0], f"Unknown field '{unknown[0]}'.")


def _bool(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name)
    if not isinstance(value, bool):
        raise ValidationError(name, f"'{name}' must be true or false.")
    return value


def _list(data: Mapping[str, Any], name: str, limit: int) -> list[Any]:
    value = data.get(name, [])
    if not isinstance(value, list) or len(value) > limit:
        raise ValidationError(name, f"'{name}' must be a list (at most {limit}).")
    return value


def _mapping(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name) or {}
    if not isinstance(value, dict):
        raise ValidationError(name, f"'{name}' must be an object.")
    return value


def _entries(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for entry in _list(data, "entries", MAX_ENTRIES):
        if not isinstance(entry, dict):
            raise ValidationError("entries", "Each entry must be an object.")
        _only(entry, ("item", "text", "decisions", "unfinished"))
        item = entry.get("item")
        if not isinstance(item, str) or not item:
            raise ValidationError("entries", "Each entry needs 'item': an agenda item's id.")
        entries[item] = {
            key: entry[key] for key in ("text", "decisions", "unfinished") if key in entry
        }
    return entries


def _done(payload: Any, status: int = 200):
    db.session.commit()
    return jsonify(payload), status


def _meeting(meeting_id: str) -> Meeting:
    return get_meeting(api_user(), meeting_id)


# --- shaping output ---------------------------------------------------------------------------


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _key(member) -> str | None:
    return member.value if member is not None else None


def person(user) -> dict[str, Any]:
    return {
        "id": user.public_id,
        "name": user.name,
        "company": user.company.name if user.company else None,
    }


def _my_rsvp(meeting: Meeting) -> dict[str, Any]:
    mine = rsvp.rsvp_of(api_user(), meeting)
    return {
        "meeting": meeting.public_id,
        "answer": _key(mine.answer) if mine else None,
        "attendance": _key(mine.attendance) if mine else None,
        "responded_at": _when(mine.responded_at) if mine else None,
        "counts": rsvp.rsvp_counts(meeting),
    }


def _statements(meeting: Meeting) -> dict[str, Any]:
    ack = compliance.acknowledgement_of(api_user(), meeting)
    return {
        "meeting": meeting.public_id,
        "statements": [
            {"key": s.key, "title": s.title, "text": s.text}
            for s in compliance.statements(meeting.group)
        ],
        "digest": compliance.statements_digest(meeting.group),
        "acknowledged_at": _when(ack.acknowledged_at) if ack else None,
        "current": compliance.is_current(ack, meeting.group),
    }


def _attendance(report: records_report.MeetingReport) -> dict[str, Any]:
    meeting = report.meeting
    return {
        "meeting": meeting.public_id,
        "attendance_taken": report.attendance_taken,
        "invited": report.invited,
        "said_yes": report.said_yes,
        "present": report.present,
        "acknowledged": report.acknowledged,
        "present_without_acknowledgement": report.present_without_acknowledgement,
        "people": [
            {
                "person": person(row.person),
                "rsvp": _key(row.rsvp.answer) if row.rsvp else None,
                "present": row.present,
                "attended_as": _key(row.mode) if row.present else None,
                "acknowledged_at": _when(row.acknowledgement.acknowledged_at)
                if row.acknowledgement
                else None,
                "acknowledged_before_start": records_report.acknowledged_before_start(row, meeting),
            }
            for row in report.rows
        ],
    }


def _year(report: records_report.YearReport) -> dict[str, Any]:
    return {
        "group": report.group.slug,
        "year": report.year,
        "meetings": [
            {
                "id": m.public_id,
                "title": m.title,
                "starts_at": _when(m.starts_at),
                "present": present,
                "acknowledged": acknowledged,
            }
            for m, present, acknowledged in report.per_meeting
        ],
        "meetings_with_attendance": report.meetings_with_attendance,
        "companies": [
            {
                "company": c.company,
                "meetings_with_attendance": c.meetings,
                "meetings_attended": c.attended,
                "people_attended": c.people,
            }
            for c in report.companies
        ],
        "people": [
            {
                "person": person(p.person),
                "meetings_expected": p.expected,
                "meetings_attended": p.attended,
                "acknowledgements": p.acknowledged,
                "acknowledged_when_present": p.acknowledged_when_present,
            }
            for p in report.people
        ],
    }


def action_json(action: ActionItem) -> dict[str, Any]:
    """An action item as the caller may see it: owners' ids only for facilitators."""
    user = api_user()
    meeting = action.meeting
    staff = is_facilitator(user, meeting.group)
    return {
        "id": action.public_id,
        "meeting": meeting.public_id,
        "meeting_title": meeting.title,
        "group": meeting.group.slug,
        "agenda_item": action.agenda_item.public_id if action.agenda_item else None,
        "what": action.what,
        "owner": {
            "name": action_services.owner_name(action),
            "id": action.owner.public_id if staff and action.owner else None,
            "is_me": action.owner_user_id == user.id,
        },
        "due_on": _when(action.due_on),
        "status": action.status.value,
        "completed_on": _when(action.completed_on),
        "overdue": action_services.is_overdue(action),
    }


def _review(review) -> dict[str, Any]:
    return {
        "person": review.user.name,
        "approved": review.approved,
        "comment": review.comment,
        "reviewed_at": _when(review.reviewed_at),
    }


def _minutes(meeting: Meeting) -> dict[str, Any]:
    view = minutes_services.minutes_view(api_user(), meeting)
    minutes = view.minutes
    return {
        "meeting": meeting.public_id,
        "state": _key(view.state),
        "summary": minutes.summary if minutes else "",
        "published_at": _when(minutes.published_at) if minutes else None,
        "items": [
            {
                "id": row.item.public_id,
                "number": row.number,
                "title": row.item.title,
                "kind": row.item.kind.value,
                "text": row.text,
                "decisions": row.decisions,
                "unfinished": row.item.unfinished,
                "actions": [action_json(a) for a in row.actions],
            }
            for row in view.rows
        ],
        "other_actions": [action_json(a) for a in view.other_actions],
        "can_edit": view.can_edit,
        "can_review": view.can_review,
        "my_review": _review(view.my_review) if view.my_review else None,
        "reviews": [_review(r) for r in view.reviews],
    }


# --- RSVP -------------------------------------------------------------------------------------


@bp.route("/meetings/<meeting_id>/rsvp", methods=["GET", "PUT"])
@operation(
    method="GET",
    summary="Your answer to a meeting",
    description="Your RSVP (null fields if you have not answered) and everyone's counts.",
    tags=TAGS,
    response=ref("MyRsvp"),
    example=examples.MY_RSVP_EXAMPLE,
    path_params=PATHS,
)
@operation(
    method="PUT",
    summary="Answer a meeting invitation",
    description="yes, no or maybe; in person or remote. Cancelled, unpublished and past "
    "meetings answer 422 (for example 'This meeting was cancelled.').",
    tags=TAGS,
    response=ref("MyRsvp"),
    example=examples.MY_RSVP_EXAMPLE,
    body=ref("RsvpBody"),
    body_example=examples.RSVP_BODY_EXAMPLE,
    path_params=PATHS,
)
def meeting_rsvp(meeting_id: str):
    meeting = _meeting(meeting_id)
    if request.method == "GET":
        return jsonify(_my_rsvp(meeting))
    data = json_body()
    _only(data, ("answer", "attendance"))
    rsvp.respond(api_user(), meeting, data.get("answer"), data.get("attendance"))
    return _done(_my_rsvp(meeting))


@bp.get("/meetings/<meeting_id>/rsvps")
@operation(
    summary="Everyone's answers",
    description="Who answered what (facilitators of the group).",
    tags=TAGS,
    response={"type": "array", "items": ref("RsvpEntry")},
    example=[examples.RSVP_ENTRY_EXAMPLE],
    path_params=PATHS,
    errors=(403,),
)
def meeting_rsvps(meeting_id: str):
    meeting = _meeting(meeting_id)
    answers = rsvp.rsvp_list(api_user(), meeting)
    return jsonify(
        [
            {
                "person": person(r.user),
                "answer": r.answer.value,
                "attendance": _key(r.attendance),
                "responded_at": _when(r.responded_at),
            }
            for r in answers
        ]
    )


# --- the statements ---------------------------------------------------------------------------


@bp.get("/meetings/<meeting_id>/statements")
@operation(
    summary="The group's statements for a meeting",
    description="The antitrust, anti-defamation and confidentiality statements in full, "
    "their digest, and whether you acknowledged them for this meeting.",
    tags=TAGS,
    response=ref("MeetingStatements"),
    example=examples.STATEMENTS_EXAMPLE,
    path_params=PATHS,
)
def meeting_statements(meeting_id: str):
    return jsonify(_statements(_meeting(meeting_id)))


@bp.post("/meetings/<meeting_id>/acknowledgement")
@operation(
    summary="Acknowledge the statements",
    description="Records the time. Send the `digest` you showed: if the statements changed "
    "since, the answer is 422 and nothing is recorded. Acknowledging again keeps the first "
    "time (unless the wording changed).",
    tags=TAGS,
    response=ref("MeetingStatements"),
    example=examples.STATEMENTS_EXAMPLE,
    body=ref("AcknowledgementBody"),
    body_example={"digest": examples.STATEMENTS_EXAMPLE["digest"]},
    path_params=PATHS,
)
def meeting_acknowledge(meeting_id: str):
    meeting = _meeting(meeting_id)
    data = json_body()
    _only(data, ("digest",))
    digest = data.get("digest")
    if digest is not None and not isinstance(digest, str):
        raise ValidationError("digest", "'digest' must be text.")
    compliance.acknowledge_statements(api_user(), meeting, digest)
    return _done(_statements(meeting))


# --- attendance -------------------------------------------------------------------------------


@bp.route("/meetings/<meeting_id>/attendance", methods=["GET", "PUT"])
@operation(
    method="GET",
    summary="Attendance and acknowledgements of a meeting",
    description="Everyone on the attendance list with their answer, presence and "
    "acknowledgement (facilitators).",
    tags=TAGS,
    response=ref("Attendance"),
    example=examples.ATTENDANCE_EXAMPLE,
    path_params=PATHS,
    errors=(403,),
)
@operation(
    method="PUT",
    summary="Take attendance",
    description="`present`: the public ids of the people present; everyone else on the "
    "list is recorded absent. From the day of the meeting; unknown people answer 422 and "
    "nothing is recorded (facilitators).",
    tags=TAGS,
    response=ref("Attendance"),
    example=examples.ATTENDANCE_EXAMPLE,
    body=ref("AttendanceBody"),
    body_example=examples.ATTENDANCE_BODY_EXAMPLE,
    path_params=PATHS,
    errors=(403,),
)
def meeting_attendance(meeting_id: str):
    meeting = get_managed_meeting(api_user(), meeting_id)
    if request.method == "PUT":
        data = json_body()
        _only(data, ("present", "attended_as"))
        if "present" not in data:
            raise ValidationError("present", "'present' is required (a list, maybe empty).")
        attendance_services.record_attendance(
            api_user(),
            meeting,
            _list(data, "present", MAX_PRESENT),
            _mapping(data, "attended_as"),
        )
        db.session.commit()
    return jsonify(_attendance(records_report.meeting_report(api_user(), meeting)))


@bp.get("/groups/<slug>/attendance-report")
@operation(
    summary="Attendance over a year",
    description="Per meeting, per member company and per person, for a calendar year in "
    "the group's time zone (facilitators). `year` defaults to the current one.",
    tags=TAGS,
    response=ref("AttendanceYear"),
    example=examples.YEAR_EXAMPLE,
    path_params=PATHS,
    params=[query_param("year", "The year, e.g. 2026.", {"type": "integer"})],
    errors=(403,),
)
def group_attendance_year(slug: str):
    group = get_visible_group(api_user(), slug)
    year = records_report.clean_year(request.args.get("year"), group)
    return jsonify(_year(records_report.year_report(api_user(), group, year)))


# --- minutes ----------------------------------------------------------------------------------


@bp.route("/meetings/<meeting_id>/minutes", methods=["GET", "PUT"])
@operation(
    method="GET",
    summary="A meeting's minutes",
    description="Drafts: facilitators only; in review: facilitators and attendees; "
    "published: everyone who sees the meeting. Others get 404.",
    tags=TAGS,
    response=ref("Minutes"),
    example=examples.MINUTES_EXAMPLE,
    path_params=PATHS,
)
@operation(
    method="PUT",
    summary="Write the minutes",
    description="Summary and, per agenda item, what was said and decided (facilitators). "
    "Items left out keep what they had; published minutes answer 409.",
    tags=TAGS,
    response=ref("Minutes"),
    example=examples.MINUTES_EXAMPLE,
    body=ref("MinutesBody"),
    body_example=examples.MINUTES_BODY_EXAMPLE,
    path_params=PATHS,
    errors=(403, 409),
)
def meeting_minutes(meeting_id: str):
    meeting = _meeting(meeting_id)
    if request.method == "GET":
        return jsonify(_minutes(meeting))
    data = json_body()
    _only(data, ("summary", "entries"))
    minutes_services.save_minutes(
        api_user(), meeting, summary=data.get("summary"), entries=_entries(data)
    )
    return _done(_minutes(meeting))


STEPS = {
    "send-for-review": minutes_services.send_for_review,
    "publish": minutes_services.publish_minutes,
    "back-to-draft": minutes_services.back_to_draft,
}


def _step_view(step: str):
    def view(meeting_id: str):
        meeting = _meeting(meeting_id)
        STEPS[step](api_user(), meeting)
        return _done(_minutes(meeting))

    view.__name__ = f"minutes_{step.replace('-', '_')}"
    return view


for _step, _summary, _description in (
    (
        "send-for-review",
        "Send the minutes for review",
        "Draft -> review: the attendees are emailed to approve or comment (facilitators). "
        "Needs attendance taken.",
    ),
    ("publish", "Publish the minutes", "Review -> published to the group (facilitators)."),
    ("back-to-draft", "Minutes back to draft", "Review -> draft, to rework (facilitators)."),
):
    bp.add_url_rule(
        f"/meetings/<meeting_id>/minutes/{_step}",
        view_func=operation(
            summary=_summary,
            description=_description,
            tags=TAGS,
            response=ref("Minutes"),
            example=examples.MINUTES_EXAMPLE,
            path_params=PATHS,
            errors=(403, 422),
        )(_step_view(_step)),
        methods=["POST"],
    )


@bp.put("/meetings/<meeting_id>/minutes/review")
@operation(
    summary="Review the minutes",
    description="Attendees, while the minutes are in review: approve, or comment on what "
    "should change (one of the two is needed). Reviewing again replaces your review.",
    tags=TAGS,
    response=ref("Minutes"),
    example=examples.MINUTES_EXAMPLE,
    body=ref("MinutesReviewBody"),
    body_example=examples.REVIEW_BODY_EXAMPLE,
    path_params=PATHS,
    errors=(403,),
)
def meeting_minutes_review(meeting_id: str):
    meeting = _meeting(meeting_id)
    data = json_body()
    _only(data, ("approve", "comment"))
    minutes_services.review_minutes(
        api_user(), meeting, approve=_bool(data, "approve"), comment=data.get("comment", "")
    )
    return _done(_minutes(meeting))


# --- action items -----------------------------------------------------------------------------


@bp.route("/meetings/<meeting_id>/actions", methods=["GET", "POST"])
@operation(
    method="GET",
    summary="A meeting's action items",
    tags=TAGS,
    response={"type": "array", "items": ref("ActionItem")},
    example=[examples.ACTION_EXAMPLE],
    path_params=PATHS,
)
@operation(
    method="POST",
    summary="Add an action item",
    description="What, who (`owner`: a person of the group by public id, or `owner_label` "
    "in words), optional due date and agenda item (facilitators). Unknown people, dates "
    "that are not dates and over-long text answer 422 with nothing saved.",
    tags=TAGS,
    status=201,
    response=ref("ActionItem"),
    example=examples.ACTION_EXAMPLE,
    body=ref("ActionItemBody"),
    body_example=examples.ACTION_BODY_EXAMPLE,
    path_params=PATHS,
    errors=(403,),
)
def meeting_actions(meeting_id: str):
    meeting = _meeting(meeting_id)
    if request.method == "GET":
        return jsonify([action_json(a) for a in action_services.meeting_actions(meeting)])
    data = json_body()
    _only(data, ("what", "owner", "owner_label", "due_on", "agenda_item"))
    if "what" not in data:
        raise ValidationError("what", "'what' is required.")
    fields = {key: data[key] for key in data if key != "owner_label" or data[key] is not None}
    action = action_services.add_action(api_user(), meeting, **fields)
    return _done(action_json(action), 201)


@bp.route("/actions/<action_id>", methods=["GET", "PATCH"])
@operation(
    method="GET",
    summary="One action item",
    tags=TAGS,
    response=ref("ActionItem"),
    example=examples.ACTION_EXAMPLE,
    path_params=PATHS,
)
@operation(
    method="PATCH",
    summary="Change an action item",
    description="Facilitators may change any field. The person it is for may change only "
    "`status` (done, dropped, open).",
    tags=TAGS,
    response=ref("ActionItem"),
    example=examples.ACTION_EXAMPLE,
    body=ref("ActionItemBody"),
    body_example={"status": "done"},
    path_params=PATHS,
    errors=(403,),
)
def action_item(action_id: str):
    user = api_user()
    action = action_services.get_action(user, action_id)
    if request.method == "GET":
        return jsonify(action_json(action))
    data = json_body()
    _only(data, action_services.ACTION_FIELDS)
    if set(data) == {"status"} and not is_facilitator(user, action.meeting.group):
        action_services.set_action_status(user, action, data["status"])
    else:
        action_services.update_action(user, action, **data)
    return _done(action_json(action))


@bp.get("/me/actions")
@operation(
    summary="Your open action items",
    description="What you agreed to do at your groups' meetings and have not finished.",
    tags=TAGS,
    response={"type": "array", "items": ref("ActionItem")},
    example=[examples.ACTION_EXAMPLE],
)
def my_actions():
    return jsonify([action_json(a) for a in action_services.my_open_actions(api_user())])
