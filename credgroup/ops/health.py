"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: database, schema,
search), for load balancers and orchestrators.

Both are JSON, need no sign-in, set no cookie, are never cached (``Cache-Control:
no-store`` like every page) and say nothing secret: no address, user name, host name or
error text, only which check failed and the exception's class. ``/readyz`` costs three
small queries and a look at the search index; pages never run these.

The worker's lease is reported, not required: a stopped worker delays email and indexing
but every web host can still serve, and pulling them all out of the load balancer would
turn a late email into an outage. Monitoring alerts on ``checks.worker.ok`` instead.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, jsonify

from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.worker.lease import SCHEDULER_LEASE
from credgroup.worker.models import WorkerLease

bp = Blueprint("health", __name__)

Check = dict[str, Any]


@bp.get("/healthz")
def healthz():
    """Alive: the process answers. Touches nothing else."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready: database reachable, schema at the latest migration, search usable."""
    checks = {
        "database": _guarded(_database),
        "migrations": _guarded(_migrations),
        "search": _guarded(_search),
        "worker": _guarded(_worker),
    }
    db.session.rollback()
    ready = all(checks[name]["ok"] for name in ("database", "migrations", "search"))
    return jsonify(status="ready" if ready else "not_ready", checks=checks), 200 if ready else 503


def _guarded(check) -> Check:
    try:
        return check()
    except Exception as error:
        # The class only: messages can carry host names, user names or paths.
        db.session.rollback()
        return {"ok": False, "error": type(error).__name__}


def _database() -> Check:
    db.session.execute(sa.text("SELECT 1"))
    return {"ok": True}


def _migrations() -> Check:
    from alembic.migration import MigrationContext

    current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    heads = migration_heads(current_app._get_current_object())  # type: ignore[attr-defined]
    return {"ok": current == heads, "current": sorted(current), "head": sorted(heads)}


def migration_heads(app: Flask) -> set[str]:
    """The migrations' head revisions, read from the files once per process."""
    heads = app.extensions.get("credgroup_migration_heads")
    if heads is None:
        from alembic.script import ScriptDirectory

        config = app.extensions["migrate"].migrate.get_config()
        heads = app.extensions["credgroup_migration_heads"] = set(
            ScriptDirectory.from_config(config).get_heads()
        )
    return heads


def _search() -> Check:
    from credgroup.search.backend import BackendQuery, get_backend

    # A count over no scope opens the index (or queries its table) and finds nothing.
    get_backend().count(BackendQuery(clauses=(), scopes=frozenset(), facets=False))
    return {"ok": True, "backend": str(current_app.config.get("SEARCH_BACKEND", "whoosh"))}


def _worker() -> Check:
    expires_at = db.session.scalar(
        sa.select(WorkerLease.expires_at).where(WorkerLease.name == SCHEDULER_LEASE)
    )
    if expires_at is None:
        return {"ok": False, "lease": "none"}
    seconds = (expires_at - utcnow()).total_seconds()
    return {"ok": seconds > 0, "lease_expires_in_seconds": round(seconds)}
