"""The administrators' retention page: how long inactive reports are kept."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from credgroup.db import utcnow
from credgroup.errors import DomainError
from credgroup.extensions import db, login_manager
from credgroup.groups.access import require_admin
from credgroup.groups.views import form_failed
from credgroup.retention import policy
from credgroup.retention.forms import RetentionForm
from credgroup.retention.purge import count_expired, months_before

bp = Blueprint("retention", __name__, url_prefix="/admin/retention")
TEMPLATE = "admin/retention.html"


@bp.before_request
def admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_admin(current_user)
    return None


def _context() -> dict:
    """The saved setting and what it means today: the cut-off and how many reports go."""
    months = policy.retention_months()
    today = utcnow().date()
    return {
        "months": months,
        "min_months": policy.MIN_MONTHS,
        "max_months": policy.MAX_MONTHS,
        "cutoff": months_before(today, months) if months else None,
        "expired": count_expired(months, today) if months else 0,
    }


@bp.route("/", methods=["GET", "POST"])
def settings():
    form = RetentionForm(data={policy.FIELD: policy.retention_months()})
    if form.validate_on_submit():
        try:
            policy.set_retention(current_user, form.report_retention_months.data)
        except DomainError as error:
            return form_failed(form, error, TEMPLATE, **_context())
        db.session.commit()
        flash("The retention setting was saved.", "success")
        return redirect(url_for(".settings"))
    return render_template(TEMPLATE, form=form, **_context()), 422 if form.errors else 200
