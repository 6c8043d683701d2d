"""Who may see and manage which group. Every service asks these; views never decide alone.

Membership is read live from ``group_memberships`` on every request, so a company that
leaves a group loses access on its people's very next request. Within a request the
answers are kept (a page asks "is this person in this group?" several times: the report,
its discussion, the navigation) until anything is written (credgroup.memo).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from credgroup.errors import NotFound, PermissionDenied
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, FacilitatorAssignment, GroupMembership
from credgroup.memo import remembered

if TYPE_CHECKING:
    from credgroup.accounts.models import User


def _who(user: User) -> tuple:
    return (user.id, user.company_id, bool(user.is_staff), bool(user.is_admin))


def visible_groups_query(user: User) -> sa.Select[tuple[CreditGroup]]:
    """Groups a person may see: admins all, facilitators theirs, members their company's."""
    query = sa.select(CreditGroup).where(CreditGroup.archived_at.is_(None))
    if user.is_admin:
        return query.order_by(CreditGroup.name)
    if user.is_staff:
        assigned = sa.select(FacilitatorAssignment.group_id).where(
            FacilitatorAssignment.user_id == user.id
        )
        return query.where(CreditGroup.id.in_(assigned)).order_by(CreditGroup.name)
    member_of = sa.select(GroupMembership.group_id).where(
        GroupMembership.company_id == user.company_id
    )
    return query.where(CreditGroup.id.in_(member_of)).order_by(CreditGroup.name)


def visible_groups(user: User) -> list[CreditGroup]:
    found = remembered(
        ("visible", *_who(user)), lambda: list(db.session.scalars(visible_groups_query(user)))
    )
    return list(found)


def is_member(user: User, group: CreditGroup) -> bool:
    """True when the person's company currently has a seat in the group."""
    if user.is_staff or user.company_id is None:
        return False
    seat = sa.select(GroupMembership.id).where(
        GroupMembership.group_id == group.id, GroupMembership.company_id == user.company_id
    )
    return remembered(
        ("member", *_who(user), group.id), lambda: db.session.scalar(seat) is not None
    )


def is_facilitator(user: User, group: CreditGroup) -> bool:
    """Admins may facilitate any group; staff the groups they are assigned to."""
    if user.is_admin:
        return True
    if not user.is_staff:
        return False
    assigned = sa.select(FacilitatorAssignment.id).where(
        FacilitatorAssignment.group_id == group.id, FacilitatorAssignment.user_id == user.id
    )
    return remembered(
        ("facilitator", *_who(user), group.id), lambda: db.session.scalar(assigned) is not None
    )


def can_view_group(user: User, group: CreditGroup) -> bool:
    return is_facilitator(user, group) or is_member(user, group)


def get_visible_group(user: User, slug: str) -> CreditGroup:
    """The group with this slug if the person may see it. Otherwise NotFound, so that
    outsiders cannot even learn which groups exist."""
    group = db.session.scalar(sa.select(CreditGroup).where(CreditGroup.slug == slug))
    if group is None or group.archived_at is not None or not can_view_group(user, group):
        raise NotFound("No such group.")
    return group


def require_facilitator(user: User, group: CreditGroup) -> None:
    if not is_facilitator(user, group):
        raise PermissionDenied("Only this group's facilitators can do that.")


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied("Only association administrators can do that.")


def require_staff(user: User) -> None:
    if not (user.is_staff or user.is_admin):
        raise PermissionDenied("Only association staff can do that.")
