"""Group pages: the members' page of a group, and its facilitators' management pages.

A group the viewer may not see answers 404 (outsiders cannot even learn it exists); a
group they see but may not manage (a member's own group) answers 403 on manage pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from credgroup.accounts import services as accounts
from credgroup.accounts.models import Role
from credgroup.errors import DomainError, NotFound
from credgroup.extensions import db
from credgroup.groups import services
from credgroup.groups.access import get_visible_group, is_facilitator, require_facilitator
from credgroup.groups.forms import (
    ChooseCompanyForm,
    GroupSettingsForm,
    InviteMemberForm,
    apply_domain_error,
    choices,
)
from credgroup.groups.models import CreditGroup

bp = Blueprint("groups", __name__)


def form_failed(form: FlaskForm, error: DomainError, template: str, **context: Any):
    """Undo anything half-done, show the service's error by its field, keep the input."""
    db.session.rollback()
    apply_domain_error(form, error)
    return render_template(template, form=form, **context), error.status_code


def form_page(template: str, form: FlaskForm, **context: Any):
    """Render a form page: 422 when a submitted form failed validation, else 200."""
    return render_template(template, form=form, **context), 422 if form.errors else 200


def rolls_back(view: Callable[..., Any]) -> Callable[..., Any]:
    """For action buttons: a refused action leaves nothing behind, then shows the error page."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        try:
            return view(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            raise

    return wrapper


def _managed_group(slug: str) -> CreditGroup:
    group = get_visible_group(current_user, slug)
    require_facilitator(current_user, group)
    return group


# --- the members' page --------------------------------------------------------------------


@bp.get("/g/<slug>/")
@login_required
def group_home(slug: str):
    group = get_visible_group(current_user, slug)
    return render_template(
        "groups/group_home.html",
        group=group,
        companies=services.group_companies(current_user, group),
        facilitators=services.group_facilitators(current_user, group),
        can_manage=is_facilitator(current_user, group),
    )


# --- facilitators: settings -----------------------------------------------------------------


@bp.get("/g/<slug>/manage/")
@login_required
def manage(slug: str):
    _managed_group(slug)
    return redirect(url_for(".manage_settings", slug=slug))


@bp.route("/g/<slug>/manage/settings", methods=["GET", "POST"])
@login_required
def manage_settings(slug: str):
    group = _managed_group(slug)
    form = GroupSettingsForm(obj=group)
    template = "groups/settings_edit.html"
    if form.validate_on_submit():
        try:
            services.update_group(current_user, group, **form.group_fields())
        except DomainError as error:
            return form_failed(form, error, template, group=group)
        db.session.commit()
        flash("The group's settings were saved.", "success")
        return redirect(url_for(".manage_settings", slug=slug))
    return form_page(template, form, group=group)


# --- facilitators: member companies --------------------------------------------------------


def _company_choices(group: CreditGroup) -> list[SelectChoice]:
    return choices((c.id, c.name) for c in services.companies_outside_group(current_user, group))


def _companies_page(group: CreditGroup, form: ChooseCompanyForm, status: int = 200):
    companies = services.group_companies(current_user, group)
    return render_template(
        "groups/companies_manage.html", group=group, form=form, companies=companies
    ), status


@bp.route("/g/<slug>/manage/companies", methods=["GET", "POST"])
@login_required
def manage_companies(slug: str):
    group = _managed_group(slug)
    form = ChooseCompanyForm()
    form.company.choices = _company_choices(group)
    if form.validate_on_submit():
        try:
            company = services.get_company(form.company.data)
            services.add_company_to_group(current_user, group, company)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
            return _companies_page(group, form, error.status_code)
        db.session.commit()
        flash(f"{company.name} is now a member of {group.name}.", "success")
        return redirect(url_for(".manage_companies", slug=slug))
    return _companies_page(group, form, 422 if form.errors else 200)


@bp.post("/g/<slug>/manage/companies/<int:company_id>/remove")
@login_required
@rolls_back
def remove_company(slug: str, company_id: int):
    group = _managed_group(slug)
    company = services.get_company(company_id)
    services.remove_company_from_group(current_user, group, company)
    db.session.commit()
    flash(f"{company.name} has left {group.name}; its people no longer see the group.", "success")
    return redirect(url_for(".manage_companies", slug=slug))


# --- facilitators: people -----------------------------------------------------------------


def _people_page(group: CreditGroup, form: InviteMemberForm, status: int = 200):
    return render_template(
        "groups/people_manage.html",
        group=group,
        form=form,
        people=services.group_people(current_user, group),
        invitations=accounts.pending_invitations(current_user, group=group),
    ), status


@bp.route("/g/<slug>/manage/people", methods=["GET", "POST"])
@login_required
def manage_people(slug: str):
    group = _managed_group(slug)
    form = InviteMemberForm()
    form.company.choices = choices(
        (c.id, c.name) for c in services.group_companies(current_user, group)
    )
    if form.validate_on_submit():
        try:
            accounts.invite_person(
                current_user,
                email=form.email.data,
                name=form.name.data,
                role=Role.MEMBER,
                company=services.get_company(form.company.data),
                group=group,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
            return _people_page(group, form, error.status_code)
        db.session.commit()
        flash(f"An invitation was sent to {form.email.data}.", "success")
        return redirect(url_for(".manage_people", slug=slug))
    return _people_page(group, form, 422 if form.errors else 200)


@bp.post("/g/<slug>/manage/people/<public_id>/deactivate")
@login_required
@rolls_back
def deactivate_person(slug: str, public_id: str):
    group = _managed_group(slug)
    person = services.get_group_person(current_user, group, public_id)
    accounts.deactivate_user(current_user, person)
    db.session.commit()
    flash(f"{person.name} can no longer sign in.", "success")
    return redirect(url_for(".manage_people", slug=slug))


@bp.post("/g/<slug>/manage/people/<public_id>/reactivate")
@login_required
@rolls_back
def reactivate_person(slug: str, public_id: str):
    group = _managed_group(slug)
    person = services.get_group_person(current_user, group, public_id)
    accounts.reactivate_user(current_user, person)
    db.session.commit()
    flash(f"{person.name} can sign in again.", "success")
    return redirect(url_for(".manage_people", slug=slug))


@bp.post("/g/<slug>/manage/invitations/<public_id>/revoke")
@login_required
@rolls_back
def revoke_invitation(slug: str, public_id: str):
    group = _managed_group(slug)
    # Only this group's invitations through this group's page.
    pending = accounts.pending_invitations(current_user, group=group)
    if public_id not in {invitation.public_id for invitation in pending}:
        raise NotFound("No such pending invitation in this group.")
    invitation = accounts.revoke_invitation(current_user, public_id)
    db.session.commit()
    flash(f"The invitation to {invitation.email} was withdrawn.", "success")
    return redirect(url_for(".manage_people", slug=slug))
