"""The agenda: ordered items with durations and computed start times, the three statements
always first and never removable, standing items from the series, links to reports,
articles and the trend report, facilitator-only notes, and "draft from what members are
reporting".

Items carry no submitter: whoever proposed an item (openly or not) is never on the agenda.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from werkzeug.routing import BuildError

from credgroup.audit.services import record
from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import is_facilitator, require_facilitator
from credgroup.meetings import inputs
from credgroup.meetings.meetings import (
    _require_changeable,
    get_meeting,
    next_meeting,
    previous_meeting,
    touch,
)
from credgroup.meetings.models import AgendaItem, ItemKind, ItemMode, Meeting
from credgroup.meetings.trend_items import TrendSummary, item_summary

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.kb.models import Article
    from credgroup.reports.models import Report

STATEMENTS_TITLE = "Antitrust, anti-defamation and confidentiality statements"
STATEMENTS_MINUTES = 5
MINUTES_APPROVAL_MINUTES = 5
ACTION_REVIEW_MINUTES = 10
MAX_ITEMS = 60
ITEM_FIELDS = (
    "title",
    "description",
    "notes",
    "duration_minutes",
    "mode",
    "report",
    "article",
    "trend_report_ref",
)
# Kinds a facilitator may choose when adding an item by hand.
ADDABLE_KINDS = (
    ItemKind.OTHER,
    ItemKind.SUBMITTED,
    ItemKind.STANDING,
    ItemKind.TREND_REPORT,
    ItemKind.ACTION_REVIEW,
)


# --- the agenda as shown ------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    number: int
    starts_at: datetime
    ends_at: datetime
    show_notes: bool
    links: list[tuple[str, str]] = field(default_factory=list)
    trend: TrendSummary | None = None  # the frozen report a trend-report item carries


@dataclass(frozen=True)
class AgendaSummary:
    total_minutes: int
    meeting_minutes: int
    overrun_minutes: int  # 0 when the items fit in the meeting
    ends_at: datetime  # when the last item ends


def ordered_items(meeting: Meeting) -> list[AgendaItem]:
    """Statements first, then by position."""
    return sorted(
        meeting.items,
        key=lambda i: (i.kind is not ItemKind.STATEMENTS, i.position, i.id or 0),
    )


def agenda_summary(meeting: Meeting) -> AgendaSummary:
    total = sum(item.duration_minutes for item in meeting.items)
    return AgendaSummary(
        total_minutes=total,
        meeting_minutes=meeting.duration_minutes,
        overrun_minutes=max(0, total - meeting.duration_minutes),
        ends_at=meeting.starts_at + timedelta(minutes=total),
    )


def agenda_rows(meeting: Meeting, viewer: User | None) -> list[AgendaRow]:
    """The agenda with computed start times; notes only for the group's facilitators. Links
    are made only in a request (emails and calendars have no use for relative URLs)."""
    show_notes = viewer is not None and is_facilitator(viewer, meeting.group)
    with_links = has_request_context()
    rows: list[AgendaRow] = []
    at = meeting.starts_at
    for number, item in enumerate(ordered_items(meeting), start=1):
        end = at + timedelta(minutes=item.duration_minutes)
        links = item_links(item) if with_links else []
        rows.append(AgendaRow(item, number, at, end, show_notes, links, item_summary(item)))
        at = end
    return rows


def _endpoint_exists(name: str) -> bool:
    return name in current_app.view_functions


def item_links(item: AgendaItem) -> list[tuple[str, str]]:
    """(label, url) of what the item points at: a report, an article, the previous minutes,
    the trend report. Reports and articles are shown only while they are published."""
    from credgroup.kb.models import ArticleState
    from credgroup.reports.enums import ContributionState

    links: list[tuple[str, str]] = []
    if item.report is not None and item.report.state is ContributionState.PUBLISHED:
        links.append(
            (
                f"Report: {item.report.title}",
                url_for("reports.report_detail", public_id=item.report.public_id),
            )
        )
    if item.article is not None and item.article.state is ArticleState.PUBLISHED:
        links.append(
            (
                f"Article: {item.article.title}",
                url_for("kb.article_detail", public_id=item.article.public_id),
            )
        )
    previous = item.previous_meeting
    if item.kind is ItemKind.MINUTES_APPROVAL and previous is not None:
        endpoint = (
            "meeting_records.minutes"
            if _endpoint_exists("meeting_records.minutes")
            else "meetings.meeting_detail"
        )
        links.append(
            (f"Minutes of {previous.title}", url_for(endpoint, public_id=previous.public_id))
        )
    if item.kind is ItemKind.TREND_REPORT:
        link = _trend_link(item)
        if link:
            links.append(link)
    return links


def _trend_link(item: AgendaItem) -> tuple[str, str] | None:
    """The group's trend report, once the trends feature exists."""
    for endpoint, kwargs in (
        ("trends.trend_report", {"public_id": item.trend_report_ref}),
        ("trends.group_trends", {"slug": item.meeting.group.slug}),
    ):
        if _endpoint_exists(endpoint) and all(kwargs.values()):
            try:
                return ("Trend report", url_for(endpoint, **kwargs))
            except BuildError:  # a URL rule we guessed wrong: no link
                continue
    return None


def open_actions(meeting: Meeting) -> list[Any]:
    """Open action items of the group, from the records feature when it is there."""
    try:
        from credgroup.meetings.actions import open_actions_for_group
    except ImportError:
        return []
    return list(open_actions_for_group(meeting.group))


# --- building -------------------------------------------------------------------------------


def _new_item(meeting: Meeting, **fields: Any) -> AgendaItem:
    item = AgendaItem(meeting=meeting, position=len(meeting.items), **fields)
    db.session.add(item)
    return item


def initial_agenda(meeting: Meeting) -> None:
    """What every new agenda starts with: the statements (first, not removable), approval of
    the previous minutes and a review of open action items when there was a meeting before,
    then the series' standing items."""
    _new_item(
        meeting,
        title=STATEMENTS_TITLE,
        kind=ItemKind.STATEMENTS,
        mode=ItemMode.INFORMATION,
        duration_minutes=STATEMENTS_MINUTES,
        removable=False,
    )
    previous = previous_meeting(meeting)
    if previous is not None:
        _new_item(
            meeting,
            title=f"Approval of the minutes of {previous.title}",
            kind=ItemKind.MINUTES_APPROVAL,
            mode=ItemMode.DISCUSSION,
            duration_minutes=MINUTES_APPROVAL_MINUTES,
            previous_meeting=previous,
        )
        _new_item(
            meeting,
            title="Open action items",
            kind=ItemKind.ACTION_REVIEW,
            mode=ItemMode.DISCUSSION,
            duration_minutes=ACTION_REVIEW_MINUTES,
        )
    if meeting.series is not None:
        for standing in meeting.series.standing_items:
            _new_item(
                meeting,
                title=standing.title,
                kind=ItemKind.STANDING,
                mode=standing.mode,
                duration_minutes=standing.duration_minutes,
                standing_item_id=standing.id,
            )
    db.session.flush()


COPIED_KINDS = (ItemKind.OTHER, ItemKind.TREND_REPORT)


def copy_fixed_items(source: Meeting, target: Meeting) -> None:
    """Clone: the last agenda's own items (not submitted ones, not the ones every agenda gets)."""
    for item in ordered_items(source):
        if item.kind in COPIED_KINDS:
            _new_item(
                target,
                title=item.title,
                description=item.description,
                notes=item.notes,
                kind=item.kind,
                mode=item.mode,
                duration_minutes=item.duration_minutes,
                article_id=item.article_id,
            )
    db.session.flush()


def _renumber(meeting: Meeting, order: list[AgendaItem] | None = None) -> None:
    for position, item in enumerate(order or ordered_items(meeting)):
        item.position = position


def resolve_report(
    viewer: User, meeting: Meeting, public_id: str | None, field_name: str = "report"
) -> Report | None:
    """A published report of the meeting's group that the viewer may see, by public id."""
    from credgroup.reports import queries
    from credgroup.reports.enums import ContributionState

    if not public_id:
        return None
    if not isinstance(public_id, str):
        raise ValidationError(field_name, "Give the report's id.")
    public_id = _public_id_from(public_id.strip())
    try:
        report = queries.get_report(viewer, public_id)
    except NotFound:
        raise ValidationError(field_name, "No such report in this group.") from None
    if report.state is ContributionState.MERGED and report.merged_into is not None:
        report = report.merged_into
    if report.group_id != meeting.group_id or report.state is not ContributionState.PUBLISHED:
        raise ValidationError(field_name, "No such report in this group.")
    return report


def resolve_article(
    viewer: User, meeting: Meeting, public_id: str | None, field_name: str = "article"
) -> Article | None:
    """A published article of the group (or association-wide) the viewer may see."""
    from credgroup.kb.models import ArticleState
    from credgroup.kb.permissions import get_article

    if not public_id:
        return None
    if not isinstance(public_id, str):
        raise ValidationError(field_name, "Give the article's id.")
    try:
        article = get_article(viewer, _public_id_from(public_id.strip()))
    except NotFound:
        raise ValidationError(field_name, "No such article.") from None
    if (
        article.group_id not in (None, meeting.group_id)
        or article.state is not ArticleState.PUBLISHED
    ):
        raise ValidationError(field_name, "No such article.")
    return article


def _public_id_from(value: str) -> str:
    """Accept a pasted address (…/reports/<id>) as well as a bare id."""
    value = value.rstrip("/").split("?")[0]
    return value.rsplit("/", 1)[-1][:64]


def _clean_item(actor: User, meeting: Meeting, fields: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "title" in fields:
        cleaned["title"] = inputs.clean_title(fields["title"])
    if "description" in fields:
        cleaned["description"] = inputs.clean_long_text(fields["description"], "description")
    if "notes" in fields:
        cleaned["notes"] = inputs.clean_long_text(fields["notes"], "notes")
    if "duration_minutes" in fields:
        cleaned["duration_minutes"] = inputs.clean_minutes(
            fields["duration_minutes"], maximum=inputs.MAX_ITEM_MINUTES
        )
    if "mode" in fields:
        cleaned["mode"] = inputs.clean_enum(fields["mode"], ItemMode, "mode")
    if "report" in fields:
        report = resolve_report(actor, meeting, fields["report"])
        cleaned["report_id"] = report.id if report else None
    if "article" in fields:
        article = resolve_article(actor, meeting, fields["article"])
        cleaned["article_id"] = article.id if article else None
    if "trend_report_ref" in fields:
        cleaned["trend_report_ref"] = inputs.clean_text(
            "trend_report_ref", fields["trend_report_ref"], max_length=64
        )
    return cleaned


def _require_agenda_editor(actor: User, meeting: Meeting) -> None:
    require_facilitator(actor, meeting.group)
    _require_changeable(meeting)


def add_item(
    actor: User,
    meeting: Meeting,
    *,
    title: str,
    duration_minutes: int | str = 15,
    description: str = "",
    notes: str = "",
    mode: ItemMode | str = ItemMode.DISCUSSION,
    kind: ItemKind | str = ItemKind.OTHER,
    report: str | None = None,
    article: str | None = None,
    trend_report_ref: str = "",
) -> AgendaItem:
    """Append an item to the agenda (facilitators). ``report``/``article`` are public ids."""
    _require_agenda_editor(actor, meeting)
    kind = inputs.clean_enum(kind, ItemKind, "kind")
    if kind not in ADDABLE_KINDS:
        raise ValidationError("kind", "That kind of item is added by the platform.")
    if len(meeting.items) >= MAX_ITEMS:
        raise ValidationError("title", f"An agenda has at most {MAX_ITEMS} items.")
    cleaned = _clean_item(
        actor,
        meeting,
        {
            "title": title,
            "description": description,
            "notes": notes,
            "duration_minutes": duration_minutes,
            "mode": mode,
            "report": report,
            "article": article,
            "trend_report_ref": trend_report_ref,
        },
    )
    item = _new_item(meeting, kind=kind, **cleaned)
    touch(meeting)
    db.session.flush()
    record(
        actor,
        "meetings.item_added",
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
        item=item.title,
    )
    return item


def update_item(actor: User, item: AgendaItem, **fields: Any) -> AgendaItem:
    """Edit an item. The statements item keeps its title (it is the same on every agenda)."""
    meeting = item.meeting
    _require_agenda_editor(actor, meeting)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"not item fields: {sorted(unknown)}")
    if item.kind is ItemKind.STATEMENTS:
        fields.pop("title", None)
    cleaned = _clean_item(actor, meeting, fields)
    for name, value in cleaned.items():
        setattr(item, name, value)
    touch(meeting)
    db.session.flush()
    record(
        actor,
        "meetings.item_updated",
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
        item=item.title,
    )
    return item


def remove_item(actor: User, item: AgendaItem) -> None:
    """Take an item off the agenda. The statements cannot be removed."""
    meeting = item.meeting
    _require_agenda_editor(actor, meeting)
    if not item.removable or item.kind is ItemKind.STATEMENTS:
        raise ValidationError(
            None,
            "The antitrust, anti-defamation and confidentiality statements are always "
            "on the agenda and cannot be removed.",
        )
    from credgroup.meetings.models import ItemSubmission, SubmissionState

    # A submission that became this item goes back to waiting, so it is not lost.
    for submission in db.session.scalars(
        sa.select(ItemSubmission).where(ItemSubmission.agenda_item_id == item.id)
    ):
        submission.agenda_item_id = None
        submission.state = SubmissionState.PENDING
    title = item.title
    meeting.items.remove(item)
    db.session.delete(item)
    _renumber(meeting)
    touch(meeting)
    db.session.flush()
    record(
        actor,
        "meetings.item_removed",
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
        item=title,
    )


def move_item(actor: User, item: AgendaItem, direction: str) -> None:
    """Move an item one place up or down. Nothing moves above the statements."""
    meeting = item.meeting
    _require_agenda_editor(actor, meeting)
    if direction not in ("up", "down"):
        raise ValidationError("direction", "Move an item up or down.")
    order = ordered_items(meeting)
    index = order.index(item)
    target = index - 1 if direction == "up" else index + 1
    if item.kind is ItemKind.STATEMENTS or not 0 <= target < len(order):
        return
    if order[target].kind is ItemKind.STATEMENTS:
        return
    order[index], order[target] = order[target], order[index]
    _renumber(meeting, order)
    touch(meeting)
    db.session.flush()


def mark_unfinished(actor: User, item: AgendaItem, value: bool) -> AgendaItem:
    """After the meeting: an unfinished item rolls into the next meeting's call."""
    require_facilitator(actor, item.meeting.group)
    item.unfinished = bool(value)
    db.session.flush()
    if item.unfinished:
        following = next_meeting(item.meeting)
        if following is not None and following.call is not None:
            from credgroup.meetings.calls import roll_over

            roll_over(actor, following)
    return item


TREND_MINUTES = 15
TREND_LOOKBACK_DAYS = 90


def attach_trend_report(actor: User, meeting: Meeting) -> AgendaItem:
    """Freeze the group's trend report for the time since the last meeting (once per meeting)
    and put it on the agenda. Needs the trends feature; without it, a clear refusal."""
    _require_agenda_editor(actor, meeting)
    try:
        from credgroup.trends.service import freeze_snapshot
    except ImportError:
        raise ValidationError(None, "Trend reports are not available here yet.") from None
    existing = [i for i in meeting.items if i.kind is ItemKind.TREND_REPORT and i.trend_report_ref]
    if existing:
        return existing[0]
    previous = previous_meeting(meeting)
    until = min(meeting.starts_at.date(), date.today())
    since = previous.starts_at.date() if previous else until - timedelta(days=TREND_LOOKBACK_DAYS)
    snapshot = freeze_snapshot(actor, meeting.group, since, until, meeting_id=meeting.id)
    # The worker may have frozen and attached this meeting's snapshot meanwhile: freezing
    # waited for it to commit, so a fresh look finds its item.
    attached = _item_carrying(meeting, snapshot.public_id)
    if attached is not None:
        return attached
    item = _add_trend_item(meeting, snapshot.public_id, "Trend report since the last meeting")
    record(
        actor,
        "meetings.trend_report_attached",
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
    )
    return item


def attach_frozen_trend_report(meeting: Meeting, snapshot_id: str, period_label: str) -> AgendaItem:
    """As the system (the worker): put the snapshot it has just frozen for this meeting on
    the agenda. Called only by whoever froze it, so it happens once per meeting."""
    item = _add_trend_item(meeting, snapshot_id, f"Trend report, {period_label}"[:200])
    record(
        None,
        "meetings.trend_report_attached",
        target_type="meeting",
        target_label=meeting.title,
        group=meeting.group,
        meeting=meeting.public_id,
    )
    return item


def _add_trend_item(meeting: Meeting, snapshot_id: str, title: str) -> AgendaItem:
    item = _new_item(
        meeting,
        title=title,
        kind=ItemKind.TREND_REPORT,
        mode=ItemMode.INFORMATION,
        duration_minutes=TREND_MINUTES,
        trend_report_ref=snapshot_id,
    )
    touch(meeting)
    db.session.flush()
    return item


def _item_carrying(meeting: Meeting, snapshot_id: str) -> AgendaItem | None:
    return db.session.scalar(
        sa.select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id,
            AgendaItem.kind == ItemKind.TREND_REPORT,
            AgendaItem.trend_report_ref == snapshot_id,
        )
    )


def get_item(viewer: User, meeting_public_id: str, item_public_id: str) -> AgendaItem:
    meeting = get_meeting(viewer, meeting_public_id)
    for item in meeting.items:
        if item.public_id == item_public_id:
            return item
    raise NotFound("No such agenda item.")


# --- "draft from what members are reporting" ---------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A suggested agenda item. ``key`` identifies it in the form ("report:<id>" or
    "rising:<portal slug>:<category>")."""

    key: str
    title: str
    reason: str
    report_public_id: str | None = None


PROPOSAL_LIMIT = 5


def draft_from_reports(
    actor: User, meeting: Meeting, *, limit: int = PROPOSAL_LIMIT
) -> list[Proposal]:
    """Items proposed from what members are reporting: the most confirmed open reports of the
    group, then the problems (portal + category) that rose fastest since the last meeting.

    Counts behind fewer companies than the group's anonymity threshold are never used: a
    small "rising" cell would point at its reporters. Reports already on the agenda are left out.
    """
    require_facilitator(actor, meeting.group)
    on_agenda = {item.report_id for item in meeting.items if item.report_id}
    proposals = _most_confirmed(meeting, on_agenda, limit)
    proposals += _fastest_rising(meeting, limit)
    return proposals


def _most_confirmed(meeting: Meeting, exclude: set[int], limit: int) -> list[Proposal]:
    from credgroup.reports.enums import ConfirmationKind, ContributionState, ReportStatus
    from credgroup.reports.models import Report, ReportConfirmation

    hits = sa.func.count(ReportConfirmation.id)
    rows = db.session.execute(
        sa.select(Report, hits)
        .join(
            ReportConfirmation,
            sa.and_(
                ReportConfirmation.report_id == Report.id,
                ReportConfirmation.kind == ConfirmationKind.HIT_TOO,
            ),
        )
        .where(
            Report.group_id == meeting.group_id,
            Report.state == ContributionState.PUBLISHED,
            Report.status.in_((ReportStatus.OPEN, ReportStatus.WORKAROUND_FOUND)),
        )
        .group_by(Report.id)
        .order_by(hits.desc(), Report.id.desc())
        .limit(limit + len(exclude))
    ).all()
    proposals = []
    for report, count in rows:
        if report.id in exclude or len(proposals) >= limit:
            continue
        proposals.append(
            Proposal(
                key=f"report:{report.public_id}",
                title=report.title,
                reason=f"Open report, {count} member compan{'y' if count == 1 else 'ies'} "
                "hit this too",
                report_public_id=report.public_id,
            )
        )
    return proposals


def _fastest_rising(meeting: Meeting, limit: int) -> list[Proposal]:
    """Portal and category pairs with the most new reports since the last meeting compared
    with the same span before it (trend reports replace this once they exist)."""
    from credgroup.portals.models import Portal
    from credgroup.portals.stats import disclosed_count
    from credgroup.reports.enums import ContributionState
    from credgroup.reports.models import Report

    previous = previous_meeting(meeting)
    today = date.today()
    since = previous.starts_at.date() if previous else today - timedelta(days=90)
    span = max((today - since).days, 30)
    before = since - timedelta(days=span)

    def counts(start: date, end: date) -> dict[tuple[int, Any], tuple[int, int]]:
        rows = db.session.execute(
            sa.select(
                Report.portal_id,
                Report.category,
                sa.func.count(Report.id),
                sa.func.count(sa.distinct(Report.company_pseudonym)),
            )
            .where(
                Report.group_id == meeting.group_id,
                Report.state == ContributionState.PUBLISHED,
                Report.published_on >= start,
                Report.published_on < end,
            )
            .group_by(Report.portal_id, Report.category)
        ).all()
        return {(p, c): (n, companies) for p, c, n, companies in rows}

    now_counts = counts(since, today + timedelta(days=1))
    then_counts = counts(before, since)
    threshold = meeting.group.anonymity_threshold
    rising = []
    for key, (n, companies) in now_counts.items():
        shown = disclosed_count(n, companies, threshold)
        if shown is None:
            continue
        earlier = then_counts.get(key, (0, 0))[0]
        if n > earlier:
            rising.append((n - earlier, n, key))
    rising.sort(key=lambda r: (-r[0], -r[1]))
    proposals = []
    for growth, n, (portal_id, category) in rising[:limit]:
        portal = db.session.get(Portal, portal_id)
        proposals.append(
            Proposal(
                key=f"rising:{portal.slug}:{category.value}",
                title=f"{portal.name}: {category.label}",
                reason=f"{n} new reports since the last meeting (up {growth})",
            )
        )
    return proposals


def add_proposals(actor: User, meeting: Meeting, keys: list[str]) -> list[AgendaItem]:
    """Put the chosen proposals on the agenda (keys from ``draft_from_reports``)."""
    available = {p.key: p for p in draft_from_reports(actor, meeting, limit=20)}
    chosen = [available[k] for k in keys if k in available]
    if not chosen:
        raise ValidationError("proposals", "Choose at least one proposed item.")
    items = []
    for proposal in chosen:
        items.append(
            add_item(
                actor,
                meeting,
                title=proposal.title,
                description=proposal.reason,
                report=proposal.report_public_id,
            )
        )
    return items
