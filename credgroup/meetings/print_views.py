"""Printable pages: the agenda for members and the facilitator's meeting book (agenda with
times and notes, the statements, who is coming, open action items, the trend report when
the trends feature provides one, and every linked report and article in full).

They are HTML pages with a print style sheet (``static/css/meeting-print.css``): the
browser's "Print" (or "Save as PDF") gives the paper version. A server-made PDF would need
a layout engine with its own native libraries for no better result, so there is none.

Linked reports and articles are loaded through their own features' permission checks and
shown through their presenters only, so the book never says more about a report (or its
author) than the report page does: no author, ever.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from credgroup.errors import NotFound
from credgroup.extensions import db
from credgroup.groups.access import is_facilitator
from credgroup.meetings import actions as action_services
from credgroup.meetings import agenda, compliance, rsvp
from credgroup.meetings.meetings import get_managed_meeting, get_meeting
from credgroup.meetings.models import ItemKind, Meeting, RsvpAnswer
from credgroup.meetings.records_views import bp

if TYPE_CHECKING:
    from credgroup.accounts.models import User


@dataclass(frozen=True)
class Attachment:
    """A report or article linked from the agenda, rendered in full in the book."""

    kind: str  # "report" or "article"
    numbers: list[int]  # the agenda items that link to it
    detail: dict[str, Any]


def _context(meeting: Meeting, viewer: User) -> dict[str, Any]:
    rows = agenda.agenda_rows(meeting, viewer)
    return {
        "meeting": meeting,
        "group": meeting.group,
        "rows": rows,
        "summary": agenda.agenda_summary(meeting),
        "statements": compliance.statements(meeting.group),
        "open_actions": action_services.open_actions_for_group(meeting.group),
        "ItemKind": ItemKind,
    }


@bp.get("/meetings/<public_id>/print")
def print_agenda(public_id: str):
    """The agenda as members print it: no facilitator notes."""
    meeting = get_meeting(current_user, public_id)
    context = _context(meeting, current_user)
    context["rows"] = agenda.agenda_rows(meeting, None)  # never the notes, even for staff
    return render_template("meetings/print_agenda.html", **context)


@bp.get("/meetings/<public_id>/book")
def meeting_book(public_id: str):
    """The facilitator's meeting book."""
    meeting = get_managed_meeting(current_user, public_id)
    context = _context(meeting, current_user)
    context.update(
        attachments=attachments(current_user, context["rows"]),
        trend_links=trend_links(meeting, context["rows"]),
        trend=trend_report(current_user, meeting, context["rows"]),
        coming=_coming(current_user, meeting),
        counts=rsvp.rsvp_counts(meeting),
        can_facilitate=is_facilitator(current_user, meeting.group),
    )
    return render_template("meetings/print_book.html", **context)


def _coming(viewer: User, meeting: Meeting) -> list[Any]:
    answers = rsvp.rsvp_list(viewer, meeting)
    return [r for r in answers if r.answer in (RsvpAnswer.YES, RsvpAnswer.MAYBE)]


def attachments(viewer: User, rows: list[agenda.AgendaRow]) -> list[Attachment]:
    """Reports and articles the agenda links to, each once, as the viewer may see them."""
    found: dict[tuple[str, int], Attachment] = {}
    for row in rows:
        for kind, target in (("report", row.item.report), ("article", row.item.article)):
            if target is None:
                continue
            key = (kind, target.id)
            if key in found:
                found[key].numbers.append(row.number)
                continue
            detail = _detail(viewer, kind, target.public_id)
            if detail is not None:
                found[key] = Attachment(kind, [row.number], detail)
    return list(found.values())


def _detail(viewer: User, kind: str, public_id: str) -> dict[str, Any] | None:
    """The presenter's view of a published report or article, or None if not visible."""
    try:
        if kind == "report":
            from credgroup.reports import presenters, queries
            from credgroup.reports.enums import ContributionState

            report = queries.get_report(viewer, public_id)
            if report.state is not ContributionState.PUBLISHED:
                return None
            return presenters.report_detail(viewer, report)
        from credgroup.kb.models import ArticleState
        from credgroup.kb.permissions import get_article
        from credgroup.kb.presenters import article_detail

        article = get_article(viewer, public_id)
        if article.state is not ArticleState.PUBLISHED:
            return None
        return article_detail(viewer, article)
    except NotFound:
        return None


def trend_links(meeting: Meeting, rows: list[agenda.AgendaRow]) -> list[tuple[str, str]]:
    """Links to the trend report from the agenda, or to the group's trends page when the
    trends feature exists (it is being built alongside; nothing is shown without it)."""
    links = [
        link
        for row in rows
        if row.item.kind is ItemKind.TREND_REPORT
        for link in row.links
        if link[0].startswith("Trend")
    ]
    if not links and "trends.group_trends" in current_app.view_functions:
        with suppress(BuildError):  # a URL rule we guessed wrong: no link
            links.append(("Trends", url_for("trends.group_trends", slug=meeting.group.slug)))
    return list(dict.fromkeys(links))


def trend_report(viewer: User, meeting: Meeting, rows: list[agenda.AgendaRow]) -> dict | None:
    """The meeting's frozen trend report, to print in full: the snapshot an agenda item
    names, else the one frozen for this meeting. None when the trends feature (built
    alongside) is absent or there is no such snapshot."""
    try:
        from credgroup.trends import service as trends
        from credgroup.trends.models import TrendSnapshot
        from credgroup.trends.views import report_charts
    except ImportError:
        return None
    snapshot = None
    for row in rows:
        ref = row.item.trend_report_ref if row.item.kind is ItemKind.TREND_REPORT else ""
        if ref and snapshot is None:
            with suppress(NotFound):
                snapshot = trends.get_snapshot(viewer, ref, meeting.group.slug)
    if snapshot is None:
        snapshot = db.session.scalar(
            sa.select(TrendSnapshot).where(
                TrendSnapshot.meeting_id == meeting.id, TrendSnapshot.group_id == meeting.group_id
            )
        )
    if snapshot is None:
        return None
    payload = trends.snapshot_payload(snapshot)
    return {"snapshot": snapshot, "payload": payload, "charts": report_charts(payload)}
