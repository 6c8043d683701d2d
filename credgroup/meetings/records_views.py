"""Meeting records pages: RSVP, the statements to acknowledge, attendance, the attendance
report (per meeting and per year, with CSV), minutes with their review, and action items.
Printable agendas and the facilitator's meeting book live in ``print_views`` on the same
blueprint.

Views parse a form, call one service, commit, then redirect or render. When a service
refuses, the view rolls back (nothing half-saved) and shows the message next to the form.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from credgroup.errors import DomainError
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group, is_facilitator
from credgroup.meetings import actions as action_services
from credgroup.meetings import attendance as attendance_services
from credgroup.meetings import compliance, records_report, rsvp
from credgroup.meetings import minutes as minutes_services
from credgroup.meetings.meetings import get_managed_meeting, get_meeting, local_start
from credgroup.meetings.models import AttendanceMode, Meeting
from credgroup.meetings.records_forms import (
    AcknowledgeForm,
    ActionForm,
    ActionStatusForm,
    AttendanceForm,
    ReviewForm,
    RsvpForm,
    apply_error,
    attendance_modes,
    minutes_entries,
    minutes_form_class,
)

bp = Blueprint("meeting_records", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    return None


def rolls_back(view: Callable[..., Any]) -> Callable[..., Any]:
    """A refused action leaves nothing behind, then the error page says why."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        try:
            return view(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            raise

    return wrapper


def _refused(form: FlaskForm, error: DomainError) -> int:
    db.session.rollback()
    apply_error(form, error)
    return error.status_code


def _page(template: str, meeting: Meeting, status: int = 200, **context: Any):
    context.setdefault("group", meeting.group)
    html = render_template(f"meetings/{template}", meeting=meeting, **context)
    return html, status


def meeting_url(meeting: Meeting) -> str:
    """The meeting's own page (the meetings core's), or the minutes page if there is none."""
    if "meetings.meeting_detail" in current_app.view_functions:
        return url_for("meetings.meeting_detail", public_id=meeting.public_id)
    return url_for("meeting_records.minutes", public_id=meeting.public_id)


@bp.app_template_global()
def records_panel(meeting: Meeting) -> dict[str, Any]:
    """What the meeting page's records panel shows the current person."""
    from credgroup.meetings.meetings import can_attend
    from credgroup.meetings.records_rules import has_ended

    user = current_user
    attending = can_attend(user, meeting)
    ack = compliance.acknowledgement_of(user, meeting) if attending else None
    return {
        "can_attend": attending,
        "rsvp": rsvp.rsvp_of(user, meeting) if attending else None,
        "counts": rsvp.rsvp_counts(meeting),
        "acknowledgement": ack,
        "acknowledged": compliance.is_current(ack, meeting.group),
        "ended": has_ended(meeting),
        "minutes_readable": minutes_services.can_read(user, meeting, meeting.minutes),
        "minutes": meeting.minutes,
        "actions": action_services.meeting_actions(meeting),
        "owner_name": action_services.owner_name,
    }


@bp.app_template_global()
def my_open_action_items() -> list[Any]:
    """The signed-in person's open action items (templates/meetings/_my_actions.html)."""
    if not current_user.is_authenticated:
        return []
    return action_services.my_open_actions(current_user)


@bp.app_template_global()
def action_owner(action: Any) -> str:
    return action_services.owner_name(action)


@bp.app_template_global()
def action_overdue(action: Any) -> bool:
    return action_services.is_overdue(action)


bp.add_app_template_global(meeting_url, "meeting_link")


# --- RSVP -------------------------------------------------------------------------------------


@bp.route("/meetings/<public_id>/rsvp", methods=["GET", "POST"])
def rsvp_page(public_id: str):
    meeting = get_meeting(current_user, public_id)
    mine = rsvp.rsvp_of(current_user, meeting)
    form = RsvpForm(
        data={
            "answer": mine.answer.value if mine else None,
            "attendance": mine.attendance.value if mine and mine.attendance else None,
        }
    )
    status = 200
    if form.validate_on_submit():
        try:
            rsvp.respond(current_user, meeting, form.answer.data, form.attendance.data)
            db.session.commit()
            flash("Thank you, your answer is saved.", "success")
            return redirect(meeting_url(meeting))
        except DomainError as error:
            status = _refused(form, error)
    elif form.is_submitted():
        status = 422
    return _page("records_rsvp.html", meeting, status, form=form, mine=mine)


# --- the statements ---------------------------------------------------------------------------


@bp.route("/meetings/<public_id>/statements", methods=["GET", "POST"])
def statements(public_id: str):
    meeting = get_meeting(current_user, public_id)
    digest = compliance.statements_digest(meeting.group)
    form = AcknowledgeForm(data={"digest": digest})
    status = 200
    if form.validate_on_submit():
        try:
            compliance.acknowledge_statements(current_user, meeting, form.digest.data)
            db.session.commit()
            flash("Thank you: your acknowledgement is recorded.", "success")
            return redirect(meeting_url(meeting))
        except DomainError as error:
            status = _refused(form, error)
            form.digest.data = digest  # the text below is the current one
    ack = compliance.acknowledgement_of(current_user, meeting)
    return _page(
        "records_statements.html",
        meeting,
        status,
        form=form,
        statements=compliance.statements(meeting.group),
        acknowledgement=ack,
        current=compliance.is_current(ack, meeting.group),
    )


# --- attendance -------------------------------------------------------------------------------


@bp.route("/meetings/<public_id>/attendance", methods=["GET", "POST"])
def attendance(public_id: str):
    meeting = get_managed_meeting(current_user, public_id)
    rows = attendance_services.attendance_sheet(current_user, meeting)
    form = AttendanceForm()
    status = 200
    if form.validate_on_submit():
        people = [row.person for row in rows]
        try:
            attendance_services.record_attendance(
                current_user,
                meeting,
                form.present.data or [],
                attendance_modes(request.form, people),
            )
            db.session.commit()
            flash("Attendance saved.", "success")
            return redirect(url_for(".attendance_report", public_id=meeting.public_id))
        except DomainError as error:
            status = _refused(form, error)
            rows = attendance_services.sheet_rows(meeting)
    checked = set(form.present.data or []) if form.is_submitted() else None
    return _page(
        "records_attendance.html",
        meeting,
        status,
        form=form,
        rows=rows,
        checked=checked,
        mode_choices=AttendanceMode.choices(),
    )


@bp.get("/meetings/<public_id>/attendance/report")
def attendance_report(public_id: str):
    meeting = get_managed_meeting(current_user, public_id)
    report = records_report.meeting_report(current_user, meeting)
    year = local_start(meeting, meeting.group.timezone).year
    return _page("records_attendance_report.html", meeting, report=report, year=year)


@bp.get("/meetings/<public_id>/attendance/report.csv")
def attendance_report_csv(public_id: str):
    meeting = get_managed_meeting(current_user, public_id)
    report = records_report.meeting_report(current_user, meeting)
    name = f"attendance-{meeting.starts_at:%Y-%m-%d}.csv"
    return _csv_response(records_report.meeting_report_csv(report), name)


@bp.get("/g/<slug>/attendance-report")
def year_report(slug: str):
    group = get_visible_group(current_user, slug)
    year = records_report.clean_year(request.args.get("year"), group)
    report = records_report.year_report(current_user, group, year)
    html = render_template("meetings/records_year_report.html", group=group, report=report)
    return html


@bp.get("/g/<slug>/attendance-report.csv")
def year_report_csv(slug: str):
    group = get_visible_group(current_user, slug)
    year = records_report.clean_year(request.args.get("year"), group)
    by = request.args.get("by", "people")
    report = records_report.year_report(current_user, group, year)
    text = records_report.year_report_csv(report, by)
    return _csv_response(text, f"attendance-{group.slug}-{year}-{by}.csv")


def _csv_response(text: str, filename: str) -> Response:
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- minutes ----------------------------------------------------------------------------------


@bp.get("/meetings/<public_id>/minutes")
def minutes(public_id: str):
    meeting = get_meeting(current_user, public_id)
    view = minutes_services.minutes_view(current_user, meeting)
    form = ReviewForm(
        data={
            "approve": view.my_review.approved if view.my_review else False,
            "comment": view.my_review.comment if view.my_review else "",
        }
    )
    return _page("records_minutes.html", meeting, view=view, form=form)


@bp.post("/meetings/<public_id>/minutes/review")
def minutes_review(public_id: str):
    meeting = get_meeting(current_user, public_id)
    view = minutes_services.minutes_view(current_user, meeting)
    form = ReviewForm()
    status = 422
    if form.validate_on_submit():
        try:
            minutes_services.review_minutes(
                current_user, meeting, approve=bool(form.approve.data), comment=form.comment.data
            )
            db.session.commit()
            flash("Thank you: your review is recorded.", "success")
            return redirect(url_for(".minutes", public_id=meeting.public_id))
        except DomainError as error:
            status = _refused(form, error)
    return _page("records_minutes.html", meeting, status, view=view, form=form)


@bp.route("/meetings/<public_id>/minutes/edit", methods=["GET", "POST"])
def minutes_edit(public_id: str):
    meeting = get_managed_meeting(current_user, public_id)
    view = minutes_services.minutes_view(current_user, meeting)
    items = [row.item for row in view.rows]
    form_class = minutes_form_class(items)
    form = form_class(data=_minutes_data(view))
    status = 200
    if form.validate_on_submit():
        try:
            minutes_services.save_minutes(
                current_user,
                meeting,
                summary=form.summary.data,
                entries=minutes_entries(form, items),
            )
            db.session.commit()
            flash("Minutes saved.", "success")
            return redirect(url_for(".minutes", public_id=meeting.public_id))
        except DomainError as error:
            status = _refused(form, error)
            view = minutes_services.minutes_view(current_user, meeting)
    elif form.is_submitted():
        status = 422
    return _page("records_minutes_edit.html", meeting, status, view=view, form=form)


def _minutes_data(view: minutes_services.MinutesView) -> dict[str, Any]:
    data: dict[str, Any] = {"summary": view.minutes.summary if view.minutes else ""}
    for row in view.rows:
        key = row.item.public_id
        data.update(
            {
                f"text__{key}": row.text,
                f"decisions__{key}": row.decisions,
                f"unfinished__{key}": row.item.unfinished,
            }
        )
    return data


MINUTES_STEPS = {
    "send-for-review": (
        minutes_services.send_for_review,
        "The minutes were sent to the attendees.",
    ),
    "back-to-draft": (minutes_services.back_to_draft, "The minutes are a draft again."),
    "publish": (minutes_services.publish_minutes, "The minutes are published to the group."),
}


@bp.post("/meetings/<public_id>/minutes/<step>")
@rolls_back
def minutes_step(public_id: str, step: str):
    if step not in MINUTES_STEPS:
        abort(404)
    meeting = get_managed_meeting(current_user, public_id)
    service, message = MINUTES_STEPS[step]
    service(current_user, meeting)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".minutes", public_id=meeting.public_id))


# --- action items -----------------------------------------------------------------------------


@bp.route("/meetings/<public_id>/actions", methods=["GET", "POST"])
def actions(public_id: str):
    meeting = get_meeting(current_user, public_id)
    staff = is_facilitator(current_user, meeting.group)
    form = ActionForm(data={"status": "open"})
    form.set_choices(attendance_services.sheet_people(meeting), meeting.items)
    status = 200
    if request.method == "POST":
        get_managed_meeting(current_user, public_id)  # only facilitators add actions
        if form.validate_on_submit():
            try:
                action_services.add_action(current_user, meeting, **_action_fields(form))
                db.session.commit()
                flash("Action item added.", "success")
                return redirect(url_for(".actions", public_id=meeting.public_id))
            except DomainError as error:
                status = _refused(form, error)
        else:
            status = 422
    return _page(
        "records_actions.html",
        meeting,
        status,
        form=form if staff else None,
        items=action_services.meeting_actions(meeting),
        can_manage=staff,
        can_add=staff and action_services.actions_open_to_add(meeting),
    )


def _action_fields(form: ActionForm) -> dict[str, Any]:
    return {
        "what": form.what.data,
        "owner": form.owner.data or None,
        "owner_label": form.owner_label.data or "",
        "due_on": form.due_on.data or None,
        "agenda_item": form.agenda_item.data or None,
    }


@bp.route("/actions/<action_id>/edit", methods=["GET", "POST"])
def action_edit(action_id: str):
    action = action_services.get_action(current_user, action_id)
    meeting = get_managed_meeting(current_user, action.meeting.public_id)
    form = ActionForm(
        data={
            "what": action.what,
            "owner": action.owner.public_id if action.owner else "",
            "owner_label": action.owner_label,
            "due_on": action.due_on.isoformat() if action.due_on else "",
            "agenda_item": action.agenda_item.public_id if action.agenda_item else "",
            "status": action.status.value,
        }
    )
    form.set_choices(attendance_services.sheet_people(meeting), meeting.items)
    status = 200
    if form.validate_on_submit():
        try:
            fields = {**_action_fields(form), "status": form.status.data}
            action_services.update_action(current_user, action, **fields)
            db.session.commit()
            flash("Action item saved.", "success")
            return redirect(url_for(".actions", public_id=meeting.public_id))
        except DomainError as error:
            status = _refused(form, error)
    elif form.is_submitted():
        status = 422
    return _page("records_action_edit.html", meeting, status, form=form, action=action)


@bp.post("/actions/<action_id>/status")
@rolls_back
def action_status(action_id: str):
    action = action_services.get_action(current_user, action_id)
    action_services.set_action_status(current_user, action, request.form.get("status"))
    db.session.commit()
    flash(f"Action item marked {action.status.label.lower()}.", "success")
    target = request.form.get("next")
    if target == "home":
        return redirect(url_for("web.home"))
    if target == "mine":
        return redirect(url_for(".my_actions"))
    return redirect(url_for(".actions", public_id=action.meeting.public_id))


@bp.get("/actions/mine")
def my_actions():
    items = action_services.my_open_actions(current_user)
    return render_template("meetings/records_my_actions.html", items=items, form=ActionStatusForm())


# The printable pages join this blueprint.
from credgroup.meetings import print_views  # noqa: E402, F401
