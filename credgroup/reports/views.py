"""Member pages for reports: the group's list and CSV export, writing a report (draft, the
scrub-and-check preview, publish), one report with its discussion, and "my reports".

Views parse a form, call one service, commit, then redirect or render. When a service
refuses, the view rolls back and shows the message next to the form with the input kept.
What a page shows about a report comes only from ``presenters``: never who wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from credgroup.errors import DomainError, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import (
    get_visible_group,
    is_facilitator,
    is_member,
    visible_groups,
)
from credgroup.groups.models import CreditGroup, CustomerNaming
from credgroup.portals.services import catalogue, find_portal
from credgroup.reports import authoring, discussion, presenters, queries
from credgroup.reports.anonymise import MARKERS
from credgroup.reports.csv_export import reports_csv
from credgroup.reports.enums import (
    AmountBand,
    ContributionState,
    FeeKind,
    FeeSizeBand,
    InvoicesBand,
    ReportStatus,
    SubmissionChannel,
)
from credgroup.reports.forms import (
    AnswerForm,
    CommentForm,
    ConfirmForm,
    QuestionForm,
    RedactionChoice,
    ReportFilterForm,
    ReportForm,
    StatusForm,
    apply_domain_error,
)
from credgroup.reports.identity import contributor, is_author
from credgroup.reports.inputs import clean_report_fields
from credgroup.reports.models import Report, ReportComment, ReportQuestion
from credgroup.web.errors import error_response

bp = Blueprint("reports", __name__)

PER_PAGE = 25
TEXT_CHANGED = (
    "The text changed after the preview, so what to redact was checked again. "
    "Look at it below, then publish."
)
CLOSED_STATES = (ContributionState.WITHDRAWN, ContributionState.MERGED)


def rolls_back(view: Callable[..., Any]) -> Callable[..., Any]:
    """For action buttons: a refused action leaves nothing behind, then shows the error."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        try:
            return view(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            raise

    return wrapper


# --- template helpers ------------------------------------------------------------------------

REDACTION_MARK = re.compile("|".join(re.escape(m) for m in MARKERS.values()))


@bp.app_template_filter("mark_redactions")
def mark_redactions(value: Any) -> Markup:
    """Highlight the "[redacted: ...]" markers in text or in already-sanitised HTML. The
    markers are fixed strings and <mark> has no attributes, so nothing can be injected."""
    html = value if isinstance(value, Markup) else escape(value or "")
    marked = REDACTION_MARK.sub(lambda m: f"<mark>{m.group(0)}</mark>", str(html))
    return Markup(marked)  # noqa: S704 - input escaped or sanitised; only fixed markers added


LABELLED_FIELDS = {
    "channel": SubmissionChannel,
    "invoices_band": InvoicesBand,
    "amount_band": AmountBand,
    "fee_kind": FeeKind,
    "fee_size_band": FeeSizeBand,
}


@bp.app_template_global()
def report_label(field: str, key: str | None) -> str:
    """The readable label of a band or channel key from ``presenters.report_summary``."""
    if not key:
        return ""
    try:
        return LABELLED_FIELDS[field](key).label
    except (KeyError, ValueError):
        return key


@bp.app_template_global()
def portal_url(slug: str) -> str | None:
    """The catalogue page of a portal, once the portals pages exist."""
    if "portals.portal_detail" not in current_app.view_functions:
        return None
    return url_for("portals.portal_detail", slug=slug)


@bp.app_template_global()
def report_panel(group: CreditGroup) -> dict[str, Any]:
    """The latest reports and counts for the group's home page (reports/_group_panel.html)."""
    _, latest = queries.list_reports(current_user, group.slug, queries.ReportFilters(), per_page=5)
    open_filters = queries.ReportFilters(status=ReportStatus.OPEN.value)
    _, still_open = queries.list_reports(current_user, group.slug, open_filters, per_page=1)
    return {
        "reports": [presenters.report_summary(r) for r in latest.items],
        "total": latest.total,
        "open": still_open.total,
        "can_post": is_member(current_user, group),
    }


# --- the group's list and its export ----------------------------------------------------------


def _filters(group: CreditGroup) -> queries.ReportFilters:
    args = request.args.to_dict()
    if group.customer_naming is CustomerNaming.NOT_NAMED:
        args.pop("buyer", None)  # the group never names customers: nothing to filter on
    return queries.ReportFilters.from_args(args)


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise ValidationError("page", "The page number must be a whole number from 1.")
    return int(raw)


@bp.get("/reports")
@login_required
def index():
    """Reports of the person's group; with several groups, a choice."""
    groups = visible_groups(current_user)
    if len(groups) == 1:
        return redirect(url_for(".report_list", slug=groups[0].slug))
    return render_template("reports/groups_choose.html", groups=groups)


@bp.get("/g/<slug>/reports")
@login_required
def report_list(slug: str):
    group = get_visible_group(current_user, slug)
    form = ReportFilterForm.for_group(group, catalogue(), request.args)
    try:
        filters = _filters(group)
        _, page = queries.list_reports(
            current_user, slug, filters, page=_page_number(), per_page=PER_PAGE
        )
    except ValidationError as error:
        # A bad filter is the request's fault: say which, show the filters again, no list.
        apply_domain_error(form, error)
        return _list_page(group, form), 400
    return _list_page(group, form, page, filters.as_args())


def _list_page(group: CreditGroup, form: ReportFilterForm, page=None, filters=None) -> str:
    return render_template(
        "reports/reports_list.html",
        group=group,
        form=form,
        page=page,
        summaries=[presenters.report_summary(r) for r in page.items] if page else [],
        filters=filters or {},
        can_post=is_member(current_user, group),
    )


@bp.get("/g/<slug>/reports.csv")
@login_required
def report_csv(slug: str):
    group = get_visible_group(current_user, slug)
    try:
        filters = _filters(group)
    except ValidationError as error:
        return error_response(400, "bad_filter", error.message)
    reports = queries.all_published(current_user, slug, filters)
    body = reports_csv(group, [presenters.report_summary(r) for r in reports])
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{group.slug}-reports.csv"',
            "Cache-Control": "no-store",
        },
    )


# --- writing a report --------------------------------------------------------------------------


@bp.route("/g/<slug>/reports/new", methods=["GET", "POST"])
@login_required
def report_new(slug: str):
    group = get_visible_group(current_user, slug)
    authoring.require_member(current_user, group)
    return _authoring(group, None)


@bp.route("/reports/<public_id>/edit", methods=["GET", "POST"])
@login_required
def report_edit(public_id: str):
    report = _own_report(public_id)
    if report.state in CLOSED_STATES:
        raise ValidationError(None, "This report can no longer be changed.")
    return _authoring(report.group, report)


def _own_report(public_id: str) -> Report:
    report = queries.get_report(current_user, public_id)
    if not is_author(current_user, report):
        raise NotFound("No such report.")  # the same answer as for a report that does not exist
    return report


def _authoring(group: CreditGroup, report: Report | None):
    portals = catalogue()
    form = ReportForm.for_group(group, portals, report=report if request.method == "GET" else None)
    if not form.is_submitted():
        return _form_page(group, form, report)
    if not form.validate():
        return _form_page(group, form, report, status=422)
    action = request.form.get("action", "preview")
    if action == "draft":
        return _save_draft(group, form, report)
    if action == "publish":
        return _publish(group, form, report)
    try:
        # Check everything the services will check, so the preview never hides a mistake.
        clean_report_fields(group, form.report_data())
    except ValidationError as error:
        apply_domain_error(form, error)
        return _form_page(group, form, report, status=error.status_code)
    return _preview_page(group, form, report)


def _form_page(group: CreditGroup, form: ReportForm, report: Report | None, status=200, **extra):
    return render_template(
        "reports/report_edit.html", group=group, form=form, report=report, **extra
    ), status


def _preview_page(
    group: CreditGroup,
    form: ReportForm,
    report: Report | None,
    *,
    choice: RedactionChoice | None = None,
    flags: list | None = None,
    status: int = 200,
):
    """The preview step: what could identify the author (each finding a "redact" checkbox,
    ticked unless they untick it), flagged wording, and similar reports to confirm."""
    preview = authoring.preview_texts(current_user, group, form.texts())
    keep = set(choice.offered) - set(choice.checked) if choice and choice.previewed else set()
    return _form_page(
        group,
        form,
        report,
        status,
        preview=preview,
        unticked=keep,
        flags=preview.flags if flags is None else flags,
        similar=_similar(group, form, report),
    )


def _similar(group: CreditGroup, form: ReportForm, report: Report | None) -> list[dict]:
    portal = find_portal(form.report_data()["portal"])
    found = queries.similar_reports(
        current_user,
        group,
        portal_id=portal.id if portal else None,
        category=form.category.data or "",
        title=form.title.data or "",
    )
    return [presenters.report_summary(r) for r in found if r is not report]


def _save_draft(group: CreditGroup, form: ReportForm, report: Report | None):
    try:
        draft = authoring.save_draft(current_user, group, form.report_data(), report=report)
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _form_page(group, form, report, status=error.status_code)
    db.session.commit()
    flash("Draft saved. Only you can see it; it waits here until you publish it.", "success")
    return redirect(url_for(".report_edit", public_id=draft.public_id))


def _publish(group: CreditGroup, form: ReportForm, report: Report | None):
    choice = RedactionChoice.from_form(request.form)
    found = authoring.preview_texts(current_user, group, form.texts()).all_keys
    if not choice.still_matches(found):
        form.form_errors = [TEXT_CHANGED]
        return _preview_page(group, form, report, choice=choice, status=422)
    try:
        published = authoring.publish_report(
            current_user,
            group,
            form.report_data(),
            report=report,
            redact_keys=choice.redact_keys(),
            send_to_review=form.send_to_review.data,
        )
    except authoring.NeedsRewording as error:
        db.session.rollback()
        form.form_errors = [error.message]
        return _preview_page(group, form, report, choice=choice, flags=error.flags, status=422)
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _form_page(group, form, report, status=error.status_code)
    db.session.commit()
    flash(_published_message(published), "success")
    return redirect(url_for(".report_detail", public_id=published.public_id))


def _published_message(report: Report) -> str:
    if report.state is ContributionState.IN_REVIEW:
        return (
            "Your report went to the facilitator for review. It is published once approved; "
            "you will find the facilitator's answer under My reports."
        )
    return "Your report is published. Others see it without your name or your company's."


# --- one report --------------------------------------------------------------------------------


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
        statements_needed=bool(page.get("comment_flags")) or bool(forms.get("answer_flags")),
        **page,
    ), status


def _answer_prefix(question_id: str) -> str:
    return f"q-{question_id}"


def _action_failed(report: Report, error: DomainError, **forms: Any):
    """An action on the report page was refused: undo, show the page with the message."""
    db.session.rollback()
    return _detail_page(report, status=error.status_code, problem=error.message, **forms)


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
        form.form_errors = [error.message]
        return _action_failed(report, error, comment_flags=error.flags, **shown)
    except DomainError as error:
        apply_domain_error(form, error)
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
        apply_domain_error(form, error, rename={"body": "question"})
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
        apply_domain_error(form, error)
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
        apply_domain_error(form, error)
        return _action_failed(report, error, status_form=form)
    db.session.commit()
    flash(f"Status changed to “{report.status.label}”.", "success")
    return _back_to(report)


@bp.post("/reports/<public_id>/withdraw")
@login_required
@rolls_back
def report_withdraw(public_id: str):
    report = _own_report(public_id)
    was_draft = report.state is ContributionState.DRAFT
    authoring.withdraw_report(current_user, report)
    db.session.commit()
    if was_draft:
        flash("The draft was deleted.", "success")
    else:
        flash("The report was withdrawn. Nobody else sees it any more.", "success")
    return redirect(url_for(".my_reports"))


# --- my reports ----------------------------------------------------------------------------------

MY_SECTIONS = (
    (ContributionState.DRAFT, "Drafts"),
    (ContributionState.IN_REVIEW, "Waiting for the facilitator"),
    (ContributionState.REJECTED, "Not published"),
    (ContributionState.PUBLISHED, "Published"),
    (ContributionState.WITHDRAWN, "Withdrawn"),
    (ContributionState.MERGED, "Merged into another report"),
)


def own_comments_in_review(user) -> list[ReportComment]:
    """The user's comments that wait for the facilitator or were not published, found by
    recomputing their pseudonym in each group they can see."""
    pseudonyms = [contributor(user, g.id).person for g in visible_groups(user)]
    if not pseudonyms:
        return []
    waiting = (ContributionState.IN_REVIEW, ContributionState.REJECTED)
    return list(
        db.session.scalars(
            sa.select(ReportComment)
            .where(ReportComment.author_pseudonym.in_(pseudonyms))
            .where(ReportComment.state.in_(waiting))
            .order_by(ReportComment.posted_on.desc(), ReportComment.id.desc())
        )
    )


@bp.get("/my/reports")
@login_required
def my_reports():
    reports = authoring.drafts_and_own_reports(current_user)
    sections = [
        (state, heading, [r for r in reports if r.state is state]) for state, heading in MY_SECTIONS
    ]
    return render_template(
        "reports/my_reports.html",
        sections=sections,
        waiting=discussion.questions_waiting_for(current_user, reports),
        comments=own_comments_in_review(current_user),
        several_groups=len({r.group_id for r in reports}) > 1,
    )
