"""credgroup: anonymous portal-problem reports, workarounds and meetings for credit groups."""

from __future__ import annotations

import importlib
from typing import Any

from flask import Flask

from credgroup.config import load_config
from credgroup.extensions import csrf, db, login_manager, migrate

# Features register themselves in this order; each package exposes ``init_app(app)``.
FEATURES = (
    "credgroup.web",
    "credgroup.accounts",
    "credgroup.groups",
    "credgroup.portals",
    "credgroup.reports",
    "credgroup.kb",
    "credgroup.meetings",
    "credgroup.search",
    "credgroup.trends",
    "credgroup.audit",
    "credgroup.notify",
    "credgroup.retention",
    "credgroup.ops",
    "credgroup.worker",
    "credgroup.api",
    "credgroup.demo",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application. Touches no database, network or scheduler."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    load_config(app, config)
    configure_logging(app)
    register_extensions(app)
    register_features(app)
    trust_proxies(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Read the client's address and scheme from the proxies we were told to trust."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def configure_logging(app: Flask) -> None:
    """Log lines in LOG_FORMAT with request ids (see credgroup.ops.logs); first, so that
    every request hook registered later runs inside a request id."""
    from credgroup.ops import logs

    logs.configure(app)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=_migrations_dir(), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)


def register_features(app: Flask) -> None:
    for name in FEATURES:
        importlib.import_module(name).init_app(app)


def _migrations_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "migrations")
