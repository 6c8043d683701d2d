"""Organisation services: credit groups, member companies, seats and facilitators.

Every function checks who may act (``groups.access``), validates everything before it
changes anything (so a rejected call leaves the session clean), flushes, and records an
audit event for the staff action. ``actor=None`` means the command line. The caller commits
(and rolls back on a DomainError).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from credgroup.accounts.models import Invitation, User
from credgroup.audit.services import record
from credgroup.db import utcnow
from credgroup.errors import Conflict, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import can_view_group, require_admin, require_facilitator
from credgroup.groups.models import (
    CreditGroup,
    CustomerNaming,
    FacilitatorAssignment,
    GroupMembership,
    MemberCompany,
)
from credgroup.groups.validation import clean_company, clean_group_fields, clean_slug


def _flush_or_conflict(message: str) -> None:
    """Flush; a unique constraint lost to a concurrent request becomes a Conflict."""
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict(message) from None


# --- groups ---------------------------------------------------------------------------------


def create_group(
    actor: User | None,
    *,
    slug: str,
    name: str,
    industry: str = "",
    description: str = "",
    timezone: str = "America/New_York",
    anonymity_threshold: int = 5,
    customer_naming: CustomerNaming | str = CustomerNaming.INDUSTRY_ONLY,
) -> CreditGroup:
    """Create a credit group with the default statements. Admins only (``None``: the CLI)."""
    if actor is not None:
        require_admin(actor)
    slug = clean_slug(slug)
    fields = clean_group_fields(
        {
            "name": name,
            "industry": industry,
            "description": description,
            "timezone": timezone,
            "anonymity_threshold": anonymity_threshold,
            "customer_naming": customer_naming,
        }
    )
    conflict = "A group with this address (slug) already exists."
    if db.session.scalar(sa.select(CreditGroup.id).where(CreditGroup.slug == slug)):
        raise Conflict(conflict)
    group = CreditGroup(slug=slug, **fields)
    db.session.add(group)
    _flush_or_conflict(conflict)
    record(actor, "group.created", target_type="group", target_label=group.name, group=group)
    return group


def update_group(actor: User, group: CreditGroup, **fields: Any) -> CreditGroup:
    """Change a group's settings and statements. Its facilitators and admins only."""
    require_facilitator(actor, group)
    _require_not_archived(group)
    cleaned = clean_group_fields(fields)
    changed = sorted(name for name, value in cleaned.items() if getattr(group, name) != value)
    for name in changed:
        setattr(group, name, cleaned[name])
    db.session.flush()
    if changed:
        record(
            actor,
            "group.updated",
            target_type="group",
            target_label=group.name,
            group=group,
            fields=changed,
        )
    return group


def archive_group(actor: User, group: CreditGroup) -> CreditGroup:
    """Hide a group from everyone's lists and pages. Admins only; nothing is deleted."""
    require_admin(actor)
    _require_not_archived(group)
    group.archived_at = utcnow()
    db.session.flush()
    record(actor, "group.archived", target_type="group", target_label=group.name, group=group)
    return group


def restore_group(actor: User, group: CreditGroup) -> CreditGroup:
    """Bring an archived group back. Admins only."""
    require_admin(actor)
    if group.archived_at is None:
        raise Conflict("This group is not archived.")
    group.archived_at = None
    db.session.flush()
    record(actor, "group.restored", target_type="group", target_label=group.name, group=group)
    return group


def _require_not_archived(group: CreditGroup) -> None:
    if group.archived_at is not None:
        raise NotFound("No such group.")


def get_group_by_slug(slug: str, *, include_archived: bool = False) -> CreditGroup:
    """The group with this slug (archived ones only when asked), or NotFound.

    No permission check: for the CLI and for admin pages, which check first."""
    group = db.session.scalar(sa.select(CreditGroup).where(CreditGroup.slug == slug))
    if group is None or (group.archived_at is not None and not include_archived):
        raise NotFound("No such group.")
    return group


def list_groups(viewer: User, *, archived: bool = False) -> list[CreditGroup]:
    """All active (or all archived) groups, by name. Admins only."""
    require_admin(viewer)
    condition = (
        CreditGroup.archived_at.is_not(None) if archived else CreditGroup.archived_at.is_(None)
    )
    return list(
        db.session.scalars(sa.select(CreditGroup).where(condition).order_by(CreditGroup.name))
    )


def groups_by_id(ids: Iterable[int | None]) -> dict[int, CreditGroup]:
    """Groups keyed by id, in one query (for lists that show a group per row)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        g.id: g
        for g in db.session.scalars(sa.select(CreditGroup).where(CreditGroup.id.in_(wanted)))
    }


# --- companies ------------------------------------------------------------------------------


def _company_name_taken(name: str, *, except_id: int | None = None) -> bool:
    # Compared in Python with casefold: SQLite's lower() only folds ASCII.
    wanted = name.casefold()
    rows = db.session.execute(sa.select(MemberCompany.id, MemberCompany.name))
    return any(n.casefold() == wanted and i != except_id for i, n in rows)


COMPANY_CONFLICT = "A member company with this name already exists."


def create_company(
    actor: User | None, *, name: str, aliases: Sequence[str] = (), industry: str = ""
) -> MemberCompany:
    """Register a member company (names are unique, ignoring case). Admins (``None``: CLI)."""
    if actor is not None:
        require_admin(actor)
    name, aliases, industry = clean_company(name, aliases, industry)
    if _company_name_taken(name):
        raise Conflict(COMPANY_CONFLICT)
    company = MemberCompany(name=name, aliases=aliases, industry=industry)
    db.session.add(company)
    _flush_or_conflict(COMPANY_CONFLICT)
    record(actor, "company.created", target_type="company", target_label=company.name)
    return company


def update_company(
    actor: User | None,
    company: MemberCompany,
    *,
    name: str,
    aliases: Sequence[str],
    industry: str,
) -> MemberCompany:
    """Rename a company, or change its other names and industry. Admins only."""
    if actor is not None:
        require_admin(actor)
    name, aliases, industry = clean_company(name, aliases, industry)
    if _company_name_taken(name, except_id=company.id):
        raise Conflict(COMPANY_CONFLICT)
    changed = [
        field
        for field, value in (("name", name), ("aliases", aliases), ("industry", industry))
        if getattr(company, field) != value
    ]
    previous_name = company.name
    company.name, company.aliases, company.industry = name, aliases, industry
    _flush_or_conflict(COMPANY_CONFLICT)
    if changed:
        record(
            actor,
            "company.updated",
            target_type="company",
            target_label=company.name,
            fields=changed,
            previous_name=previous_name,
        )
    return company


def get_company(company_id: int) -> MemberCompany:
    company = db.session.get(MemberCompany, company_id)
    if company is None:
        raise NotFound("No such member company.")
    return company


def get_company_by_name(name: str) -> MemberCompany:
    """The company with this name, ignoring case and surrounding spaces, or NotFound."""
    wanted = (name or "").strip().casefold()
    for company in db.session.scalars(sa.select(MemberCompany)):
        if company.name.casefold() == wanted:
            return company
    raise NotFound("No such member company.")


def list_companies(viewer: User) -> list[MemberCompany]:
    """Every member company with its groups loaded. Admins only."""
    require_admin(viewer)
    query = (
        sa.select(MemberCompany)
        .options(selectinload(MemberCompany.memberships).selectinload(GroupMembership.group))
        .order_by(MemberCompany.name)
    )
    return list(db.session.scalars(query))


def company_groups(viewer: User, company: MemberCompany) -> list[CreditGroup]:
    """The active groups a company has a seat in, by name. Admins only."""
    require_admin(viewer)
    query = (
        sa.select(CreditGroup)
        .join(GroupMembership, GroupMembership.group_id == CreditGroup.id)
        .where(GroupMembership.company_id == company.id, CreditGroup.archived_at.is_(None))
        .order_by(CreditGroup.name)
    )
    return list(db.session.scalars(query))


# --- seats: companies in groups ---------------------------------------------------------------


def _membership(group: CreditGroup, company: MemberCompany) -> GroupMembership | None:
    return db.session.scalar(
        sa.select(GroupMembership).where(
            GroupMembership.group_id == group.id, GroupMembership.company_id == company.id
        )
    )


def add_company_to_group(
    actor: User | None, group: CreditGroup, company: MemberCompany
) -> GroupMembership:
    """Give a company a seat in a group: its people see the group from their next request.

    The group's facilitators and admins (``None``: the CLI)."""
    if actor is not None:
        require_facilitator(actor, group)
    _require_not_archived(group)
    conflict = f"{company.name} is already a member of {group.name}."
    if _membership(group, company) is not None:
        raise Conflict(conflict)
    membership = GroupMembership(group_id=group.id, company_id=company.id)
    db.session.add(membership)
    _flush_or_conflict(conflict)
    record(
        actor, "group.company_added", target_type="company", target_label=company.name, group=group
    )
    return membership


def remove_company_from_group(actor: User, group: CreditGroup, company: MemberCompany) -> None:
    """Take a company's seat away. Access is read live, so its people lose the group at once;
    pending invitations into the group for that company are revoked too."""
    require_facilitator(actor, group)
    membership = _membership(group, company)
    if membership is None:
        raise NotFound(f"{company.name} is not a member of this group.")
    db.session.delete(membership)
    revoked = _revoke_company_invitations(group, company)
    db.session.flush()
    record(
        actor,
        "group.company_removed",
        target_type="company",
        target_label=company.name,
        group=group,
        invitations_revoked=revoked,
    )


def _revoke_company_invitations(group: CreditGroup, company: MemberCompany) -> int:
    result = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.group_id == group.id,
            Invitation.company_id == company.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0


def group_companies(viewer: User, group: CreditGroup) -> list[MemberCompany]:
    """The group's member companies by name; anyone who may see the group may see these."""
    if not can_view_group(viewer, group):
        raise NotFound("No such group.")
    query = (
        sa.select(MemberCompany)
        .join(GroupMembership, GroupMembership.company_id == MemberCompany.id)
        .where(GroupMembership.group_id == group.id)
        .order_by(MemberCompany.name)
    )
    return list(db.session.scalars(query))


def companies_outside_group(viewer: User, group: CreditGroup) -> list[MemberCompany]:
    """Companies that could be added to the group (the group's facilitators)."""
    require_facilitator(viewer, group)
    inside = sa.select(GroupMembership.company_id).where(GroupMembership.group_id == group.id)
    query = sa.select(MemberCompany).where(MemberCompany.id.not_in(inside))
    return list(db.session.scalars(query.order_by(MemberCompany.name)))


def group_people(viewer: User, group: CreditGroup) -> list[User]:
    """People of the group's member companies, by company then name (facilitators)."""
    require_facilitator(viewer, group)
    query = (
        sa.select(User)
        .join(MemberCompany, MemberCompany.id == User.company_id)
        .join(GroupMembership, GroupMembership.company_id == MemberCompany.id)
        .where(GroupMembership.group_id == group.id)
        .options(selectinload(User.company))
        .order_by(MemberCompany.name, User.name)
    )
    return list(db.session.scalars(query))


def get_group_person(viewer: User, group: CreditGroup, public_id: str) -> User:
    """A person of one of the group's companies, for a facilitator; otherwise NotFound."""
    for person in group_people(viewer, group):
        if person.public_id == public_id:
            return person
    raise NotFound("No such person in this group.")


# --- facilitators ---------------------------------------------------------------------------


def group_facilitators(viewer: User, group: CreditGroup) -> list[User]:
    """Active staff assigned to the group: its members' contacts."""
    if not can_view_group(viewer, group):
        raise NotFound("No such group.")
    query = (
        sa.select(User)
        .join(FacilitatorAssignment, FacilitatorAssignment.user_id == User.id)
        .where(FacilitatorAssignment.group_id == group.id, User.active.is_(True))
        .order_by(User.name)
    )
    return list(db.session.scalars(query))


def _assignment(group: CreditGroup, user: User) -> FacilitatorAssignment | None:
    return db.session.scalar(
        sa.select(FacilitatorAssignment).where(
            FacilitatorAssignment.group_id == group.id, FacilitatorAssignment.user_id == user.id
        )
    )


def assign_facilitator(actor: User | None, group: CreditGroup, user: User) -> FacilitatorAssignment:
    """Make a staff member a facilitator of the group. Admins only (``None``: the CLI)."""
    if actor is not None:
        require_admin(actor)
    _require_not_archived(group)
    if not user.is_staff:
        raise ValidationError("user", "Only association staff can facilitate a group.")
    conflict = f"{user.name} already facilitates {group.name}."
    if _assignment(group, user) is not None:
        raise Conflict(conflict)
    assignment = FacilitatorAssignment(group_id=group.id, user_id=user.id)
    db.session.add(assignment)
    _flush_or_conflict(conflict)
    record(
        actor,
        "group.facilitator_assigned",
        target_type="user",
        target_label=f"{user.name} <{user.email}>",
        group=group,
    )
    return assignment


def unassign_facilitator(actor: User | None, group: CreditGroup, user: User) -> None:
    """Stop a staff member facilitating the group. Admins only."""
    if actor is not None:
        require_admin(actor)
    assignment = _assignment(group, user)
    if assignment is None:
        raise NotFound(f"{user.name} does not facilitate this group.")
    db.session.delete(assignment)
    db.session.flush()
    record(
        actor,
        "group.facilitator_unassigned",
        target_type="user",
        target_label=f"{user.name} <{user.email}>",
        group=group,
    )
