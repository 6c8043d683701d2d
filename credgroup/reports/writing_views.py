"""Writing a report: the form (new or edit), saving a draft, the scrub-and-check preview,
publishing, and withdrawing or deleting one's own report."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from credgroup.errors import DomainError, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group
from credgroup.groups.models import CreditGroup
from credgroup.portals.services import catalogue, find_portal
from credgroup.reports import authoring, presenters, queries
from credgroup.reports.enums import ContributionState
from credgroup.reports.forms import TEXT_CHANGED, RedactionChoice, ReportForm, apply_domain_error
from credgroup.reports.identity import is_author
from credgroup.reports.inputs import clean_report_fields
from credgroup.reports.models import Report
from credgroup.reports.views import bp, rolls_back

CLOSED_STATES = (ContributionState.WITHDRAWN, ContributionState.MERGED)


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
    return _similar_summaries(
        group,
        portal_name=form.report_data()["portal"],
        category=form.category.data or "",
        title=form.title.data or "",
        exclude=report,
    )


def _similar_summaries(
    group: CreditGroup, *, portal_name: str, category: str, title: str, exclude: Report | None
) -> list[dict]:
    portal = find_portal(portal_name)
    found = queries.similar_reports(
        current_user,
        group,
        portal_id=portal.id if portal else None,
        category=category,
        title=title,
    )
    return [presenters.report_summary(r) for r in found if r is not exclude]


@bp.get("/g/<slug>/reports/similar")
@login_required
def report_similar(slug: str):
    """The "Already reported?" box for the report form, as the member fills it in.

    static/js/similar-reports.js asks for it when the portal, category or title change, so
    similar reports show up while writing; without JavaScript the preview shows the same box.
    """
    group = get_visible_group(current_user, slug)
    authoring.require_member(current_user, group)
    editing = request.args.get("report", "")
    similar = _similar_summaries(
        group,
        portal_name=request.args.get("portal_other") or request.args.get("portal", ""),
        category=request.args.get("category", ""),
        title=request.args.get("title", "")[:300],
        exclude=None,
    )
    similar = [s for s in similar if s["id"] != editing]
    return render_template("reports/_similar.html", similar=similar)


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
    # Read before the commit expires the report (reading after it costs a query).
    message, public_id = _published_message(published), published.public_id
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".report_detail", public_id=public_id))


def _published_message(report: Report) -> str:
    if report.state is ContributionState.IN_REVIEW:
        return (
            "Your report went to the facilitator for review. It is published once approved; "
            "you will find the facilitator's answer under My reports."
        )
    return "Your report is published. Others see it without your name or your company's."


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
