"""Recording and reading the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from credgroup.audit.models import AuditEvent
from credgroup.extensions import db
from credgroup.groups.access import require_admin

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup


def record(
    actor: User | None,
    action: str,
    *,
    target_type: str = "",
    target_label: str = "",
    group: CreditGroup | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits).

    ``actor`` None means the command line or the system. Never pass anything that would
    identify the author of anonymous content in ``details``.
    """
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_label=f"{actor.name} <{actor.email}>" if actor else "system (command line)",
        action=action,
        target_type=target_type,
        target_label=target_label[:300],
        group_id=group.id if group else None,
        details=details,
    )
    db.session.add(event)
    return event


def list_events(
    viewer: User, *, action: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[AuditEvent], int]:
    """Newest first; admins only. Returns (events on the page, total count)."""
    require_admin(viewer)
    query = sa.select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    events = db.session.scalars(
        query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    return list(events), total
