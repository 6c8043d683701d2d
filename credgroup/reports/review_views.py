"""The facilitator's pages: the review queue, moderating and merging published reports.

Facilitators act on content, never on people. Nothing these pages render names an author:
reports and comments are shown through the presenter (texts, portal, category, dates) and
the wording flags, and every action goes through credgroup.reports.review, which audits it.
A group the viewer cannot see answers 404; a member's own group answers 403.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from credgroup.errors import DomainError, NotFound
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group, is_facilitator, require_facilitator
from credgroup.groups.models import CreditGroup
from credgroup.portals.forms import apply_domain_error
from credgroup.reports import queries, review
from credgroup.reports.enums import ContributionState
from credgroup.reports.models import Report, ReportComment
from credgroup.reports.presenters import report_detail, report_summaries, report_summary
from credgroup.reports.review_forms import (
    NOTE_HINT,
    ApproveCommentForm,
    ApproveReportForm,
    MergeReportForm,
    ModerateReportForm,
    RejectForm,
    TakeDownForm,
)

bp = Blueprint("review", __name__)

Failed = tuple[str, FlaskForm] | None


# --- helpers for templates --------------------------------------------------------------------


REPORT_PAGE = "reports.report_detail"


@bp.app_template_global()
def report_page_url(group_slug: str, public_id: str) -> str | None:
    """The member-facing page of a report (given the arguments its route takes), or None if
    there is no such page."""
    try:
        rule = next(current_app.url_map.iter_rules(REPORT_PAGE))
    except (KeyError, StopIteration):
        return None
    values = {"slug": group_slug, "public_id": public_id}
    return url_for(REPORT_PAGE, **{k: v for k, v in values.items() if k in rule.arguments})


@bp.app_template_global()
def review_queue_size(group: CreditGroup | None) -> int | None:
    """Items waiting in the group's review queue, for its facilitators; None for others."""
    if group is None or not current_user.is_authenticated:
        return None
    if not is_facilitator(current_user, group):
        return None
    return review.review_queue_size(group)


# --- loading what a facilitator acts on -------------------------------------------------------


def _facilitated_group(slug: str) -> CreditGroup:
    group = get_visible_group(current_user, slug)
    require_facilitator(current_user, group)
    return group


def _report(group: CreditGroup, public_id: str, state: ContributionState) -> Report:
    report = db.session.scalar(
        sa.select(Report).where(Report.public_id == public_id, Report.group_id == group.id)
    )
    if report is None or report.state is not state:
        raise NotFound(f"No such report is {state.label.lower()} in this group.")
    return report


def _queued_comment(group: CreditGroup, public_id: str) -> ReportComment:
    comment = db.session.scalar(
        sa.select(ReportComment)
        .join(Report, ReportComment.report_id == Report.id)
        .where(ReportComment.public_id == public_id, Report.group_id == group.id)
    )
    if comment is None or comment.state is not ContributionState.IN_REVIEW:
        raise NotFound("No such comment is waiting for review in this group.")
    return comment


# --- the queue --------------------------------------------------------------------------------


def _report_item(report: Report, failed: Failed) -> dict[str, Any]:
    item = report_summary(report, counts={})  # reports under review have no confirmations
    item.update(
        body=report.body,
        error_message=report.error_message,
        workaround=report.workaround,
        flags=report.review_flags or [],
        approve=ApproveReportForm.for_report(report, meta={"id_prefix": f"approve-{item['id']}"}),
        reject=RejectForm(formdata=None, meta={"id_prefix": f"reject-{item['id']}"}),
    )
    return _with_failed(item, failed)


def _comment_item(comment: ReportComment, failed: Failed) -> dict[str, Any]:
    item = {
        "id": comment.public_id,
        "body": comment.body,
        "posted_on": comment.posted_on.isoformat(),
        "flags": comment.review_flags or [],
        "report": report_summary(comment.report, counts={}),
        "approve": ApproveCommentForm(
            formdata=None,
            data={"body": comment.body},
            meta={"id_prefix": f"approve-{comment.public_id}"},
        ),
        "reject": RejectForm(formdata=None, meta={"id_prefix": f"reject-{comment.public_id}"}),
    }
    return _with_failed(item, failed)


def _with_failed(item: dict[str, Any], failed: Failed) -> dict[str, Any]:
    """Put the submitted form that failed in place of the fresh one, input and errors kept."""
    if failed is not None:
        action, _, public_id = failed[0].partition("-")
        if public_id == item["id"]:
            item[action] = failed[1]
    return item


def _queue_page(slug: str, failed: Failed = None, status: int = 200):
    queue = review.review_queue(current_user, slug)
    page = render_template(
        "reports/review_queue.html",
        group=queue.group,
        reports=[_report_item(r, failed) for r in queue.reports],
        comments=[_comment_item(c, failed) for c in queue.comments],
        failed=failed[1] if failed else None,
        note_hint=NOTE_HINT,
    )
    return page, status


@bp.get("/g/<slug>/review")
@login_required
def review_queue(slug: str):
    return _queue_page(slug)


def _queue_action(slug: str, prefix: str, form: FlaskForm, act, done: str):
    """Validate, act through the review service, commit once; on any refusal roll back and
    show the queue again with this item's form as it was submitted."""
    if not form.validate_on_submit():
        return _queue_page(slug, (prefix, form), 422)
    try:
        act()
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _queue_page(slug, (prefix, form), error.status_code)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".review_queue", slug=slug))


@bp.post("/g/<slug>/review/reports/<public_id>/approve")
@login_required
def approve_report(slug: str, public_id: str):
    report = _report(_facilitated_group(slug), public_id, ContributionState.IN_REVIEW)
    form = ApproveReportForm(meta={"id_prefix": f"approve-{public_id}"})
    return _queue_action(
        slug,
        f"approve-{public_id}",
        form,
        lambda: review.approve_report(
            current_user, report, edits=form.edits(), note=form.note.data or ""
        ),
        "The report was approved and is now published to the group.",
    )


@bp.post("/g/<slug>/review/reports/<public_id>/reject")
@login_required
def reject_report(slug: str, public_id: str):
    report = _report(_facilitated_group(slug), public_id, ContributionState.IN_REVIEW)
    form = RejectForm(meta={"id_prefix": f"reject-{public_id}"})
    return _queue_action(
        slug,
        f"reject-{public_id}",
        form,
        lambda: review.reject_report(current_user, report, note=form.note.data or ""),
        "The report was not published. Your note reaches its author.",
    )


@bp.post("/g/<slug>/review/comments/<public_id>/approve")
@login_required
def approve_comment(slug: str, public_id: str):
    comment = _queued_comment(_facilitated_group(slug), public_id)
    form = ApproveCommentForm(meta={"id_prefix": f"approve-{public_id}"})
    return _queue_action(
        slug,
        f"approve-{public_id}",
        form,
        lambda: review.approve_comment(current_user, comment, body=form.body.data),
        "The comment was approved and is now part of the discussion.",
    )


@bp.post("/g/<slug>/review/comments/<public_id>/reject")
@login_required
def reject_comment(slug: str, public_id: str):
    comment = _queued_comment(_facilitated_group(slug), public_id)
    form = RejectForm(meta={"id_prefix": f"reject-{public_id}"})
    return _queue_action(
        slug,
        f"reject-{public_id}",
        form,
        lambda: review.reject_comment(current_user, comment, note=form.note.data or ""),
        "The comment was not published. Your note reaches its author.",
    )


# --- published reports: moderate, take down, merge --------------------------------------------


@bp.get("/g/<slug>/review/published")
@login_required
def published_reports(slug: str):
    _facilitated_group(slug)
    page_number = min(max(request.args.get("page", 1, type=int) or 1, 1), 100_000)
    group, page = queries.list_reports(
        current_user, slug, queries.ReportFilters(), page=page_number
    )
    return render_template(
        "reports/review_published.html",
        group=group,
        page=page,
        reports=report_summaries(page.items),
    )


def _merge_form(group: CreditGroup, report: Report, *, submitted: bool = False):
    others = queries.all_published(current_user, group.slug, queries.ReportFilters())
    form = MergeReportForm(**({} if submitted else {"formdata": None}))
    form.target.choices = [("", "Choose the report it repeats")] + [
        (r.public_id, f"{r.title} ({r.public_id})") for r in others if r.id != report.id
    ]
    return form


def _moderate_page(group: CreditGroup, report: Report, status: int = 200, **forms: FlaskForm):
    forms.setdefault("moderate", ModerateReportForm.for_report(report))
    forms.setdefault("merge", _merge_form(group, report))
    forms.setdefault("take_down", TakeDownForm(formdata=None, meta={"id_prefix": "take-down"}))
    failed = next((f for f in forms.values() if f.errors or f.form_errors), None)
    page = render_template(
        "reports/review_moderate.html",
        group=group,
        report=report_detail(current_user, report),
        failed=failed,
        note_hint=NOTE_HINT,
        **forms,
    )
    return page, status


def _moderate_action(group: CreditGroup, report: Report, name: str, form: FlaskForm, act):
    """Like the queue's actions, for the forms of the moderation page."""
    if not form.validate_on_submit():
        return _moderate_page(group, report, 422, **{name: form})
    try:
        message, target = act()
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _moderate_page(group, report, error.status_code, **{name: form})
    db.session.commit()
    flash(message, "success")
    return redirect(target)


@bp.route("/g/<slug>/review/reports/<public_id>/moderate", methods=["GET", "POST"])
@login_required
def moderate_report(slug: str, public_id: str):
    group = _facilitated_group(slug)
    report = _report(group, public_id, ContributionState.PUBLISHED)
    if request.method == "GET":
        return _moderate_page(group, report)
    form = ModerateReportForm()

    def act():
        review.moderate_report(current_user, report, edits=form.edits(), note=form.note.data or "")
        here = url_for(".moderate_report", slug=slug, public_id=public_id)
        return "The report was changed; the group sees the new text.", here

    return _moderate_action(group, report, "moderate", form, act)


@bp.post("/g/<slug>/review/reports/<public_id>/take-down")
@login_required
def take_down_report(slug: str, public_id: str):
    group = _facilitated_group(slug)
    report = _report(group, public_id, ContributionState.PUBLISHED)
    form = TakeDownForm(meta={"id_prefix": "take-down"})

    def act():
        review.reject_report(current_user, report, note=form.note.data or "")
        target = url_for(".published_reports", slug=slug)
        return "The report was taken down. Your note reaches its author.", target

    return _moderate_action(group, report, "take_down", form, act)


@bp.post("/g/<slug>/review/reports/<public_id>/merge")
@login_required
def merge_report(slug: str, public_id: str):
    group = _facilitated_group(slug)
    report = _report(group, public_id, ContributionState.PUBLISHED)
    form = _merge_form(group, report, submitted=True)

    def act():
        target = queries.get_report(current_user, form.target.data)
        review.merge_reports(current_user, report, target)
        here = url_for(".moderate_report", slug=slug, public_id=target.public_id)
        return "The duplicate was merged; its confirmations carried over.", here

    return _moderate_action(group, report, "merge", form, act)
