"""Member pages for reports: the group's list and its CSV export, "my reports", and the
template helpers every report page uses. Writing a report lives in ``writing_views``, the
report page with its discussion in ``detail_views``; all share the blueprint ``bp``.

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
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from credgroup.errors import DomainError, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group, is_member, visible_groups
from credgroup.groups.models import CreditGroup, CustomerNaming
from credgroup.portals.services import catalogue
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
from credgroup.reports.forms import ReportFilterForm, apply_domain_error
from credgroup.reports.identity import contributor
from credgroup.reports.models import ReportComment
from credgroup.web.errors import error_response

bp = Blueprint("reports", __name__)

PER_PAGE = 25


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
        "reports": presenters.report_summaries(latest.items),
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
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 100_000:
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
        summaries=presenters.report_summaries(page.items) if page else [],
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
    body = reports_csv(group, presenters.report_summaries(reports))
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{group.slug}-reports.csv"',
            "Cache-Control": "no-store",
        },
    )


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


# The other report pages register their routes on ``bp`` when imported.
from credgroup.reports import detail_views, writing_views  # noqa: E402

__all__ = ["bp", "detail_views", "writing_views"]
