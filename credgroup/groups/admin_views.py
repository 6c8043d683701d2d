"""The association administrators' area: groups, member companies, staff and people.

Every page here is for admins only: facilitators and members get 403, visitors are sent
to sign in. The services check again; this guard just makes the rule visible in one place.
"""

from __future__ import annotations

import math

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from credgroup.accounts import services as accounts
from credgroup.accounts.models import Role
from credgroup.errors import DomainError, ValidationError
from credgroup.extensions import db, login_manager
from credgroup.groups import directory, services
from credgroup.groups.access import require_admin
from credgroup.groups.forms import (
    ChooseGroupForm,
    CompanyForm,
    GroupCreateForm,
    GroupSettingsForm,
    InviteStaffForm,
    apply_domain_error,
    choices,
)
from credgroup.groups.models import MemberCompany
from credgroup.groups.views import form_failed, form_page, rolls_back

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

USERS_PER_PAGE = 25
MAX_PAGE = 100_000  # keeps OFFSET within range on every database


@admin_bp.before_request
def admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_admin(current_user)
    return None


def page_arg() -> int:
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)


@admin_bp.get("/")
def index():
    return render_template("admin/index.html", counts=directory.admin_overview(current_user))


# --- groups ---------------------------------------------------------------------------------


@admin_bp.get("/groups/")
def groups_list():
    archived = request.args.get("archived") == "1"
    groups = services.list_groups(current_user, archived=archived)
    return render_template("admin/groups_list.html", groups=groups, archived=archived)


@admin_bp.route("/groups/new", methods=["GET", "POST"])
def group_create():
    form = GroupCreateForm(data={"timezone": "America/New_York", "anonymity_threshold": 5})
    if form.validate_on_submit():
        try:
            group = services.create_group(current_user, **form.group_fields())
        except DomainError as error:
            return form_failed(form, error, "admin/group_create.html")
        db.session.commit()
        flash(f"The group {group.name} was created.", "success")
        return redirect(url_for(".groups_list"))
    return form_page("admin/group_create.html", form)


@admin_bp.route("/groups/<slug>/edit", methods=["GET", "POST"])
def group_edit(slug: str):
    group = services.get_group_by_slug(slug)
    form = GroupSettingsForm(obj=group)
    if form.validate_on_submit():
        try:
            services.update_group(current_user, group, **form.group_fields())
        except DomainError as error:
            return form_failed(form, error, "admin/group_edit.html", group=group)
        db.session.commit()
        flash(f"The settings of {group.name} were saved.", "success")
        return redirect(url_for(".groups_list"))
    return form_page("admin/group_edit.html", form, group=group)


@admin_bp.post("/groups/<slug>/archive")
@rolls_back
def group_archive(slug: str):
    group = services.archive_group(current_user, services.get_group_by_slug(slug))
    db.session.commit()
    flash(f"{group.name} was archived: nobody sees it any more.", "success")
    return redirect(url_for(".groups_list"))


@admin_bp.post("/groups/<slug>/restore")
@rolls_back
def group_restore(slug: str):
    group = services.get_group_by_slug(slug, include_archived=True)
    services.restore_group(current_user, group)
    db.session.commit()
    flash(f"{group.name} is back.", "success")
    return redirect(url_for(".groups_list"))


# --- companies ------------------------------------------------------------------------------


@admin_bp.get("/companies/")
def companies_list():
    companies = services.list_companies(current_user)
    return render_template("admin/companies_list.html", companies=companies)


@admin_bp.route("/companies/new", methods=["GET", "POST"])
def company_create():
    form = CompanyForm()
    if form.validate_on_submit():
        try:
            company = services.create_company(current_user, **form.company_fields())
        except DomainError as error:
            return form_failed(form, error, "admin/company_create.html")
        db.session.commit()
        flash(f"{company.name} was added. Now give it a seat in its groups.", "success")
        return redirect(url_for(".company_edit", company_id=company.id))
    return form_page("admin/company_create.html", form)


def _company_page(company: MemberCompany, form: CompanyForm, status: int = 200):
    groups = services.company_groups(current_user, company)
    taken = {g.id for g in groups}
    add_form = ChooseGroupForm(formdata=None)
    add_form.group.choices = choices(
        (g.slug, g.name) for g in services.list_groups(current_user) if g.id not in taken
    )
    return render_template(
        "admin/company_edit.html", company=company, form=form, groups=groups, add_form=add_form
    ), status


@admin_bp.route("/companies/<int:company_id>/edit", methods=["GET", "POST"])
def company_edit(company_id: int):
    company = services.get_company(company_id)
    form = CompanyForm(data=_company_data(company))
    if form.validate_on_submit():
        try:
            services.update_company(current_user, company, **form.company_fields())
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
            return _company_page(company, form, error.status_code)
        db.session.commit()
        flash(f"{company.name} was saved.", "success")
        return redirect(url_for(".company_edit", company_id=company.id))
    return _company_page(company, form, 422 if form.errors else 200)


def _company_data(company: MemberCompany) -> dict[str, str]:
    return {
        "name": company.name,
        "aliases": "\n".join(company.aliases or []),
        "industry": company.industry,
    }


@admin_bp.post("/companies/<int:company_id>/groups")
@rolls_back
def company_add_group(company_id: int):
    company = services.get_company(company_id)
    form = ChooseGroupForm()
    form.group.choices = choices((g.slug, g.name) for g in services.list_groups(current_user))
    if not form.validate():
        raise ValidationError("group", "Choose one of the listed groups.")
    group = services.get_group_by_slug(form.group.data)
    services.add_company_to_group(current_user, group, company)
    db.session.commit()
    flash(f"{company.name} now has a seat in {group.name}.", "success")
    return redirect(url_for(".company_edit", company_id=company.id))


@admin_bp.post("/companies/<int:company_id>/groups/<slug>/remove")
@rolls_back
def company_remove_group(company_id: int, slug: str):
    company = services.get_company(company_id)
    group = services.get_group_by_slug(slug)
    services.remove_company_from_group(current_user, group, company)
    db.session.commit()
    flash(f"{company.name} has left {group.name}; its people no longer see the group.", "success")
    return redirect(url_for(".company_edit", company_id=company.id))


# --- staff (facilitators and admins) ------------------------------------------------------


@admin_bp.get("/facilitators/")
def staff_list():
    return render_template(
        "admin/staff_list.html",
        staff=directory.list_staff(current_user),
        groups=services.list_groups(current_user),
    )


@admin_bp.route("/facilitators/invite", methods=["GET", "POST"])
def staff_invite():
    form = InviteStaffForm()
    form.group.choices = choices(
        [("", "No group yet")] + [(g.slug, g.name) for g in services.list_groups(current_user)]
    )
    if form.validate_on_submit():
        try:
            group = services.get_group_by_slug(form.group.data) if form.group.data else None
            accounts.invite_person(
                current_user,
                email=form.email.data,
                name=form.name.data,
                role=Role(form.role.data),
                group=group,
            )
        except DomainError as error:
            return form_failed(form, error, "admin/staff_invite.html")
        db.session.commit()
        flash(f"An invitation was sent to {form.email.data}.", "success")
        return redirect(url_for(".staff_list"))
    return form_page("admin/staff_invite.html", form)


@admin_bp.post("/facilitators/<public_id>/groups")
@rolls_back
def staff_assign(public_id: str):
    user = directory.get_staff_user(current_user, public_id)
    form = ChooseGroupForm()
    form.group.choices = choices((g.slug, g.name) for g in services.list_groups(current_user))
    if not form.validate():
        raise ValidationError("group", "Choose one of the listed groups.")
    group = services.get_group_by_slug(form.group.data)
    services.assign_facilitator(current_user, group, user)
    db.session.commit()
    flash(f"{user.name} now facilitates {group.name}.", "success")
    return redirect(url_for(".staff_list"))


@admin_bp.post("/facilitators/<public_id>/groups/<slug>/remove")
@rolls_back
def staff_unassign(public_id: str, slug: str):
    user = directory.get_staff_user(current_user, public_id)
    group = services.get_group_by_slug(slug)
    services.unassign_facilitator(current_user, group, user)
    db.session.commit()
    flash(f"{user.name} no longer facilitates {group.name}.", "success")
    return redirect(url_for(".staff_list"))


# --- everyone -------------------------------------------------------------------------------


@admin_bp.get("/users/")
def users_list():
    query = (request.args.get("q") or "").strip()[:200]
    page = page_arg()
    users, total = directory.search_users(
        current_user, query=query, page=page, per_page=USERS_PER_PAGE
    )
    pages = max(math.ceil(total / USERS_PER_PAGE), 1)
    return render_template(
        "admin/users_list.html", users=users, total=total, q=query, page=page, pages=pages
    )
