"""Pages: "my watches" (list, add, remove) and the target of the "Watch this" buttons."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice

from credgroup.accounts.views import safe_next
from credgroup.errors import DomainError, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import visible_groups
from credgroup.memo import remembered
from credgroup.portals.services import catalogue
from credgroup.reports import watches
from credgroup.reports.enums import ProblemCategory

bp = Blueprint("watches", __name__)

TEMPLATE = "reports/watch_list.html"
INVALID_FORM_STATUS = 422
FREQUENCIES = [
    SelectChoice("daily", "In my email digest"),
    SelectChoice("immediate", "Immediately, one email per report"),
]


class WatchForm(FlaskForm):
    # The service checks every value (visible group, known portal and category), so the
    # choices here are for display only and a "Watch this" button may name any portal.
    group = SelectField("Group", validate_choice=False)
    portal = SelectField("Portal", validate_choice=False)
    category = SelectField("Category", validate_choice=False)
    frequency = RadioField("Email me", choices=FREQUENCIES, validate_choice=False)
    next = HiddenField()


def _form(formdata=None) -> WatchForm:
    prefs = current_user.notification_prefs or {}
    default = "immediate" if prefs.get("digest") == "immediate" else "daily"
    form = WatchForm(formdata=formdata, frequency=default)
    form.group.choices = [SelectChoice(g.slug, g.name) for g in visible_groups(current_user)]
    form.portal.choices = [
        SelectChoice("", "Any portal"),
        *(SelectChoice(p.slug, p.name) for p in catalogue()),
    ]
    form.category.choices = [
        SelectChoice("", "Any category"),
        *(SelectChoice(key, label) for key, label in ProblemCategory.choices()),
    ]
    return form


def _page(form: WatchForm, status: int = 200):
    rows = watches.watches_for(current_user)
    groups = {g.id: g for g in visible_groups(current_user)}
    return render_template(TEMPLATE, form=form, watches=rows, groups=groups), status


@bp.get("/my/watches")
@login_required
def watch_list():
    return _page(_form())


@bp.post("/my/watches")
@login_required
def watch_add():
    form = _form(request.form)
    if not form.validate():
        return _page(form, INVALID_FORM_STATUS)
    try:
        watches.watch(
            current_user,
            form.group.data or "",
            portal=form.portal.data or None,
            category=form.category.data or None,
            immediate=form.frequency.data == "immediate",
        )
    except DomainError as error:
        db.session.rollback()
        field = getattr(error, "field", None)
        target = form[field] if field in ("group", "portal", "category") else None
        if target is not None:
            target.errors = [*target.errors, error.message]
        else:
            form.form_errors.append(error.message)
        return _page(form, error.status_code)
    db.session.commit()
    flash("You are now watching that. New reports will reach you by email.", "success")
    return redirect(_back(form.next.data))


@bp.post("/my/watches/<public_id>/remove")
@login_required
def watch_remove(public_id: str):
    # CSRF is checked for every POST by CSRFProtect before this runs.
    watches.unwatch(current_user, public_id)  # NotFound -> the 404 page
    db.session.commit()
    flash("You no longer watch that.", "success")
    return redirect(url_for("watches.watch_list"))


@bp.app_template_global()
def is_watching(group, portal=None, category=None) -> bool:
    """For the "Watch this" partial: whether the signed-in person already watches it."""
    if not current_user.is_authenticated:
        return False
    try:
        key = watches.watch_key(portal, category)
    except ValidationError:
        return False
    # A page may show several buttons for the same group: read the person's watches once.
    watched = remembered(
        ("watched", current_user.id, group.id), lambda: watches.watched_in(current_user, group)
    )
    return key in watched


def _back(target: str | None) -> str:
    return safe_next(target) if target else url_for("watches.watch_list")
