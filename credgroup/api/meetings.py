"""The meeting endpoints of /api/v1: a group's meetings and series, one meeting with its
agenda, creating/editing/cloning/publishing/cancelling, agenda items, the call for items and
its submissions (openly or anonymously), and the .ics.

Thin like the other API views: read the caller and the input, call one service of
``credgroup.meetings``, commit once, answer JSON shaped by ``credgroup.meetings.presenters``.
A refused request rolls back (the blueprint's error handler), so nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Response, jsonify, request

from credgroup.api import meeting_schemas as examples
from credgroup.api.auth import api_user
from credgroup.api.errors import json_body
from credgroup.api.openapi import operation, page_example, page_of, query_param, ref
from credgroup.api.pagination import page_params, page_response, paginate_list
from credgroup.api.schemas import SCHEMAS
from credgroup.api.views import bp
from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group, is_facilitator
from credgroup.meetings import agenda, calendar, calls, meetings, presenters, series
from credgroup.meetings.models import ItemKind, Meeting

SCHEMAS.update(examples.MEETING_SCHEMAS)

TAGS = ["meetings"]
PATHS = {
    "slug": "The group's slug.",
    "meeting_id": "The meeting's public id.",
    "item_id": "The agenda item's public id.",
    "submission_id": "The submission's public id.",
    "series_id": "The series' public id.",
}
WHEN = ("upcoming", "past", "drafts", "all")


# --- input ------------------------------------------------------------------------------------


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(unknown[0], f"Unknown field '{unknown[0]}'.")


def _text(data: Mapping[str, Any], name: str, default: str = "") -> str:
    value = data.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ValidationError(name, f"'{name}' must be text.")
    return value


def _minutes(data: Mapping[str, Any], name: str = "duration_minutes", default: Any = None):
    value = data.get(name, default)
    if (value is not None and not isinstance(value, int | str)) or isinstance(value, bool):
        raise ValidationError(name, f"'{name}' must be a whole number of minutes.")
    return value


def _fields(data: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in names:
        if name in data:
            found[name] = _minutes(data, name) if name.endswith("minutes") else _text(data, name)
    return found


def _done(payload: Any, status: int = 200):
    db.session.commit()
    return jsonify(payload), status


def _meeting(meeting_id: str) -> Meeting:
    return meetings.get_meeting(api_user(), meeting_id)


def _managed(meeting_id: str) -> Meeting:
    return meetings.get_managed_meeting(api_user(), meeting_id)


def _detail(meeting: Meeting) -> dict[str, Any]:
    return presenters.meeting_detail(api_user(), meeting)


# --- a group's meetings -----------------------------------------------------------------------


@bp.route("/groups/<slug>/meetings", methods=["GET", "POST"])
@operation(
    method="GET",
    summary="A group's meetings",
    description="`when=upcoming` (default, soonest first), `past` (latest first), `drafts` "
    "(facilitators) or `all`. Times are UTC; `local_start` is the wall time where the group "
    "meets.",
    tags=TAGS,
    response=page_of("MeetingSummary"),
    example=page_example(examples.SUMMARY_EXAMPLE, "/groups/building-materials/meetings"),
    paginated=True,
    params=[query_param("when", "Which meetings.", {"type": "string", "enum": list(WHEN)})],
    path_params=PATHS,
)
@operation(
    method="POST",
    summary="Plan a meeting",
    description="Facilitators. Made as a draft with its first agenda (the statements, the "
    "previous minutes and open actions, the series' standing items). A duration that is "
    "not positive, an unknown time zone or a local time skipped by a clock change answer 422.",
    tags=TAGS,
    status=201,
    response=ref("MeetingDetail"),
    example=examples.DETAIL_EXAMPLE,
    body=ref("NewMeeting"),
    body_example=examples.NEW_MEETING_EXAMPLE,
    errors=(403,),
    path_params=PATHS,
)
def group_meetings(slug: str):
    group = get_visible_group(api_user(), slug)
    if request.method == "POST":
        data = json_body()
        _only(data, examples.NEW_MEETING["properties"])
        if "title" not in data or "starts_at" not in data:
            missing = "title" if "title" not in data else "starts_at"
            raise ValidationError(missing, f"'{missing}' is required.")
        series_id = _text(data, "series")
        chosen = series.get_series(api_user(), series_id) if series_id else None
        fields = _fields(
            data, ("title", "place", "video_link", "description", "timezone", "duration_minutes")
        )
        meeting = meetings.create_meeting(
            api_user(),
            group,
            starts_local=_text(data, "starts_at"),
            series=chosen,
            **{"duration_minutes": 120, **fields},
        )
        return _done(_detail(meeting), 201)
    when = request.args.get("when", "upcoming")
    if when not in WHEN:
        raise ValidationError("when", f"'when' must be one of: {', '.join(WHEN)}.")
    lists = meetings.group_meetings(api_user(), group)
    chosen_list = {
        "upcoming": lists.upcoming,
        "past": lists.past,
        "drafts": lists.drafts,
        "all": sorted([*lists.upcoming, *lists.past, *lists.drafts], key=lambda m: m.starts_at),
    }[when]
    return jsonify(
        page_response(paginate_list(chosen_list, page_params()), presenters.meeting_summary)
    )


@bp.post("/groups/<slug>/meetings/clone")
@operation(
    summary="Copy the last meeting",
    description="Facilitators. A draft one cadence after the last meeting (of the series if "
    "given; monthly without a series), on the same weekday of the month at the same local "
    "time, with its fixed agenda items.",
    tags=TAGS,
    status=201,
    response=ref("MeetingDetail"),
    example=examples.DETAIL_EXAMPLE,
    body=ref("CloneMeeting"),
    body_example={},
    errors=(403,),
    path_params=PATHS,
)
def meeting_clone(slug: str):
    group = get_visible_group(api_user(), slug)
    data = json_body()
    _only(data, ("series",))
    series_id = _text(data, "series")
    chosen = series.get_series(api_user(), series_id) if series_id else None
    return _done(_detail(meetings.clone_from_last(api_user(), group, chosen)), 201)


# --- one meeting ------------------------------------------------------------------------------


@bp.route("/meetings/<meeting_id>", methods=["GET", "PATCH"])
@operation(
    method="GET",
    summary="One meeting with its agenda",
    description="Drafts only for facilitators; facilitator notes only for facilitators.",
    tags=TAGS,
    response=ref("MeetingDetail"),
    example=examples.DETAIL_EXAMPLE,
    path_params=PATHS,
)
@operation(
    method="PATCH",
    summary="Change a meeting",
    description="Facilitators. A new start re-times the reminders; SEQUENCE goes up so "
    "calendars pick the change up. A cancelled meeting cannot change (422).",
    tags=TAGS,
    response=ref("MeetingDetail"),
    example=examples.DETAIL_EXAMPLE,
    body=ref("MeetingChanges"),
    body_example={"place": "Online only", "duration_minutes": 90},
    errors=(403,),
    path_params=PATHS,
)
def meeting(meeting_id: str):
    if request.method == "GET":
        return jsonify(_detail(_meeting(meeting_id)))
    found = _managed(meeting_id)
    data = json_body()
    _only(data, examples.MEETING_CHANGES["properties"])
    fields = _fields(
        data, ("title", "place", "video_link", "description", "timezone", "duration_minutes")
    )
    if "starts_at" in data:
        fields["starts_local"] = _text(data, "starts_at")
    meetings.update_meeting(api_user(), found, **fields)
    return _done(_detail(found))


def _meeting_action(meeting_id: str, action) -> Any:
    found = _meeting(meeting_id)
    action(found)
    return _done(_detail(found))


@bp.post("/meetings/<meeting_id>/publish")
@operation(
    summary="Publish a draft meeting",
    tags=TAGS,
    response=ref("MeetingDetail"),
    example=examples.DETAIL_EXAMPLE,
    errors=(403, 422),
    path_params=PATHS,
)
def meeting_publish(meeting_id: str):
    return _meeting_action(meeting_id, lambda m: meetings.publish_meeting(api_user(), m))


@bp.post("/meetings/<meeting_id>/held")
@operation(
    summary="Mark a meeting as held",
    tags=TAGS,
    response=ref("MeetingDetail"),
    example=examples.DETAIL_EXAMPLE,
    errors=(403, 422),
    path_params=PATHS,
)
def meeting_held(meeting_id: str):
    return _meeting_action(meeting_id, lambda m: meetings.mark_held(api_user(), m))


@bp.post("/meetings/<meeting_id>/cancel")
@operation(
    summary="Cancel a meeting",
    description="Facilitators. Calendars show STATUS:CANCELLED; the group is told by email.",
    tags=TAGS,
    response=ref("MeetingDetail"),
    example={**examples.DETAIL_EXAMPLE, "status": "cancelled"},
    body=ref("CancelMeeting"),
    body_example={"reason": "The hotel is closed."},
    errors=(403,),
    path_params=PATHS,
)
def meeting_cancel(meeting_id: str):
    data = json_body()
    _only(data, ("reason",))
    reason = _text(data, "reason")
    return _meeting_action(
        meeting_id, lambda m: meetings.cancel_meeting(api_user(), m, reason=reason)
    )


@bp.get("/meetings/<meeting_id>/ics")
@operation(
    summary="The meeting as an .ics calendar",
    description="RFC 5545: stable UID, DTSTAMP, TZID with VTIMEZONE, SEQUENCE, STATUS, a "
    "reminder alarm and the agenda in the description.",
    tags=TAGS,
    response=ref("Calendar"),
    example=examples.ICS_EXAMPLE,
    media_type="text/calendar",
    path_params=PATHS,
)
def meeting_ics(meeting_id: str):
    found = _meeting(meeting_id)
    response = Response(calendar.meeting_ics(found), mimetype="text/calendar")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{calendar.ics_filename(found)}"'
    )
    return response


# --- agenda items -----------------------------------------------------------------------------


@bp.post("/meetings/<meeting_id>/items")
@operation(
    summary="Add an agenda item",
    description="Facilitators. Appended after the existing items. Reports and articles are "
    "given by public id and must be published and visible in the group.",
    tags=TAGS,
    status=201,
    response=ref("MeetingDetail"),
    example=examples.DETAIL_EXAMPLE,
    body=ref("NewAgendaItem"),
    body_example=examples.NEW_ITEM_EXAMPLE,
    errors=(403,),
    path_params=PATHS,
)
def agenda_items(meeting_id: str):
    found = _managed(meeting_id)
    data = json_body()
    _only(data, examples.NEW_ITEM["properties"])
    if "title" not in data:
        raise ValidationError("title", "'title' is required.")
    fields = _fields(
        data,
        ("title", "description", "notes", "mode", "kind", "report", "article", "duration_minutes"),
    )
    if "trend_report" in data:
        fields["trend_report_ref"] = _text(data, "trend_report")
    agenda.add_item(api_user(), found, **{"duration_minutes": 15, **fields})
    return _done(_detail(found), 201)


@bp.route("/meetings/<meeting_id>/items/<item_id>", methods=["PATCH", "DELETE"])
@operation(
    method="PATCH",
    summary="Change or move an agenda item",
    description="Facilitators. `move` up or down one place; nothing moves above the "
    "statements, and their title stays.",
    tags=TAGS,
    response=ref("MeetingDetail"),
    example=examples.DETAIL_EXAMPLE,
    body=ref("AgendaItemChanges"),
    body_example={"duration_minutes": 25, "move": "up"},
    errors=(403,),
    path_params=PATHS,
)
@operation(
    method="DELETE",
    summary="Remove an agenda item",
    description="Facilitators. The statements cannot be removed (422). A submission that "
    "became this item goes back to pending.",
    tags=TAGS,
    response=ref("MeetingDetail"),
    example=examples.DETAIL_EXAMPLE,
    errors=(403, 422),
    path_params=PATHS,
)
def agenda_item(meeting_id: str, item_id: str):
    found = _managed(meeting_id)
    item = agenda.get_item(api_user(), meeting_id, item_id)
    if request.method == "DELETE":
        agenda.remove_item(api_user(), item)
        return _done(_detail(found))
    data = json_body()
    _only(data, examples.ITEM_CHANGES["properties"])
    fields = _fields(
        data, ("title", "description", "notes", "mode", "report", "article", "duration_minutes")
    )
    if "trend_report" in data:
        fields["trend_report_ref"] = _text(data, "trend_report")
    if fields:
        agenda.update_item(api_user(), item, **fields)
    move = data.get("move")
    if move is not None:
        if move not in ("up", "down"):
            raise ValidationError("move", "'move' must be up or down.")
        agenda.move_item(api_user(), item, move)
    return _done(_detail(found))


# --- the call for items -----------------------------------------------------------------------


@bp.route("/meetings/<meeting_id>/call", methods=["PUT"])
@operation(
    summary="Open, reopen or close the call for items",
    description="Facilitators. A `deadline` opens (or reopens) the call; it must be ahead and "
    "before the meeting. Deferred and unfinished items of earlier meetings roll in. "
    "`open: false` closes it.",
    tags=TAGS,
    response=ref("MeetingDetail"),
    example=examples.DETAIL_EXAMPLE,
    body=ref("CallForItems"),
    body_example=examples.CALL_EXAMPLE,
    errors=(403,),
    path_params=PATHS,
)
def meeting_call(meeting_id: str):
    found = _managed(meeting_id)
    data = json_body()
    _only(data, ("deadline", "open"))
    if data.get("open") is False:
        calls.close_call(api_user(), found)
    elif "deadline" in data:
        calls.open_call(api_user(), found, deadline=_text(data, "deadline"))
    else:
        raise ValidationError("deadline", "Give a 'deadline' to open the call, or open: false.")
    return _done(_detail(found))


@bp.route("/meetings/<meeting_id>/submissions", methods=["GET", "POST"])
@operation(
    method="GET",
    summary="Submitted items",
    description='Facilitators see every submission (anonymous ones as "Anonymous member"); '
    "members see their own.",
    tags=TAGS,
    response=page_of("ItemSubmission"),
    example=page_example(examples.SUBMISSION_EXAMPLE, "/meetings/k3J9xQ2mLp0aZr7w/submissions"),
    paginated=True,
    path_params=PATHS,
)
@operation(
    method="POST",
    summary="Propose an item",
    description="Members (and facilitators, openly) while the call is open and before its "
    "deadline (else 422). `anonymous: true` keeps no name: nobody, facilitators and admins "
    "included, can see who sent it.",
    tags=TAGS,
    status=201,
    response=ref("ItemSubmission"),
    example=examples.SUBMISSION_EXAMPLE,
    body=ref("NewItemSubmission"),
    body_example=examples.NEW_SUBMISSION_EXAMPLE,
    path_params=PATHS,
)
def meeting_submissions(meeting_id: str):
    found = _meeting(meeting_id)
    user = api_user()
    if request.method == "POST":
        data = json_body()
        _only(data, examples.NEW_SUBMISSION["properties"])
        if "topic" not in data:
            raise ValidationError("topic", "'topic' is required.")
        anonymous = data.get("anonymous", False)
        if not isinstance(anonymous, bool):
            raise ValidationError("anonymous", "'anonymous' must be true or false.")
        fields = _fields(data, ("topic", "details", "mode", "report", "article"))
        submission = calls.submit_item(
            user,
            found,
            report=fields.pop("report", None) or None,
            article=fields.pop("article", None) or None,
            anonymous=anonymous,
            **fields,
        )
        return _done(presenters.submission_view(user, submission), 201)
    rows = (
        calls.call_submissions(user, found)
        if is_facilitator(user, found.group)
        else calls.own_submissions(user, found)
    )
    return jsonify(
        page_response(
            paginate_list(rows, page_params()), lambda s: presenters.submission_view(user, s)
        )
    )


@bp.route("/meetings/<meeting_id>/submissions/<submission_id>", methods=["POST", "DELETE"])
@operation(
    method="POST",
    summary="Decide on a submission",
    description="Facilitators: accept (onto the agenda, without any name), merge into an "
    "agenda item, defer to the next meeting's call, or reject.",
    tags=TAGS,
    response=ref("ItemSubmission"),
    example={**examples.SUBMISSION_EXAMPLE, "state": "accepted"},
    body=ref("SubmissionDecision"),
    body_example=examples.DECISION_EXAMPLE,
    errors=(403,),
    path_params=PATHS,
)
@operation(
    method="DELETE",
    summary="Withdraw your submission",
    description="Only your own, and only while the facilitator has not decided.",
    tags=TAGS,
    response=ref("ItemSubmission"),
    example=examples.SUBMISSION_EXAMPLE,
    errors=(422,),
    path_params=PATHS,
)
def meeting_submission(meeting_id: str, submission_id: str):
    found = _meeting(meeting_id)
    user = api_user()
    submission = calls.get_submission(user, found, submission_id)
    if request.method == "DELETE":
        shown = presenters.submission_view(user, submission)
        calls.withdraw_submission(user, submission)
        return _done(shown)
    data = json_body()
    _only(data, examples.DECISION["properties"])
    decision = _text(data, "decision")
    note = _text(data, "note")
    if decision == "accept":
        calls.accept_submission(
            user,
            submission,
            duration_minutes=_minutes(data, default=15),
            title=_text(data, "title") or None,
            note=note,
        )
    elif decision == "merge":
        try:
            into = agenda.get_item(user, meeting_id, _text(data, "into"))
        except NotFound:
            raise ValidationError("into", "Choose an item of this meeting's agenda.") from None
        if into.kind is ItemKind.STATEMENTS:
            raise ValidationError("into", "Choose an item of this meeting's agenda.")
        calls.merge_submission(user, submission, into, note=note)
    elif decision == "defer":
        calls.defer_submission(user, submission, note=note)
    elif decision == "reject":
        calls.reject_submission(user, submission, note=note)
    else:
        raise ValidationError("decision", "'decision' must be accept, merge, defer or reject.")
    return _done(presenters.submission_view(user, submission))


# --- series -----------------------------------------------------------------------------------


@bp.route("/groups/<slug>/series", methods=["GET", "POST"])
@operation(
    method="GET",
    summary="A group's recurring series",
    tags=TAGS,
    response=page_of("MeetingSeries"),
    example=page_example(examples.SERIES_EXAMPLE, "/groups/building-materials/series"),
    paginated=True,
    path_params=PATHS,
)
@operation(
    method="POST",
    summary="Create a series",
    description="Facilitators. With its standing items, which go onto every new agenda.",
    tags=TAGS,
    status=201,
    response=ref("MeetingSeries"),
    example=examples.SERIES_EXAMPLE,
    body=ref("NewMeetingSeries"),
    body_example=examples.NEW_SERIES_EXAMPLE,
    errors=(403,),
    path_params=PATHS,
)
def group_series(slug: str):
    group = get_visible_group(api_user(), slug)
    if request.method == "GET":
        found = series.group_series(api_user(), group)
        return jsonify(page_response(paginate_list(found, page_params()), presenters.series_view))
    data = json_body()
    _only(data, examples.NEW_SERIES["properties"])
    if "title" not in data:
        raise ValidationError("title", "'title' is required.")
    standing = data.get("standing_items", [])
    if not isinstance(standing, list) or len(standing) > series.MAX_STANDING_ITEMS:
        raise ValidationError("standing_items", "'standing_items' must be a short list.")
    fields = _fields(
        data,
        (
            "title",
            "cadence",
            "timezone",
            "default_place",
            "default_video_link",
            "default_duration_minutes",
        ),
    )
    made = series.create_series(api_user(), group, **fields)
    for entry in standing:
        if not isinstance(entry, dict):
            raise ValidationError("standing_items", "Each standing item must be an object.")
        _only(entry, ("title", "duration_minutes", "mode"))
        series.add_standing_item(
            api_user(),
            made,
            title=_text(entry, "title"),
            **{"duration_minutes": 15, **_fields(entry, ("mode", "duration_minutes"))},
        )
    return _done(presenters.series_view(made), 201)
