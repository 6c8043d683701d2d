"""The daily accounts purge removes only what nobody needs any more."""

from __future__ import annotations

import itertools
from datetime import timedelta

import sqlalchemy as sa

from credgroup.accounts.jobs import JOBS, purge_account_records
from credgroup.accounts.models import Invitation, LoginAttempt, PasswordResetToken, Role
from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.worker.scheduler import run_job

_hashes = (f"{n:064x}" for n in itertools.count(1))


def reset_token(user, *, expires_in: timedelta, used: bool = False) -> PasswordResetToken:
    now = utcnow()
    token = PasswordResetToken(
        user=user,
        token_hash=next(_hashes),
        expires_at=now + expires_in,
        used_at=now - timedelta(minutes=1) if used else None,
    )
    db.session.add(token)
    return token


def invitation(name: str, *, expired_days_ago: float, accepted: bool = False) -> Invitation:
    now = utcnow()
    invite = Invitation(
        token_hash=next(_hashes),
        email=f"{name}@supplier.example",
        name=name,
        role=Role.MEMBER,
        expires_at=now - timedelta(days=expired_days_ago),
        accepted_at=now - timedelta(days=40) if accepted else None,
    )
    db.session.add(invite)
    return invite


def attempt(ip: str, *, hours_ago: float) -> LoginAttempt:
    row = LoginAttempt(
        account_key="k" * 64, ip=ip, created_at=utcnow() - timedelta(hours=hours_ago)
    )
    db.session.add(row)
    return row


def remaining(column) -> set:
    db.session.expire_all()
    return set(db.session.scalars(sa.select(column)))


def test_purge_removes_only_used_and_expired_reset_tokens(app, factory):
    user = factory.member()
    reset_token(user, expires_in=timedelta(minutes=-1))  # expired
    reset_token(user, expires_in=timedelta(minutes=30), used=True)
    live = reset_token(user, expires_in=timedelta(minutes=30))
    db.session.commit()
    live_hash = live.token_hash

    counts = purge_account_records()
    db.session.commit()

    assert counts["reset_tokens"] == 2
    assert remaining(PasswordResetToken.token_hash) == {live_hash}


def test_purge_removes_unaccepted_invitations_expired_over_30_days_ago(app):
    invitation("old", expired_days_ago=31)
    invitation("recent", expired_days_ago=29)
    invitation("accepted", expired_days_ago=45, accepted=True)
    invitation("open", expired_days_ago=-2)  # still valid
    db.session.commit()

    counts = purge_account_records()
    db.session.commit()

    assert counts["invitations"] == 1
    assert remaining(Invitation.name) == {"recent", "accepted", "open"}


def test_purge_removes_sign_in_attempts_older_than_a_day(app):
    attempt("10.0.0.1", hours_ago=25)
    attempt("10.0.0.2", hours_ago=23)
    attempt("10.0.0.3", hours_ago=0)
    db.session.commit()

    counts = purge_account_records()
    db.session.commit()

    assert counts["login_attempts"] == 1
    assert remaining(LoginAttempt.ip) == {"10.0.0.2", "10.0.0.3"}


def test_purge_is_idempotent(app):
    attempt("10.0.0.1", hours_ago=48)
    db.session.commit()

    first = purge_account_records()
    db.session.commit()
    second = purge_account_records()

    assert first["login_attempts"] == 1
    assert second == {"reset_tokens": 0, "invitations": 0, "login_attempts": 0}


def test_purge_job_reports_counts_and_runs_once_a_day(app):
    [spec] = JOBS
    attempt("10.0.0.1", hours_ago=48)
    db.session.commit()

    first = run_job(app, spec)
    attempt("10.0.0.2", hours_ago=48)
    db.session.commit()
    second = run_job(app, spec)

    assert first.status == "ok"
    assert first.detail == "reset_tokens 0, invitations 0, login_attempts 1"
    assert second.status == "skipped"
    assert remaining(LoginAttempt.ip) == {"10.0.0.2"}  # waits for tomorrow
