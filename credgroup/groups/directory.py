"""The association's directory for administrators: staff with their groups, a searchable
list of everyone, and the dashboard's counts. Read-only; admins only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from credgroup.accounts.models import Invitation, User
from credgroup.db import utcnow
from credgroup.errors import NotFound
from credgroup.extensions import db
from credgroup.groups.access import require_admin
from credgroup.groups.models import CreditGroup, FacilitatorAssignment, MemberCompany


def list_staff(viewer: User) -> list[tuple[User, list[CreditGroup]]]:
    """Staff users, each with the active groups they facilitate. Admins only."""
    require_admin(viewer)
    staff = list(
        db.session.scalars(sa.select(User).where(User.is_staff.is_(True)).order_by(User.name))
    )
    rows = db.session.execute(
        sa.select(FacilitatorAssignment.user_id, CreditGroup)
        .join(CreditGroup, CreditGroup.id == FacilitatorAssignment.group_id)
        .where(CreditGroup.archived_at.is_(None))
        .order_by(CreditGroup.name)
    )
    by_user: dict[int, list[CreditGroup]] = {}
    for user_id, group in rows:
        by_user.setdefault(user_id, []).append(group)
    return [(user, by_user.get(user.id, [])) for user in staff]


def get_staff_user(viewer: User, public_id: str) -> User:
    """A staff user by public id, for an admin; otherwise NotFound."""
    require_admin(viewer)
    user = db.session.scalar(
        sa.select(User).where(User.public_id == public_id, User.is_staff.is_(True))
    )
    if user is None:
        raise NotFound("No such staff member.")
    return user


def search_users(
    viewer: User, *, query: str = "", page: int = 1, per_page: int = 25
) -> tuple[list[User], int]:
    """Everyone, optionally filtered by a piece of name or email; (page of users, total)."""
    require_admin(viewer)
    statement = sa.select(User)
    text = (query or "").strip()[:200]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        statement = statement.where(
            sa.or_(User.name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\"))
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery())) or 0
    users = db.session.scalars(
        statement.options(selectinload(User.company))
        .order_by(User.name, User.id)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    return list(users), total


def admin_overview(viewer: User) -> dict[str, int]:
    """Counts for the admin dashboard. Admins only."""
    require_admin(viewer)

    def count(model: Any, *where: Any) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0

    now: datetime = utcnow()
    return {
        "groups": count(CreditGroup, CreditGroup.archived_at.is_(None)),
        "archived_groups": count(CreditGroup, CreditGroup.archived_at.is_not(None)),
        "companies": count(MemberCompany),
        "members": count(User, User.is_staff.is_(False), User.active.is_(True)),
        "staff": count(User, User.is_staff.is_(True), User.active.is_(True)),
        "pending_invitations": count(
            Invitation,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        ),
    }
