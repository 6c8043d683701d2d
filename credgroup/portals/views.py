"""The portal catalogue pages for everyone signed in, and its upkeep pages for admins.

A portal page shows only what the viewer's own groups know about the portal: their open
reports, and per-category counts that are hidden while too few companies stand behind them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from credgroup.errors import DomainError, NotFound
from credgroup.extensions import db
from credgroup.groups.access import require_admin
from credgroup.portals import services, stats
from credgroup.portals.forms import MergePortalForm, PortalForm, apply_domain_error
from credgroup.portals.models import Portal

bp = Blueprint("portals", __name__)


# --- the catalogue, for everyone signed in --------------------------------------------------


@bp.get("/portals/")
@login_required
def portal_list():
    return render_template("portals/portal_list.html", portals=services.catalogue())


@bp.get("/portals/<slug>")
@login_required
def portal_detail(slug: str):
    portal = services.get_portal(slug)
    if portal.slug != slug:
        # A merged (or renamed-by-merge) portal lives on under its target's address.
        return redirect(url_for(".portal_detail", slug=portal.slug), 301)
    counts = stats.category_counts(current_user, portal)
    return render_template(
        "portals/portal_detail.html",
        portal=portal,
        reports=stats.open_reports(current_user, portal),
        open_total=stats.open_report_count(current_user, portal),
        counts=counts,
        group_names={c.group.slug: c.group.name for c in counts},
    )


# --- upkeep, for admins ---------------------------------------------------------------------


def _admin() -> None:
    require_admin(current_user)


def _merge_form(portal: Portal, targets: list[Portal], *, submitted: bool = False):
    """The "merge into" form of one unlisted portal's row. Only the row that was posted
    reads the request; the others start empty."""
    form = MergePortalForm(
        **({} if submitted else {"formdata": None}), meta={"id_prefix": f"merge-{portal.slug}"}
    )
    form.target.choices = [("", "Choose a catalogue portal")] + [
        (t.slug, t.name) for t in targets if t.id != portal.id
    ]
    return form


def _listed() -> list[Portal]:
    return services.catalogue()


def _catalogue_page(failed: tuple[int, MergePortalForm] | None = None, status: int = 200):
    portals = services.catalogue(include_unlisted=True)
    listed = [p for p in portals if p.listed]
    merge_forms = {p.id: _merge_form(p, listed) for p in portals if not p.listed}
    if failed is not None:
        merge_forms[failed[0]] = failed[1]
    page = render_template(
        "portals/admin_portals.html",
        portals=portals,
        report_counts=stats.report_counts_by_portal(),
        merge_forms=merge_forms,
        failed=failed[1] if failed else None,
    )
    return page, status


@bp.get("/admin/portals")
@login_required
def admin_portals():
    _admin()
    return _catalogue_page()


@bp.post("/admin/portals/<slug>/merge")
@login_required
def portal_merge(slug: str):
    _admin()
    source = _exact_portal(slug)
    form = _merge_form(source, _listed(), submitted=True)
    if not form.validate_on_submit():
        return _catalogue_page((source.id, form), 422)
    try:
        target = services.merge_portal(current_user, source, services.get_portal(form.target.data))
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _catalogue_page((source.id, form), error.status_code)
    db.session.commit()
    flash(f"{source.name} was merged into {target.name}; its reports moved along.", "success")
    return redirect(url_for(".admin_portals"))


def _exact_portal(slug: str) -> Portal:
    """The portal at exactly this slug (not following merges): what an admin acts on."""
    portal = db.session.scalar(sa.select(Portal).where(Portal.slug == slug))
    if portal is None or portal.merged_into_id is not None:
        raise NotFound("No such portal.")
    return portal


def _form_page(template: str, form: PortalForm, status: int | None = None, **context: Any):
    status = status or (422 if form.errors else 200)
    return render_template(template, form=form, **context), status


def _save(form: PortalForm, existing: Portal | None, template: str, **context: Any):
    try:
        saved = services.save_portal(current_user, existing, **form.portal_fields())
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _form_page(template, form, error.status_code, **context)
    db.session.commit()
    flash(f"{saved.name} was saved.", "success")
    return redirect(url_for(".admin_portals"))


@bp.route("/admin/portals/new", methods=["GET", "POST"])
@login_required
def portal_create():
    _admin()
    form = PortalForm()
    if form.validate_on_submit():
        return _save(form, None, "portals/portal_create.html")
    return _form_page("portals/portal_create.html", form)


@bp.route("/admin/portals/<slug>/edit", methods=["GET", "POST"])
@login_required
def portal_edit(slug: str):
    _admin()
    portal = _exact_portal(slug)
    form = PortalForm() if request.method == "POST" else PortalForm.for_portal(portal)
    if form.validate_on_submit():
        return _save(form, portal, "portals/portal_edit.html", portal=portal)
    return _form_page("portals/portal_edit.html", form, portal=portal)
