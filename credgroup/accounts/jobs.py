"""Scheduled housekeeping for accounts: drop credentials and records nobody needs any more."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from credgroup.accounts.models import Invitation, LoginAttempt, PasswordResetToken
from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.worker.registry import JobSpec

# Kept a while after expiry so an admin can still see why an invitee could not get in.
EXPIRED_INVITATION_RETENTION = timedelta(days=30)
# Far longer than any throttling window; older attempts only hold IP addresses.
LOGIN_ATTEMPT_RETENTION = timedelta(days=1)


def purge_account_records(now: datetime | None = None) -> dict[str, int]:
    """Delete used or expired password-reset tokens, unaccepted invitations that expired
    more than 30 days ago and sign-in attempts older than a day. Idempotent; the caller
    commits. Returns how many rows of each kind went."""
    now = now or utcnow()
    return {
        "reset_tokens": _delete(
            sa.delete(PasswordResetToken).where(
                sa.or_(
                    PasswordResetToken.expires_at < now,
                    PasswordResetToken.used_at.is_not(None),
                )
            )
        ),
        "invitations": _delete(
            sa.delete(Invitation).where(
                Invitation.accepted_at.is_(None),
                Invitation.expires_at < now - EXPIRED_INVITATION_RETENTION,
            )
        ),
        "login_attempts": _delete(
            sa.delete(LoginAttempt).where(LoginAttempt.created_at < now - LOGIN_ATTEMPT_RETENTION)
        ),
    }


def purge_account_records_job() -> str:
    """Purge expired account records (reset tokens, old invitations, sign-in attempts)."""
    counts = purge_account_records()
    return ", ".join(f"{name} {count}" for name, count in counts.items())


def _delete(statement: sa.Delete) -> int:
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount


JOBS = (
    JobSpec(
        id="accounts.purge_expired_records",
        func=purge_account_records_job,
        trigger="cron",
        trigger_args={"hour": 3, "minute": 30},
        # A worker that was down at 03:30 still purges when it is back the same day.
        misfire_grace_time=12 * 60 * 60,
        period="daily",
    ),
)
