"""The report page and what people do on it: confirm ("we hit this too"), discuss (with the
same preview, redaction and wording check as a report), ask the reporter and answer, change
the status. People appear only as the presenters' labels ("Reporter", "Member A")."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from credgroup.errors import DomainError, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import is_facilitator, is_member
from credgroup.reports import authoring, discussion, presenters, queries
from credgroup.reports.enums import ContributionState, ReportStatus
from credgroup.reports.forms import (
    TEXT_CHANGED,
    AnswerForm,
    CommentForm,
    ConfirmForm,
    QuestionForm,
    RedactionChoice,
    StatusForm,
    apply_domain_error,
)
from credgroup.reports.models import Report, ReportComment, ReportQuestion
from credgroup.reports.views import bp


@bp.get("/reports/<public_id>")
@login_required
def report_detail(public_id: str):
    report = queries.get_report(current_user, public_id)
    if report.state is ContributionState.MERGED and report.merged_into is not None:
        flash("That report was merged into this one.", "info")
        return redirect(url_for(".report_detail", public_id=report.merged_into.public_id))
    return _detail_page(report)


def _detail_page(report: Report, status: int = 200, problem: str | None = None, **forms: Any):
    """The report page. ``forms`` replace the blank forms with submitted ones (input kept,
    errors shown): comment_form, comment_preview, comment_flags, comment_unticked,
    question_form, answer_forms ({question id: form}), answer_flags, status_form."""
    detail = presenters.report_detail(current_user, report)
    answer_forms = forms.pop("answer_forms", {})
    for question in detail["questions"]:
        if question["can_answer"] and question["id"] not in answer_forms:
            answer_forms[question["id"]] = AnswerForm(
                prefix=_answer_prefix(question["id"]), formdata=None
            )
    published = report.state is ContributionState.PUBLISHED
    facilitates = is_facilitator(current_user, report.group)
    page = {
        "comment_form": CommentForm(formdata=None),
        "question_form": QuestionForm(formdata=None),
        "status_form": StatusForm(formdata=None, status=report.status.value),
        "comment_unticked": set(),
        **forms,
    }
    return render_template(
        "reports/report_detail.html",
        group=report.group,
        report=report,
        r=detail,
        problem=problem,
        answer_forms=answer_forms,
        published=published,
        can_confirm=published and is_member(current_user, report.group),
        can_change_status=published and (detail["viewer"]["is_reporter"] or facilitates),
        facilitates=facilitates,
        **page,
    ), status


def _answer_prefix(question_id: str) -> str:
    # Ends with its own separator: WTForms adds "-" only when a prefix does not already end
    # in one of "-_;:/.", and public ids may end in "-" or "_", so the field names would
    # otherwise change shape with the id ("q-<id>answer" for one id in 32).
    return f"q-{question_id}-"


def _action_failed(report: Report, error: DomainError, **forms: Any):
    """An action on the report page was refused: undo, show the page with the message at the
    top (and, for a field's error, next to the field: see ``_by_field``)."""
    db.session.rollback()
    return _detail_page(report, status=error.status_code, problem=error.message, **forms)


def _by_field(form: FlaskForm, error: DomainError, rename: dict[str, str] | None = None) -> None:
    """A service's error about one field also goes next to that field; other errors are said
    only once, at the top of the page (the form may not even be shown)."""
    if isinstance(error, ValidationError) and error.field:
        apply_domain_error(form, error, rename)


def _back_to(report: Report, anchor: str | None = None):
    return redirect(url_for(".report_detail", public_id=report.public_id, _anchor=anchor))


@bp.post("/reports/<public_id>/confirm")
@login_required
def report_confirm(public_id: str):
    report = queries.get_report(current_user, public_id)
    try:
        kind = ConfirmForm().confirmation_kind()
        discussion.confirm(current_user, report, kind)
    except DomainError as error:
        return _action_failed(report, error)
    db.session.commit()
    flash(f"Recorded for your company: “{kind.label}”.", "success")
    return _back_to(report, "confirmations")


@bp.post("/reports/<public_id>/confirm/withdraw")
@login_required
def report_confirm_withdraw(public_id: str):
    report = queries.get_report(current_user, public_id)
    try:
        kind = ConfirmForm().confirmation_kind()
        discussion.withdraw_confirmation(current_user, report, kind)
    except DomainError as error:
        return _action_failed(report, error)
    db.session.commit()
    flash(f"Your company's “{kind.label}” was taken back.", "success")
    return _back_to(report, "confirmations")


@bp.post("/reports/<public_id>/comments")
@login_required
def comment_post(public_id: str):
    report = queries.get_report(current_user, public_id)
    form = CommentForm()
    if not form.validate():
        return _detail_page(report, status=422, comment_form=form)
    choice = RedactionChoice.from_form(request.form)
    preview = authoring.preview_texts(current_user, report.group, {"body": form.body.data})
    unticked = set(choice.offered) - set(choice.checked) if choice.previewed else set()
    shown = {"comment_form": form, "comment_preview": preview, "comment_unticked": unticked}
    if request.form.get("action") != "publish":
        return _detail_page(report, comment_flags=preview.flags, **shown)
    if not choice.still_matches(preview.all_keys):
        form.form_errors = [TEXT_CHANGED]
        return _detail_page(report, status=422, comment_flags=preview.flags, **shown)
    try:
        comment = discussion.post_comment(
            current_user,
            report,
            form.body.data,
            redact_keys=choice.redact_keys(),
            send_to_review=form.send_to_review.data,
        )
    except authoring.NeedsRewording as error:
        return _action_failed(report, error, comment_flags=error.flags, **shown)
    except DomainError as error:
        _by_field(form, error)
        return _action_failed(report, error, **shown)
    db.session.commit()
    if comment.state is ContributionState.IN_REVIEW:
        flash("Your comment went to the facilitator for review.", "success")
    else:
        flash("Your comment is posted.", "success")
    return _back_to(report, "discussion")


def _comment(report: Report, comment_id: str) -> ReportComment:
    comment = next((c for c in report.comments if c.public_id == comment_id), None)
    if comment is None:
        raise NotFound("No such comment.")
    return comment


@bp.post("/reports/<public_id>/comments/<comment_id>/workaround")
@login_required
def comment_workaround(public_id: str, comment_id: str):
    report = queries.get_report(current_user, public_id)
    value = request.form.get("value") == "1"
    try:
        discussion.mark_workaround(current_user, report, _comment(report, comment_id), value)
    except DomainError as error:
        return _action_failed(report, error)
    db.session.commit()
    flash("Marked as the workaround." if value else "No longer marked as the workaround.")
    return _back_to(report, "discussion")


@bp.post("/reports/<public_id>/comments/<comment_id>/withdraw")
@login_required
def comment_withdraw(public_id: str, comment_id: str):
    report = queries.get_report(current_user, public_id)
    try:
        discussion.withdraw_comment(current_user, _comment(report, comment_id))
    except DomainError as error:
        return _action_failed(report, error)
    db.session.commit()
    flash("Your comment was withdrawn.", "success")
    return _back_to(report, "discussion")


@bp.post("/reports/<public_id>/questions")
@login_required
def question_ask(public_id: str):
    report = queries.get_report(current_user, public_id)
    form = QuestionForm()
    if not form.validate():
        return _detail_page(report, status=422, question_form=form)
    try:
        discussion.ask_reporter(current_user, report, form.question.data)
    except DomainError as error:
        _by_field(form, error, rename={"body": "question"})
        return _action_failed(report, error, question_form=form)
    db.session.commit()
    flash("Your question was sent to the reporter. Neither of you learns who the other is.")
    return _back_to(report, "questions")


def _question(report: Report, question_id: str) -> ReportQuestion:
    question = next((q for q in report.questions if q.public_id == question_id), None)
    if question is None:
        raise NotFound("No such question.")
    return question


@bp.post("/reports/<public_id>/questions/<question_id>/answer")
@login_required
def question_answer(public_id: str, question_id: str):
    report = queries.get_report(current_user, public_id)
    question = _question(report, question_id)
    form = AnswerForm(prefix=_answer_prefix(question_id))
    forms = {"answer_forms": {question_id: form}}
    if not form.validate():
        return _detail_page(report, status=422, **forms)
    try:
        discussion.answer_question(
            current_user, question, form.answer.data, share_with_group=form.share_with_group.data
        )
    except authoring.NeedsRewording as error:
        form.answer.errors = [*form.answer.errors, error.message]
        return _action_failed(report, error, answer_flags={question_id: error.flags}, **forms)
    except DomainError as error:
        _by_field(form, error)
        return _action_failed(report, error, **forms)
    db.session.commit()
    flash("Your answer was sent.", "success")
    return _back_to(report, "questions")


@bp.post("/reports/<public_id>/status")
@login_required
def status_change(public_id: str):
    report = queries.get_report(current_user, public_id)
    form = StatusForm()
    if not form.validate():
        # Said at the top too: the form itself is shown only to those who may use it.
        problem = f"Status: {' '.join(form.status.errors)}"
        return _detail_page(report, status=422, problem=problem, status_form=form)
    try:
        authoring.change_status(current_user, report, ReportStatus(form.status.data))
    except DomainError as error:
        _by_field(form, error)
        return _action_failed(report, error, status_form=form)
    db.session.commit()
    flash(f"Status changed to “{report.status.label}”.", "success")
    return _back_to(report)
