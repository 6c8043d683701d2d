"""The audit log page: what staff did, newest first. Administrators only."""

from __future__ import annotations

import math

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import current_user

from credgroup.audit.models import AuditEvent
from credgroup.audit.services import list_events
from credgroup.extensions import db, login_manager
from credgroup.groups.access import require_admin
from credgroup.groups.services import groups_by_id

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

PER_PAGE = 50
MAX_PAGE = 100_000  # keeps OFFSET within range on every database
ACTION_MAX = 80  # AuditEvent.action's length


@bp.before_request
def admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_admin(current_user)
    return None


def known_actions() -> list[str]:
    """Every action recorded so far, for the filter's choices."""
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by("action")))


@bp.get("/")
def events_list():
    action = (request.args.get("action") or "").strip()[:ACTION_MAX]
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    events, total = list_events(current_user, action=action or None, page=page, per_page=PER_PAGE)
    return render_template(
        "audit/events_list.html",
        events=events,
        groups=groups_by_id(event.group_id for event in events),
        actions=known_actions(),
        action=action,
        page=page,
        pages=max(math.ceil(total / PER_PAGE), 1),
        total=total,
    )
