"""Configuration: defaults, then ``instance/config.py``, then ``CREDGROUP_*`` environment
variables, then the mapping passed to ``create_app`` (tests use that).

Secrets are never stored in the database. For a local run they are generated once into
``instance/secrets.json``; in production they must come from the environment and the app
refuses to start without them.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

SECRET_NAMES = ("SECRET_KEY", "PSEUDONYM_KEY")
# Values that must never protect a production deployment.
KNOWN_BAD_SECRETS = {"", "dev", "change-me", "changeme", "secret", "test", "development"}
MIN_SECRET_LENGTH = 32


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely (for example a missing production secret)."""


class Defaults:
    ENV = "development"  # "production" turns on the strict checks below
    DATABASE_URL = ""  # empty: SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    # PostgreSQL's parallel plans for the app's own sessions. Off: a page's statements are
    # short, and forking parallel workers for one of them cost more than it saved (the
    # trend report's confirmations at a million reports: 12-17 ms in parallel, 4-8 ms
    # without, on 2 cores serving 16 clients). A number allows that many workers per query;
    # None (null in the environment) leaves the server's own setting.
    DATABASE_PARALLEL_WORKERS = 0
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True in production (see apply_production_defaults)
    SESSION_COOKIE_NAME = "credgroup_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 14  # two weeks: short, this is shared-office software
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    ASSOCIATION_NAME = "Demo Credit Association"
    BASE_URL = "http://127.0.0.1:5000"  # used in emailed links, where there is no request

    # Accounts
    INVITATION_TTL_HOURS = 72
    PASSWORD_RESET_TTL_MINUTES = 60
    PASSWORD_MIN_LENGTH = 10
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_IP = 30
    LOGIN_THROTTLE_WINDOW_MINUTES = 15

    # Mail: with no MAIL_SERVER, messages are written as .eml files into MAIL_FOLDER.
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_STARTTLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_TIMEOUT = 10
    MAIL_FROM = "credgroup <no-reply@credgroup.invalid>"
    MAIL_FOLDER = ""  # empty: instance/mail
    MAIL_MAX_ATTEMPTS = 8

    # Worker
    WORKER_OUTBOX_INTERVAL_SECONDS = 10
    WORKER_LEASE_SECONDS = 60

    # Knowledge base: an article nobody confirmed as working for this many months, or that a
    # member said "no longer works" for within this many days, is flagged for review.
    KB_STALE_MONTHS = 12
    KB_RECENT_FAILURE_DAYS = 90

    # Meetings: reminder emails this many days before a meeting / a call-for-items deadline,
    # and the alarm calendar programs show this many minutes before a meeting.
    MEETING_REMINDER_DAYS = 7
    MEETING_CALL_REMINDER_DAYS = 2
    MEETING_ALARM_MINUTES = 60

    # Trends: the worker freezes each meeting's trend report and puts it on the agenda this
    # many days before the meeting (hourly; once per meeting). The facilitator can freeze
    # it earlier from the agenda page.
    TRENDS_SNAPSHOT_DAYS_BEFORE = 7

    API_PAGE_SIZE = 50
    API_MAX_PAGE_SIZE = 200
    # Search index: "whoosh" keeps it in files on this host (SEARCH_INDEX_DIR), fine for one
    # app host; "postgres" keeps it in the PostgreSQL database itself, so several app hosts
    # share one search (needs a PostgreSQL DATABASE_URL and the pg_trgm extension; the app
    # refuses to start otherwise). README "Search backends" says what differs.
    SEARCH_BACKEND = "whoosh"
    SEARCH_INDEX_DIR = ""  # empty: instance/search-index (derived data, rebuilt by reindex)

    LOG_LEVEL = "INFO"
    # "plain" (one readable line) or "json" (one object per line, for log collectors). Either
    # way each line carries its request id, and request lines never name who asked.
    LOG_FORMAT = "plain"
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host
    # headers are trusted. 0 (the default) trusts none: behind nginx set it to 1, or every
    # client shares the proxy's address for login throttling.
    TRUSTED_PROXIES = 0


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Fill ``app.config`` in the documented order and check it."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(prefix="CREDGROUP")
    if overrides:
        app.config.update(overrides)
    if is_production(app):
        apply_production_defaults(app)
    load_or_create_secrets(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app)


def is_production(app: Flask) -> bool:
    return str(app.config.get("ENV", "")).lower() == "production"


def apply_production_defaults(app: Flask) -> None:
    app.config.setdefault("PREFERRED_URL_SCHEME", "https")
    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["REMEMBER_COOKIE_SECURE"] = True


def database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL") or ""
    if not url:
        if is_production(app):
            raise ConfigurationError("CREDGROUP_DATABASE_URL is required in production.")
        url = "sqlite:///" + str(Path(app.instance_path) / "credgroup.db")
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # psycopg 3 is the supported driver; accept the usual short form.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def engine_options(app: Flask) -> dict[str, Any]:
    """The engine options as configured, plus, on PostgreSQL, the parallel workers a query
    may use (``DATABASE_PARALLEL_WORKERS``) as a setting of every connection: a copy,
    keeping any ``connect_args`` and ``options`` given."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    workers = app.config.get("DATABASE_PARALLEL_WORKERS")
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") or workers is None:
        return options
    connect_args = dict(options.get("connect_args") or {})
    setting = f"-c max_parallel_workers_per_gather={int(workers)}"
    connect_args["options"] = " ".join(filter(None, [connect_args.get("options"), setting]))
    options["connect_args"] = connect_args
    return options


def load_or_create_secrets(app: Flask) -> None:
    """Production: require strong secrets. Elsewhere: generate them into the instance folder."""
    missing = [name for name in SECRET_NAMES if not app.config.get(name)]
    if is_production(app):
        for name in SECRET_NAMES:
            check_secret_strength(name, app.config.get(name) or "")
        return
    if not missing:
        return
    stored = _read_or_generate_secret_file(Path(app.instance_path) / "secrets.json")
    for name in missing:
        app.config[name] = stored[name]


def check_secret_strength(name: str, value: str) -> None:
    if value.lower() in KNOWN_BAD_SECRETS or len(value) < MIN_SECRET_LENGTH:
        raise ConfigurationError(
            f"CREDGROUP_{name} must be set to a random value of at least "
            f"{MIN_SECRET_LENGTH} characters in production."
        )


def _read_or_generate_secret_file(path: Path) -> dict[str, str]:
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
    if all(stored.get(name) for name in SECRET_NAMES):
        return stored
    for name in SECRET_NAMES:
        stored.setdefault(name, secrets.token_urlsafe(48))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    # Owner-only: the pseudonym key is what keeps reporters anonymous.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(stored, handle, indent=2)
    os.replace(tmp, path)
    return stored
