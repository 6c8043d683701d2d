"""What the API says about meetings, agenda items, submissions and series.

Only public ids; times in UTC (``...Z``) plus the local start where the group meets.
Facilitator notes only for facilitators; who submitted an item only to facilitators and only
for open submissions ("Anonymous member" otherwise), and "You" for one's own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask import url_for

from credgroup.groups.access import is_facilitator
from credgroup.meetings import agenda, calls, meetings
from credgroup.meetings.models import ItemSubmission, Meeting, MeetingSeries

if TYPE_CHECKING:
    from credgroup.accounts.models import User


def utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def meeting_summary(meeting: Meeting) -> dict[str, Any]:
    call = meeting.call
    return {
        "id": meeting.public_id,
        "group": meeting.group.slug,
        "title": meeting.title,
        "status": meeting.status.value,
        "starts_at": utc(meeting.starts_at),
        "ends_at": utc(meetings.ends_at(meeting)),
        "local_start": meetings.local_start(meeting).isoformat(),
        "timezone": meeting.timezone,
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "video_link": meeting.video_link or None,
        "series": meeting.series.public_id if meeting.series is not None else None,
        "sequence": meeting.sequence,
        "call": None
        if call is None
        else {"open": calls.accepting(call), "deadline": utc(call.deadline)},
        "links": {
            "self": url_for("api.meeting", meeting_id=meeting.public_id, _external=True),
            "ics": url_for("api.meeting_ics", meeting_id=meeting.public_id, _external=True),
            "page": url_for("meetings.meeting_detail", public_id=meeting.public_id, _external=True),
        },
    }


def agenda_item_view(row: agenda.AgendaRow) -> dict[str, Any]:
    item = row.item
    return {
        "id": item.public_id,
        "number": row.number,
        "title": item.title,
        "description": item.description,
        "kind": item.kind.value,
        "mode": item.mode.value,
        "duration_minutes": item.duration_minutes,
        "starts_at": utc(row.starts_at),
        "ends_at": utc(row.ends_at),
        "removable": bool(item.removable),
        "unfinished": bool(item.unfinished),
        "report": item.report.public_id if item.report is not None else None,
        "article": item.article.public_id if item.article is not None else None,
        "notes": item.notes if row.show_notes else None,
        "trend_report": _trend_report(row),
    }


def _trend_report(row: agenda.AgendaRow) -> dict[str, Any] | None:
    """The frozen trend report a trend-report item carries: its headline, or why the group
    has no figures, with links to the whole report."""
    if row.trend is None:
        return None
    snapshot_id = row.trend.snapshot_id
    group = row.item.meeting.group.slug
    return {
        **row.trend.as_dict(),
        "links": {
            "self": url_for("api.trend_snapshot", snapshot_id=snapshot_id, _external=True),
            "page": url_for(
                "trends.snapshot_show", slug=group, public_id=snapshot_id, _external=True
            ),
        },
    }


def meeting_detail(viewer: User, meeting: Meeting) -> dict[str, Any]:
    summary = agenda.agenda_summary(meeting)
    return {
        **meeting_summary(meeting),
        "description": meeting.description,
        "agenda": [agenda_item_view(row) for row in agenda.agenda_rows(meeting, viewer)],
        "agenda_minutes": summary.total_minutes,
        "overrun_minutes": summary.overrun_minutes,
    }


def submission_view(viewer: User, submission: ItemSubmission) -> dict[str, Any]:
    meeting = submission.meeting
    if calls.is_own(viewer, submission):
        submitter = "You"
    elif is_facilitator(viewer, meeting.group):
        submitter = calls.submitter_label(submission)
    else:  # pragma: no cover - others never get to see a submission
        submitter = calls.ANONYMOUS_LABEL
    return {
        "id": submission.public_id,
        "meeting": meeting.public_id,
        "topic": submission.topic,
        "details": submission.details,
        "mode": submission.mode.value,
        "state": submission.state.value,
        "anonymous": bool(submission.anonymous),
        "submitter": submitter,
        "report": submission.report.public_id if submission.report is not None else None,
        "article": submission.article.public_id if submission.article is not None else None,
        "agenda_item": submission.agenda_item.public_id
        if submission.agenda_item is not None
        else None,
        "note": submission.facilitator_note,
        "submitted_on": submission.submitted_on.isoformat(),
        "carried_over": bool(submission.rolled_from_id or submission.rolled_from_item_id),
    }


def series_view(found: MeetingSeries) -> dict[str, Any]:
    return {
        "id": found.public_id,
        "group": found.group.slug,
        "title": found.title,
        "cadence": found.cadence.value,
        "timezone": found.timezone,
        "default_place": found.default_place,
        "default_video_link": found.default_video_link or None,
        "default_duration_minutes": found.default_duration_minutes,
        "active": bool(found.active),
        "standing_items": [
            {
                "id": item.public_id,
                "title": item.title,
                "duration_minutes": item.duration_minutes,
                "mode": item.mode.value,
            }
            for item in found.standing_items
        ],
    }
