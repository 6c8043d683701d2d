"""Attempt throttling kept in the ``login_attempts`` table.

Counting in the database (not in process memory) makes the limits hold across every web
worker and host. Attempts are written in their own short transaction, so a failure still
counts when the request's own transaction is rolled back.

Keys are SHA-256 hashes of the submitted address with a purpose prefix ("login:",
"reset:"), computed whether or not an account exists: the limits behave identically for
known and unknown addresses and the table never holds an email in clear. The per-IP limit
counts failures of every purpose together: one source hammering sign-in or reset alike.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from credgroup.accounts.models import LoginAttempt
from credgroup.db import utcnow
from credgroup.errors import TooManyRequests
from credgroup.extensions import db

LOGIN = "login"
RESET = "reset"
IP_MAX = 45  # column size: the longest textual IPv6 address


def account_key(email: str, purpose: str = LOGIN) -> str:
    normalised = (email or "").strip().lower()
    return hashlib.sha256(f"{purpose}:{normalised}".encode()).hexdigest()


def _window_start() -> datetime:
    return utcnow() - timedelta(minutes=current_app.config["LOGIN_THROTTLE_WINDOW_MINUTES"])


def _failures(*conditions: sa.ColumnElement[bool]) -> int:
    query = sa.select(sa.func.count(LoginAttempt.id)).where(
        LoginAttempt.succeeded.is_(False), *conditions
    )
    return db.session.scalar(query) or 0


def check(key: str, ip: str) -> None:
    """Raise TooManyRequests when the account key or the IP address is over its limit.

    Failures for an account count from the later of the window start and its last success,
    so a person who mistyped and then signed in starts afresh.
    """
    config = current_app.config
    since = _window_start()
    last_success = db.session.scalar(
        sa.select(sa.func.max(LoginAttempt.created_at)).where(
            LoginAttempt.account_key == key,
            LoginAttempt.succeeded.is_(True),
            LoginAttempt.created_at >= since,
        )
    )
    account_since = max(since, last_success) if last_success else since
    over_account = (
        _failures(LoginAttempt.account_key == key, LoginAttempt.created_at > account_since)
        >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    )
    over_ip = (
        _failures(LoginAttempt.ip == _ip(ip), LoginAttempt.created_at >= since)
        >= config["LOGIN_MAX_FAILURES_PER_IP"]
    )
    if over_account or over_ip:
        minutes = config["LOGIN_THROTTLE_WINDOW_MINUTES"]
        raise TooManyRequests(
            f"Too many attempts. For your security, please wait {minutes} minutes "
            "and try again, or reset your password."
        )


def record_attempt(key: str, ip: str, *, succeeded: bool) -> None:
    """Store an attempt in its own transaction (see the module docstring for why)."""
    with db.engine.begin() as connection:
        connection.execute(
            sa.insert(LoginAttempt).values(
                account_key=key, ip=_ip(ip), succeeded=succeeded, created_at=utcnow()
            )
        )


def lift(key: str) -> None:
    """Start the count for ``key`` afresh, in the caller's transaction (after a reset,
    which should unlock the account only if the reset itself is saved)."""
    db.session.add(LoginAttempt(account_key=key, ip="", succeeded=True))


def _ip(ip: str | None) -> str:
    return (ip or "unknown")[:IP_MAX]
