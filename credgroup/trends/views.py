"""Trend pages: a group's report for a period (with charts and tables), its frozen
snapshots, CSV/JSON exports of the published tables, and the association-wide portal
friction index.

A group's pages are for its members and facilitators; anyone else gets 404. Bad periods
are shown next to the period picker with a 4xx and no report.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from credgroup.errors import DomainError, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group, is_facilitator
from credgroup.groups.models import CreditGroup
from credgroup.trends import charts, exports, friction, service
from credgroup.trends.forms import FreezeForm, IndexForm, PeriodForm, show_error

bp = Blueprint("trends", __name__)


@bp.get("/trends/")
@login_required
def index():
    return redirect(url_for(".friction_index"))


@bp.get("/g/<slug>/trends")
@login_required
def group_trends(slug: str):
    group = get_visible_group(current_user, slug)
    form = PeriodForm.from_args(request.args)
    try:
        found = service.generate_trend_report(
            current_user, slug, service.span_from_args(request.args)
        )
    except ValidationError as error:
        show_error(form, error)
        return _report_page(group, form, None), error.status_code
    return _report_page(group, form, found.payload)


def _report_page(group: CreditGroup, form: PeriodForm, payload: dict[str, Any] | None):
    freeze = None
    if payload is not None and is_facilitator(current_user, group):
        period = payload["period"]
        freeze = FreezeForm(
            formdata=None,
            period=request.args.get("period") or "custom",
            start=period["requested_from"],
            end=period["requested_to"],
        )
    return render_template(
        "trends/report_show.html",
        group=group,
        form=form,
        payload=payload,
        freeze=freeze,
        charts=report_charts(payload),
        export_args=_period_args(),
    )


def _period_args() -> dict[str, str]:
    return {k: str(v)[:20] for k, v in request.args.items() if k in ("period", "from", "to") and v}


def report_charts(payload: dict[str, Any] | None) -> dict[str, Any]:
    """The SVG pictures of a report, keyed by the table they draw."""
    if not payload or not payload.get("available"):
        return {}
    k = payload["threshold"]
    tables = {t["id"]: t for t in payload["tables"]}
    drawn: dict[str, Any] = {}
    if "monthly" in tables:
        drawn["monthly"] = charts.monthly_chart(tables["monthly"], k)
    if "heat_map" in tables:
        drawn["heat_map"] = charts.heat_map(tables["heat_map"], k)
    if payload["rising"]:
        drawn["rising"] = charts.rising_chart(payload["rising"], k)
    return drawn


@bp.get("/g/<slug>/trends/export.<any(csv, json):fmt>")
@login_required
def report_export(slug: str, fmt: str):
    get_visible_group(current_user, slug)  # outsiders learn nothing, not even bad input
    span = service.span_from_args(request.args)  # a bad period: the 4xx error page
    found = service.generate_trend_report(current_user, slug, span)
    return export_response(found.payload, fmt)


def export_response(payload: dict[str, Any], fmt: str) -> Response:
    body = exports.report_csv(payload) if fmt == "csv" else exports.report_json(payload)
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    name = exports.export_filename(payload, fmt)
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/g/<slug>/trends/snapshots")
@login_required
def snapshot_create(slug: str):
    group = get_visible_group(current_user, slug)
    form = FreezeForm()
    if not form.validate_on_submit():
        raise ValidationError(None, "The form expired; load the report again and retry.")
    args = {"period": form.period.data, "from": form.start.data, "to": form.end.data}
    try:
        span = service.span_from_args(args)
        snapshot = service.freeze_snapshot(
            current_user, group, span.requested_from, span.requested_to, kind=span.kind
        )
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return redirect(url_for(".snapshot_show", slug=slug, public_id=snapshot.public_id), 303)


@bp.get("/g/<slug>/trends/snapshots")
@login_required
def snapshot_list(slug: str):
    group, snapshots = service.list_snapshots(current_user, slug)
    return render_template("trends/snapshot_list.html", group=group, snapshots=snapshots)


@bp.get("/trends/snapshots/<public_id>")
@login_required
def trend_report(public_id: str):
    """A snapshot by its id alone (what a meeting's agenda holds): on to its group's page."""
    snapshot = service.get_snapshot(current_user, public_id)
    return redirect(
        url_for(".snapshot_show", slug=snapshot.group.slug, public_id=snapshot.public_id)
    )


@bp.get("/g/<slug>/trends/snapshots/<public_id>")
@login_required
def snapshot_show(slug: str, public_id: str):
    snapshot = service.get_snapshot(current_user, public_id, slug)
    payload = service.snapshot_payload(snapshot)
    return render_template(
        "trends/snapshot_show.html",
        group=snapshot.group,
        snapshot=snapshot,
        payload=payload,
        charts=report_charts(payload),
    )


@bp.get("/g/<slug>/trends/snapshots/<public_id>/export.<any(csv, json):fmt>")
@login_required
def snapshot_export(slug: str, public_id: str, fmt: str):
    snapshot = service.get_snapshot(current_user, public_id, slug)
    return export_response(service.snapshot_payload(snapshot), fmt)


@bp.get("/trends/friction-index")
@login_required
def friction_index():
    form = IndexForm(formdata=request.args)
    try:
        span = friction.month_range(request.args, service.today())
    except ValidationError as error:
        show_error(form, error)
        return render_template("trends/friction_index.html", form=form, index=None), 422
    index = friction.friction_index(span)
    return render_template(
        "trends/friction_index.html", form=form, index=index, chart=charts.friction_chart(index)
    )
