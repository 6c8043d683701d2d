"""Watching a portal or a category in a group, to hear about new reports.

A watch names what someone reads, never what anyone wrote, so it may hold the user. Whether a
watch still produces mail is decided when mail is due (see ``notifications``), not here: a
company that leaves a group keeps its people's watch rows, but they stop receiving anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from credgroup.errors import Conflict, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import can_view_group, get_visible_group
from credgroup.groups.models import CreditGroup
from credgroup.portals.models import Portal
from credgroup.portals.services import get_portal
from credgroup.reports.anonymise import today
from credgroup.reports.enums import ProblemCategory
from credgroup.reports.models import Watch

if TYPE_CHECKING:
    from credgroup.accounts.models import User


def watch(
    user: User,
    group: CreditGroup | str,
    portal: Portal | str | None = None,
    category: ProblemCategory | str | None = None,
    immediate: bool = False,
) -> Watch:
    """Start watching new reports in ``group`` about ``portal`` and/or ``category``.

    ``group`` is a group or its slug and must be one the user can see (NotFound otherwise,
    as for any group page). ``portal`` is a portal or its slug, ``category`` a category or
    its key; at least one is required. Watching the same thing twice is a Conflict.
    """
    group = _visible_group(user, group)
    portal = _portal(portal)
    category = _category(category)
    if portal is None and category is None:
        raise ValidationError("portal", "Choose a portal, a category, or both.")
    if _existing(user, group, portal, category) is not None:
        raise Conflict("You are already watching that.")
    row = Watch(
        user_id=user.id,
        group_id=group.id,
        portal_id=portal.id if portal else None,
        category=category,
        immediate=bool(immediate),
        created_on=today(),
    )
    db.session.add(row)
    db.session.flush()
    return row


def unwatch(user: User, watch_public_id: str) -> None:
    """Stop a watch. Someone else's watch is "not found", like one that does not exist."""
    row = db.session.scalar(
        sa.select(Watch).where(Watch.public_id == watch_public_id, Watch.user_id == user.id)
    )
    if row is None:
        raise NotFound("No such watch.")
    db.session.delete(row)
    db.session.flush()


def watches_for(user: User) -> list[Watch]:
    """The user's watches in groups they can still see, by group, then portal, then category."""
    rows = db.session.scalars(
        sa.select(Watch)
        .where(Watch.user_id == user.id)
        .options(selectinload(Watch.portal))
        .order_by(Watch.group_id, Watch.created_on, Watch.id)
    ).all()
    groups = _groups_by_id({row.group_id for row in rows})
    visible = {
        gid for gid, g in groups.items() if g.archived_at is None and can_view_group(user, g)
    }
    return [row for row in rows if row.group_id in visible]


def is_watching(
    user: User,
    group: CreditGroup,
    portal: Portal | str | None = None,
    category: ProblemCategory | str | None = None,
) -> bool:
    """Whether the user already watches exactly this (for the "Watch this" buttons)."""
    try:
        portal, category = _portal(portal), _category(category)
    except ValidationError:
        return False
    return _existing(user, group, portal, category) is not None


def _groups_by_id(ids: set[int]) -> dict[int, CreditGroup]:
    if not ids:
        return {}
    return {
        g.id: g for g in db.session.scalars(sa.select(CreditGroup).where(CreditGroup.id.in_(ids)))
    }


def _visible_group(user: User, group: CreditGroup | str) -> CreditGroup:
    if isinstance(group, CreditGroup):
        if group.archived_at is not None or not can_view_group(user, group):
            raise NotFound("No such group.")
        return group
    if not group:
        raise ValidationError("group", "Choose one of your groups.")
    return get_visible_group(user, str(group))


def watch_key(
    portal: Portal | str | None, category: ProblemCategory | str | None
) -> tuple[int | None, ProblemCategory | None]:
    """What a watch of this portal and/or category is stored as (portal id, category);
    ValidationError for a portal or category that does not exist."""
    found = _portal(portal)
    return (found.id if found is not None else None), _category(category)


def watched_in(user: User, group: CreditGroup) -> set[tuple[int | None, ProblemCategory | None]]:
    """Everything the user watches in the group, as ``watch_key`` gives it (one query for
    all the "Watch this" buttons of a page)."""
    rows = db.session.execute(
        sa.select(Watch.portal_id, Watch.category).where(
            Watch.user_id == user.id, Watch.group_id == group.id
        )
    )
    return {(portal_id, category) for portal_id, category in rows}


def _portal(portal: Portal | str | None) -> Portal | None:
    if portal is None or isinstance(portal, Portal):
        return portal
    if not portal:
        return None
    try:
        # Follows merges: watching a portal that was folded into another watches that one.
        return get_portal(str(portal))
    except NotFound:
        raise ValidationError("portal", "Choose a portal from the list.") from None


def _category(category: ProblemCategory | str | None) -> ProblemCategory | None:
    if category is None or isinstance(category, ProblemCategory):
        return category
    if not category:
        return None
    try:
        return ProblemCategory(str(category))
    except ValueError:
        raise ValidationError("category", "Choose a category from the list.") from None


def _existing(
    user: User, group: CreditGroup, portal: Portal | None, category: ProblemCategory | None
) -> Watch | None:
    # Spelled out rather than left to the unique constraint: NULLs never collide there.
    portal_is = Watch.portal_id.is_(None) if portal is None else Watch.portal_id == portal.id
    category_is = Watch.category.is_(None) if category is None else Watch.category == category
    return db.session.scalar(
        sa.select(Watch).where(
            Watch.user_id == user.id, Watch.group_id == group.id, portal_is, category_is
        )
    )
