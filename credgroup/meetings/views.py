"""Meeting pages: a group's meetings and series, a meeting's page, creating, editing,
cloning, publishing and cancelling, the call for items (members submit openly or
anonymously; the facilitator decides), the agenda editor (reordering with buttons, no
JavaScript), "draft from what members are reporting", and calendars (.ics per meeting and
a private, revocable feed per person).

Views parse a form, call one service, commit, then redirect or render. When a service
refuses, the view rolls back (nothing half-saved) and shows the message next to the form
with the input kept. Who submitted an item is shown only to facilitators and only for
open submissions; anonymous ones show "Anonymous member" to everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from credgroup.errors import DomainError, NotFound
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group, is_facilitator, is_member
from credgroup.groups.forms import choices
from credgroup.meetings import agenda, calendar, calls, meetings, series
from credgroup.meetings.forms import (
    ActionForm,
    CallForm,
    CancelForm,
    CloneForm,
    DecideForm,
    ItemForm,
    MeetingForm,
    SeriesForm,
    StandingItemForm,
    SubmissionForm,
    apply_domain_error,
)
from credgroup.meetings.models import ItemKind, Meeting, MeetingSeries
from credgroup.web.guards import refuse_nul_characters

bp = Blueprint("meetings", __name__)
bp.before_request(refuse_nul_characters)


# --- helpers -------------------------------------------------------------------------------


def _render(template: str, status: int = 200, **context: Any):
    return render_template(f"meetings/{template}", **context), status


def _series_choices(group) -> list[tuple[str, str]]:
    return [(s.public_id, s.title) for s in series.group_series(current_user, group) if s.active]


def _local_input(moment: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def _fail(form, error: DomainError) -> int:
    db.session.rollback()
    apply_domain_error(form, error)
    return error.status_code


def _act(public_id: str, action: Callable[[Meeting], Any], message: str, back: str | None = None):
    """Run a facilitator action on a meeting from a button; on refusal show the meeting page
    with the message (nothing saved)."""
    form = ActionForm()
    if not form.validate():
        abort(400)
    meeting = meetings.get_meeting(current_user, public_id)
    try:
        action(meeting)
    except DomainError as error:
        db.session.rollback()
        meeting = meetings.get_meeting(current_user, public_id)
        return _detail_page(meeting, status=error.status_code, problem=error.message)
    db.session.commit()
    flash(message, "success")
    return redirect(back or url_for(".meeting_detail", public_id=public_id))


@bp.app_template_global()
def meetings_panel(group) -> dict[str, Any]:
    """The group page's view of its next meetings (templates/meetings/_group_panel.html)."""
    return {
        "upcoming": meetings.upcoming_meetings(current_user, group, limit=3),
        "can_manage": is_facilitator(current_user, group),
    }


@bp.app_template_global()
def meeting_local_time(meeting: Meeting) -> str:
    """The start where the group meets, e.g. "10:00 CST (America/Chicago)"."""
    return meetings.local_start(meeting).strftime("%H:%M %Z") + f" ({meeting.timezone})"


# --- lists ---------------------------------------------------------------------------------


@bp.get("/meetings/")
@login_required
def index():
    from credgroup.groups.access import visible_groups

    return _render(
        "meeting_index.html",
        upcoming=meetings.upcoming_meetings(current_user, limit=20),
        groups=visible_groups(current_user),
    )


@bp.get("/g/<slug>/meetings")
@login_required
def group_meetings(slug: str):
    group = get_visible_group(current_user, slug)
    lists = meetings.group_meetings(current_user, group)
    can_manage = is_facilitator(current_user, group)
    return _render(
        "meeting_list.html",
        group=group,
        lists=lists,
        can_manage=can_manage,
        clone_form=CloneForm(series_choices=_series_choices(group)) if can_manage else None,
        has_any=bool(lists.upcoming or lists.past or lists.drafts),
    )


# --- one meeting ------------------------------------------------------------------------------


def _detail_page(meeting: Meeting, status: int = 200, problem: str | None = None, **extra: Any):
    group = meeting.group
    can_facilitate = is_facilitator(current_user, group)
    call = meeting.call
    own = calls.own_submissions(current_user, meeting) if is_member(current_user, group) else []
    return _render(
        "meeting_detail.html",
        status,
        meeting=meeting,
        group=group,
        can_facilitate=can_facilitate,
        rows=agenda.agenda_rows(meeting, current_user),
        summary=agenda.agenda_summary(meeting),
        open_actions=agenda.open_actions(meeting),
        call=call,
        accepting=calls.accepting(call),
        own_submissions=own,
        can_submit=is_member(current_user, group) or can_facilitate,
        action_form=ActionForm(),
        cancel_form=CancelForm(),
        problem=problem,
        now=datetime.now(UTC),
        ends_at=meetings.ends_at(meeting),
        **extra,
    )


@bp.get("/meetings/<public_id>")
@login_required
def meeting_detail(public_id: str):
    return _detail_page(meetings.get_meeting(current_user, public_id))


@bp.get("/meetings/<public_id>.ics")
@login_required
def meeting_ics(public_id: str):
    meeting = meetings.get_meeting(current_user, public_id)
    return _ics_response(calendar.meeting_ics(meeting), calendar.ics_filename(meeting))


def _ics_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _meeting_form_page(form, group, meeting=None, status: int = 200):
    return _render("meeting_form.html", status, form=form, group=group, meeting=meeting)


@bp.route("/g/<slug>/meetings/new", methods=["GET", "POST"])
@login_required
def meeting_new(slug: str):
    group = get_visible_group(current_user, slug)
    from credgroup.groups.access import require_facilitator

    require_facilitator(current_user, group)
    form = MeetingForm(series_choices=_series_choices(group))
    if request.method == "GET":
        form.timezone.data = group.timezone
        form.duration_minutes.data = "120"
        return _meeting_form_page(form, group)
    if not form.validate():
        return _meeting_form_page(form, group, status=422)
    try:
        chosen = series.get_series(current_user, form.series.data) if form.series.data else None
        meeting = meetings.create_meeting(
            current_user,
            group,
            title=form.title.data,
            starts_local=form.starts_at.data or None,
            duration_minutes=form.duration_minutes.data,
            timezone=form.timezone.data,
            place=form.place.data,
            video_link=form.video_link.data,
            description=form.description.data,
            series=chosen,
        )
    except DomainError as error:
        return _meeting_form_page(form, group, status=_fail(form, error))
    db.session.commit()
    flash("The meeting is saved as a draft. Publish it when the group should see it.", "success")
    return redirect(url_for(".meeting_detail", public_id=meeting.public_id))


@bp.route("/meetings/<public_id>/edit", methods=["GET", "POST"])
@login_required
def meeting_edit(public_id: str):
    meeting = meetings.get_managed_meeting(current_user, public_id)
    group = meeting.group
    form = MeetingForm(series_choices=_series_choices(group))
    del form.series  # a meeting's series is fixed once made
    if request.method == "GET":
        form.title.data = meeting.title
        form.starts_at.data = _local_input(meeting.starts_at, meeting.timezone)
        form.duration_minutes.data = str(meeting.duration_minutes)
        form.timezone.data = meeting.timezone
        form.place.data = meeting.place
        form.video_link.data = meeting.video_link
        form.description.data = meeting.description
        return _meeting_form_page(form, group, meeting)
    if not form.validate():
        return _meeting_form_page(form, group, meeting, status=422)
    try:
        meetings.update_meeting(
            current_user,
            meeting,
            title=form.title.data,
            timezone=form.timezone.data,
            starts_local=form.starts_at.data or "",
            duration_minutes=form.duration_minutes.data,
            place=form.place.data,
            video_link=form.video_link.data,
            description=form.description.data,
        )
    except DomainError as error:
        return _meeting_form_page(form, group, meeting, status=_fail(form, error))
    db.session.commit()
    flash("The meeting is updated; calendars will pick the change up.", "success")
    return redirect(url_for(".meeting_detail", public_id=public_id))


@bp.post("/g/<slug>/meetings/clone")
@login_required
def meeting_clone(slug: str):
    group = get_visible_group(current_user, slug)
    form = CloneForm(series_choices=_series_choices(group))
    if not form.validate():
        abort(400)
    try:
        chosen = series.get_series(current_user, form.series.data) if form.series.data else None
        meeting = meetings.clone_from_last(current_user, group, chosen)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".group_meetings", slug=slug)), 303
    db.session.commit()
    flash("A draft copy of the last meeting is ready; check its date and agenda.", "success")
    return redirect(url_for(".meeting_detail", public_id=meeting.public_id))


@bp.post("/meetings/<public_id>/publish")
@login_required
def meeting_publish(public_id: str):
    return _act(
        public_id,
        lambda m: meetings.publish_meeting(current_user, m),
        "The meeting is published: members see it and their calendars get it.",
    )


@bp.post("/meetings/<public_id>/held")
@login_required
def meeting_held(public_id: str):
    return _act(
        public_id,
        lambda m: meetings.mark_held(current_user, m),
        "The meeting is marked as held. Minutes and attendance can follow.",
    )


@bp.post("/meetings/<public_id>/cancel")
@login_required
def meeting_cancel(public_id: str):
    form = CancelForm()
    if not form.validate():
        abort(400)
    meeting = meetings.get_meeting(current_user, public_id)
    try:
        meetings.cancel_meeting(current_user, meeting, reason=form.reason.data or "")
    except DomainError as error:
        db.session.rollback()
        meeting = meetings.get_meeting(current_user, public_id)
        return _detail_page(meeting, status=error.status_code, problem=error.message)
    db.session.commit()
    flash("The meeting is cancelled; the group is told and calendars show it.", "success")
    return redirect(url_for(".meeting_detail", public_id=public_id))


# --- the agenda editor ------------------------------------------------------------------------


def _agenda_page(meeting: Meeting, form=None, status: int = 200, problem: str | None = None):
    return _render(
        "agenda_edit.html",
        status,
        meeting=meeting,
        group=meeting.group,
        rows=agenda.agenda_rows(meeting, current_user),
        summary=agenda.agenda_summary(meeting),
        form=form or ItemForm(formdata=None, duration_minutes="15"),
        action_form=ActionForm(),
        problem=problem,
    )


@bp.route("/meetings/<public_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda_edit(public_id: str):
    meeting = meetings.get_managed_meeting(current_user, public_id)
    if request.method == "GET":
        return _agenda_page(meeting)
    form = ItemForm()
    if not form.validate():
        return _agenda_page(meeting, form, 422)
    try:
        agenda.add_item(
            current_user,
            meeting,
            title=form.title.data,
            duration_minutes=form.duration_minutes.data,
            description=form.description.data,
            notes=form.notes.data,
            mode=form.mode.data,
            kind=form.kind.data or "other",
            report=form.report.data or None,
            article=form.article.data or None,
        )
    except DomainError as error:
        status = _fail(form, error)
        return _agenda_page(meetings.get_managed_meeting(current_user, public_id), form, status)
    db.session.commit()
    flash("Item added to the agenda.", "success")
    return redirect(url_for(".agenda_edit", public_id=public_id) + "#agenda")


def _item_action(public_id: str, item_id: str, action: Callable[[Any], Any], message: str):
    form = ActionForm()
    if not form.validate():
        abort(400)
    meeting = meetings.get_managed_meeting(current_user, public_id)
    item = agenda.get_item(current_user, public_id, item_id)
    try:
        action(item)
    except DomainError as error:
        db.session.rollback()
        meeting = meetings.get_managed_meeting(current_user, public_id)
        return _agenda_page(meeting, status=error.status_code, problem=error.message)
    db.session.commit()
    if message:
        flash(message, "success")
    return redirect(url_for(".agenda_edit", public_id=meeting.public_id) + f"#item-{item_id}")


@bp.post("/meetings/<public_id>/agenda/<item_id>/move")
@login_required
def agenda_move(public_id: str, item_id: str):
    direction = request.form.get("direction", "")
    return _item_action(
        public_id, item_id, lambda item: agenda.move_item(current_user, item, direction), ""
    )


@bp.post("/meetings/<public_id>/agenda/<item_id>/remove")
@login_required
def agenda_remove(public_id: str, item_id: str):
    return _item_action(
        public_id,
        item_id,
        lambda item: agenda.remove_item(current_user, item),
        "Item removed from the agenda.",
    )


@bp.post("/meetings/<public_id>/agenda/<item_id>/unfinished")
@login_required
def agenda_unfinished(public_id: str, item_id: str):
    value = request.form.get("value") == "1"
    return _item_action(
        public_id,
        item_id,
        lambda item: agenda.mark_unfinished(current_user, item, value),
        "The item will roll into the next meeting's call for items."
        if value
        else "The item is marked as finished.",
    )


@bp.post("/meetings/<public_id>/agenda/trend-report")
@login_required
def agenda_trend_report(public_id: str):
    if not ActionForm().validate():
        abort(400)
    meeting = meetings.get_managed_meeting(current_user, public_id)
    try:
        agenda.attach_trend_report(current_user, meeting)
    except DomainError as error:
        db.session.rollback()
        meeting = meetings.get_managed_meeting(current_user, public_id)
        return _agenda_page(meeting, status=error.status_code, problem=error.message)
    db.session.commit()
    flash("The trend report since the last meeting is on the agenda.", "success")
    return redirect(url_for(".agenda_edit", public_id=public_id) + "#agenda")


@bp.route("/meetings/<public_id>/agenda/<item_id>/edit", methods=["GET", "POST"])
@login_required
def agenda_item_edit(public_id: str, item_id: str):
    meeting = meetings.get_managed_meeting(current_user, public_id)
    item = agenda.get_item(current_user, public_id, item_id)
    form = ItemForm()
    del form.kind
    if item.kind is ItemKind.STATEMENTS:
        del form.title
    if request.method == "GET":
        form.process(
            formdata=None,
            obj=None,
            data={
                "title": item.title,
                "duration_minutes": str(item.duration_minutes),
                "mode": item.mode.value,
                "description": item.description,
                "notes": item.notes,
                "report": item.report.public_id if item.report is not None else "",
                "article": item.article.public_id if item.article is not None else "",
            },
        )
        return _item_form_page(meeting, item, form)
    if not form.validate():
        return _item_form_page(meeting, item, form, 422)
    fields = {
        "duration_minutes": form.duration_minutes.data,
        "mode": form.mode.data,
        "description": form.description.data,
        "notes": form.notes.data,
        "report": form.report.data or None,
        "article": form.article.data or None,
    }
    if "title" in form:
        fields["title"] = form.title.data
    try:
        agenda.update_item(current_user, item, **fields)
    except DomainError as error:
        return _item_form_page(meeting, item, form, _fail(form, error))
    db.session.commit()
    flash("Item saved.", "success")
    return redirect(url_for(".agenda_edit", public_id=public_id) + f"#item-{item_id}")


def _item_form_page(meeting, item, form, status: int = 200):
    return _render(
        "agenda_item_edit.html", status, meeting=meeting, group=meeting.group, item=item, form=form
    )


@bp.route("/meetings/<public_id>/agenda/draft", methods=["GET", "POST"])
@login_required
def agenda_draft(public_id: str):
    meeting = meetings.get_managed_meeting(current_user, public_id)
    problem, status = None, 200
    if request.method == "POST":
        form = ActionForm()
        if not form.validate():
            abort(400)
        try:
            added = agenda.add_proposals(current_user, meeting, request.form.getlist("proposal"))
        except DomainError as error:
            db.session.rollback()
            meeting = meetings.get_managed_meeting(current_user, public_id)
            problem, status = error.message, error.status_code
        else:
            db.session.commit()
            flash(f"{len(added)} item{'' if len(added) == 1 else 's'} added.", "success")
            return redirect(url_for(".agenda_edit", public_id=public_id) + "#agenda")
    return _render(
        "agenda_draft.html",
        status,
        meeting=meeting,
        group=meeting.group,
        proposals=agenda.draft_from_reports(current_user, meeting),
        action_form=ActionForm(),
        problem=problem,
    )


# --- the call for items -----------------------------------------------------------------------


def _call_page(meeting: Meeting, form=None, status: int = 200, problem: str | None = None):
    submissions = calls.call_submissions(current_user, meeting)
    choice_list = choices(
        (i.public_id, i.title)
        for i in agenda.ordered_items(meeting)
        if i.kind is not ItemKind.STATEMENTS
    )
    decide_forms = {}
    for submission in submissions:
        decide = DecideForm(formdata=None, prefix=_decide_prefix(submission.public_id))
        decide.into.choices = choice_list
        decide_forms[submission.id] = decide
    if form is None:
        form = CallForm(formdata=None)
        if meeting.call is not None:
            form.deadline.data = _local_input(meeting.call.deadline, meeting.timezone)
        else:
            # About a week before the meeting, at the same local time.
            suggested = max(
                meeting.starts_at - timedelta(days=7), datetime.now(UTC) + timedelta(days=1)
            )
            form.deadline.data = _local_input(min(suggested, meeting.starts_at), meeting.timezone)
    return _render(
        "call_manage.html",
        status,
        meeting=meeting,
        group=meeting.group,
        call=meeting.call,
        accepting=calls.accepting(meeting.call),
        form=form,
        submissions=submissions,
        decide_forms=decide_forms,
        label=calls.submitter_label,
        has_items=bool(choice_list),
        action_form=ActionForm(),
        problem=problem,
    )


@bp.route("/meetings/<public_id>/call", methods=["GET", "POST"])
@login_required
def call_manage(public_id: str):
    meeting = meetings.get_managed_meeting(current_user, public_id)
    if request.method == "GET":
        return _call_page(meeting)
    form = CallForm()
    if not form.validate():
        return _call_page(meeting, form, 422)
    try:
        calls.open_call(current_user, meeting, deadline=form.deadline.data or "")
    except DomainError as error:
        status = _fail(form, error)
        return _call_page(meetings.get_managed_meeting(current_user, public_id), form, status)
    db.session.commit()
    flash("The call for items is open.", "success")
    return redirect(url_for(".call_manage", public_id=public_id))


@bp.post("/meetings/<public_id>/call/close")
@login_required
def call_close(public_id: str):
    return _act(
        public_id,
        lambda m: calls.close_call(current_user, m),
        "The call for items is closed.",
        back=url_for(".call_manage", public_id=public_id),
    )


def _decide_prefix(submission_id: str) -> str:
    # Ends with its own separator (see reports.detail_views._answer_prefix): public ids may
    # end in "-" or "_", after which WTForms would not add one.
    return f"s-{submission_id}-"


@bp.post("/meetings/<public_id>/submissions/<submission_id>/decide")
@login_required
def submission_decide(public_id: str, submission_id: str):
    meeting = meetings.get_managed_meeting(current_user, public_id)
    submission = calls.get_submission(current_user, meeting, submission_id)
    form = DecideForm(prefix=_decide_prefix(submission_id))
    form.into.choices = []
    if not form.validate():
        abort(400)
    decision = request.form.get("decision", "")
    note = form.note.data or ""
    try:
        if decision == "accept":
            calls.accept_submission(
                current_user, submission, duration_minutes=form.duration_minutes.data, note=note
            )
        elif decision == "merge":
            into = agenda.get_item(current_user, public_id, form.into.data or "")
            calls.merge_submission(current_user, submission, into, note=note)
        elif decision == "defer":
            calls.defer_submission(current_user, submission, note=note)
        elif decision == "reject":
            calls.reject_submission(current_user, submission, note=note)
        else:
            abort(400)
    except DomainError as error:
        db.session.rollback()
        meeting = meetings.get_managed_meeting(current_user, public_id)
        return _call_page(meeting, status=error.status_code, problem=error.message)
    db.session.commit()
    flash("Decision saved.", "success")
    return redirect(url_for(".call_manage", public_id=public_id))


def _submission_page(meeting: Meeting, form, status: int = 200):
    return _render(
        "submission_new.html",
        status,
        meeting=meeting,
        group=meeting.group,
        call=meeting.call,
        accepting=calls.accepting(meeting.call),
        form=form,
        can_be_anonymous=is_member(current_user, meeting.group),
        own=calls.own_submissions(current_user, meeting),
    )


@bp.route("/meetings/<public_id>/items/new", methods=["GET", "POST"])
@login_required
def submission_new(public_id: str):
    meeting = meetings.get_meeting(current_user, public_id)
    if not (is_member(current_user, meeting.group) or is_facilitator(current_user, meeting.group)):
        raise NotFound("No such meeting.")
    if request.method == "GET":
        form = SubmissionForm(formdata=None)
        form.report.data = request.args.get("report", "")[:64]
        form.article.data = request.args.get("article", "")[:64]
        return _submission_page(meeting, form)
    form = SubmissionForm()
    if not form.validate():
        return _submission_page(meeting, form, 422)
    try:
        calls.submit_item(
            current_user,
            meeting,
            topic=form.topic.data,
            details=form.details.data,
            report=form.report.data or None,
            article=form.article.data or None,
            mode=form.mode.data or "discussion",
            anonymous=bool(form.anonymous.data),
        )
    except DomainError as error:
        status = _fail(form, error)
        return _submission_page(meetings.get_meeting(current_user, public_id), form, status)
    db.session.commit()
    flash(
        "Your item is sent anonymously: nobody, the facilitator included, can see it was you."
        if form.anonymous.data
        else "Your item is sent to the facilitator.",
        "success",
    )
    return redirect(url_for(".submission_new", public_id=public_id))


@bp.post("/meetings/<public_id>/submissions/<submission_id>/withdraw")
@login_required
def submission_withdraw(public_id: str, submission_id: str):
    form = ActionForm()
    if not form.validate():
        abort(400)
    meeting = meetings.get_meeting(current_user, public_id)
    submission = calls.get_submission(current_user, meeting, submission_id)
    try:
        calls.withdraw_submission(current_user, submission)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".submission_new", public_id=public_id)), 303
    db.session.commit()
    flash("Your item is withdrawn.", "success")
    return redirect(url_for(".submission_new", public_id=public_id))


# --- series ---------------------------------------------------------------------------------------


@bp.route("/g/<slug>/series", methods=["GET", "POST"])
@login_required
def series_list(slug: str):
    group = get_visible_group(current_user, slug)
    can_manage = is_facilitator(current_user, group)
    form = SeriesForm(formdata=None, timezone=group.timezone, default_duration_minutes="120")
    status = 200
    if request.method == "POST":
        form = SeriesForm()
        if not form.validate():
            status = 422
        else:
            try:
                made = series.create_series(
                    current_user,
                    group,
                    title=form.title.data,
                    cadence=form.cadence.data,
                    timezone=form.timezone.data,
                    default_place=form.default_place.data,
                    default_video_link=form.default_video_link.data,
                    default_duration_minutes=form.default_duration_minutes.data,
                )
            except DomainError as error:
                status = _fail(form, error)
            else:
                db.session.commit()
                flash("Series created. Add its standing items below.", "success")
                return redirect(url_for(".series_detail", public_id=made.public_id))
    return _render(
        "series_list.html",
        status,
        group=group,
        all_series=series.group_series(current_user, group),
        can_manage=can_manage,
        form=form,
    )


def _series_page(found: MeetingSeries, form=None, item_form=None, status: int = 200):
    if form is None:
        form = SeriesForm(formdata=None, obj=found)
        form.cadence.data = found.cadence.value
        form.default_duration_minutes.data = str(found.default_duration_minutes)
    return _render(
        "series_detail.html",
        status,
        series=found,
        group=found.group,
        can_manage=is_facilitator(current_user, found.group),
        form=form,
        item_form=item_form or StandingItemForm(formdata=None, duration_minutes="15"),
        action_form=ActionForm(),
    )


@bp.route("/series/<public_id>", methods=["GET", "POST"])
@login_required
def series_detail(public_id: str):
    found = series.get_series(current_user, public_id)
    if request.method == "GET":
        return _series_page(found)
    form = SeriesForm()
    if not form.validate():
        return _series_page(found, form, status=422)
    try:
        series.update_series(
            current_user,
            found,
            title=form.title.data,
            cadence=form.cadence.data,
            timezone=form.timezone.data,
            default_place=form.default_place.data,
            default_video_link=form.default_video_link.data,
            default_duration_minutes=form.default_duration_minutes.data,
        )
    except DomainError as error:
        status = _fail(form, error)
        return _series_page(series.get_series(current_user, public_id), form, status=status)
    db.session.commit()
    flash("Series saved. Meetings already made keep their own settings.", "success")
    return redirect(url_for(".series_detail", public_id=public_id))


@bp.post("/series/<public_id>/standing")
@login_required
def standing_add(public_id: str):
    found = series.get_series(current_user, public_id)
    form = StandingItemForm()
    if not form.validate():
        return _series_page(found, item_form=form, status=422)
    try:
        series.add_standing_item(
            current_user,
            found,
            title=form.title.data,
            duration_minutes=form.duration_minutes.data,
            mode=form.mode.data,
        )
    except DomainError as error:
        status = _fail(form, error)
        return _series_page(
            series.get_series(current_user, public_id), item_form=form, status=status
        )
    db.session.commit()
    flash("Standing item added; new agendas of the series will have it.", "success")
    return redirect(url_for(".series_detail", public_id=public_id))


@bp.post("/series/<public_id>/standing/<item_id>/remove")
@login_required
def standing_remove(public_id: str, item_id: str):
    form = ActionForm()
    if not form.validate():
        abort(400)
    found = series.get_series(current_user, public_id)
    item = series.get_standing_item(current_user, found, item_id)
    series.remove_standing_item(current_user, item)
    db.session.commit()
    flash("Standing item removed from new agendas.", "success")
    return redirect(url_for(".series_detail", public_id=public_id))


# --- calendar feeds ---------------------------------------------------------------------------


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def calendar_feeds():
    new_url = None
    if request.method == "POST":
        if not ActionForm().validate():
            abort(400)
        try:
            _, raw = calendar.create_feed_token(current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for(".calendar_feeds")), 303
        db.session.commit()
        new_url = url_for(".calendar_feed", token=raw, _external=True)
    return _render(
        "calendar_feeds.html",
        tokens=calendar.active_feed_tokens(current_user),
        new_url=new_url,
        action_form=ActionForm(),
    )


@bp.post("/calendar/<token_id>/revoke")
@login_required
def calendar_revoke(token_id: str):
    if not ActionForm().validate():
        abort(400)
    calendar.revoke_feed_token(current_user, token_id)
    db.session.commit()
    flash("That calendar address no longer works.", "success")
    return redirect(url_for(".calendar_feeds"))


@bp.get("/calendar/feed/<token>.ics")
def calendar_feed(token: str):
    """The private subscription feed: the secret in the address is the only credential
    (calendar programs cannot sign in). Unknown or revoked: 404, same as anything else."""
    user = calendar.user_for_feed_token(token)
    if user is None:
        raise NotFound("No such calendar.")
    data = calendar.feed_ics(user)
    db.session.commit()  # last_used_at
    response = _ics_response(data, "credgroup-meetings.ics")
    response.headers["Content-Disposition"] = 'inline; filename="credgroup-meetings.ics"'
    return response
