"""Draining the email outbox: claim a row, send it, record the outcome; one at a time.

Safe with several drainers at once (two workers, a worker and ``flask mail drain``):

* A row is *claimed* in a short transaction that moves its ``next_attempt_at`` forward by a
  lease and counts the attempt. PostgreSQL picks the candidate with ``FOR UPDATE SKIP
  LOCKED`` so drainers never wait on each other; the claim itself is a conditional UPDATE
  whose row count says whether we won, which is what makes it safe on SQLite too.
* No transaction is open while talking to the SMTP server.
* A sent row keeps its envelope but not its body: bodies carry invitation and reset
  links, and the outbox is a queue, not an archive. Old rows are purged daily.
* The outcome is committed per message, so a crash loses nothing: claimed rows become
  due again when their lease runs out, and only the one in flight can be sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import Flask, current_app

from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.notify.mailer import Mailer, MailSettings, PermanentMailError, build_message
from credgroup.notify.models import OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)
# Long enough to answer "did the invitation go out?"; pending rows are never purged.
OUTBOX_RETENTION = timedelta(days=30)
MAX_ERROR_LENGTH = 500
# A claimed row is left alone this long; it must outlast the slowest possible send
# (connect, STARTTLS, login, data: each may take up to MAIL_TIMEOUT).
MIN_CLAIM_SECONDS = 300


@dataclass
class DrainResult:
    """What one drain did."""

    sent: int = 0
    retrying: int = 0
    gave_up: int = 0

    def __str__(self) -> str:
        return f"sent {self.sent}, retrying {self.retrying}, gave up {self.gave_up}"


@dataclass(frozen=True)
class ClaimedEmail:
    """A plain copy of a claimed row, so no session or transaction is held while sending."""

    id: int
    to_addr: str
    subject: str
    body_text: str
    body_html: str | None
    attempts: int
    created_at: datetime
    attachment_name: str | None = None
    attachment_type: str | None = None
    attachment_text: str | None = None


def drain_outbox(
    app: Flask | None = None, *, limit: int = 100, now: datetime | None = None
) -> DrainResult:
    """Send up to ``limit`` due emails, committing each outcome.

    Runs in ``app``'s context (a fresh one) when given, else in the current one, whose
    session it commits. ``now`` pins the clock (tests).
    """
    if app is not None:
        with app.app_context():
            return drain_outbox(limit=limit, now=now)
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    config = current_app.config
    settings = MailSettings.from_config(config, current_app.instance_path)
    max_attempts = int(config["MAIL_MAX_ATTEMPTS"])
    claim_for = timedelta(seconds=max(MIN_CLAIM_SECONDS, 10 * settings.timeout))
    result = DrainResult()
    db.session.commit()  # start from a clean transaction
    with Mailer(settings) as mailer:
        for _ in range(limit):
            email = claim_next_email(clock(), claim_for)
            if email is None:
                break
            _deliver(mailer, settings, email, max_attempts, clock, result)
    return result


def claim_next_email(now: datetime, claim_for: timedelta) -> ClaimedEmail | None:
    """Claim the oldest due email for this drainer, or None when nothing is due."""
    while True:
        row_id = db.session.scalar(
            sa.select(OutboxEmail.id)
            .where(OutboxEmail.status == OutboxStatus.PENDING, OutboxEmail.next_attempt_at <= now)
            .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if row_id is None:
            db.session.commit()
            return None
        won = db.session.execute(
            sa.update(OutboxEmail)
            .where(
                OutboxEmail.id == row_id,
                OutboxEmail.status == OutboxStatus.PENDING,
                OutboxEmail.next_attempt_at <= now,
            )
            .values(attempts=OutboxEmail.attempts + 1, next_attempt_at=now + claim_for)
            .execution_options(synchronize_session=False)
        )
        if won.rowcount != 1:  # another drainer claimed it between our read and write
            db.session.commit()
            continue
        row = db.session.get(OutboxEmail, row_id, populate_existing=True)
        assert row is not None
        email = ClaimedEmail(
            id=row.id,
            to_addr=row.to_addr,
            subject=row.subject,
            body_text=row.body_text,
            body_html=row.body_html,
            attempts=row.attempts,
            created_at=row.created_at,
            attachment_name=row.attachment_name,
            attachment_type=row.attachment_type,
            attachment_text=row.attachment_text,
        )
        db.session.commit()
        return email


def _deliver(
    mailer: Mailer,
    settings: MailSettings,
    email: ClaimedEmail,
    max_attempts: int,
    clock: Callable[[], datetime],
    result: DrainResult,
) -> None:
    if email.attempts > max_attempts:
        # Earlier attempts never recorded an outcome (the worker died mid-send).
        _record_failure(email, "delivery was interrupted", True, clock(), max_attempts)
        result.gave_up += 1
        return
    try:
        mailer.send(message_for(email, settings))
    except PermanentMailError as exc:
        _record_failure(email, describe_error(exc, settings), True, clock(), max_attempts)
        result.gave_up += 1
    except Exception as exc:
        gave_up = email.attempts >= max_attempts
        _record_failure(email, describe_error(exc, settings), gave_up, clock(), max_attempts)
        if gave_up:
            result.gave_up += 1
        else:
            result.retrying += 1
    else:
        _record_success(email, clock())
        result.sent += 1


def message_for(email: ClaimedEmail, settings: MailSettings) -> EmailMessage:
    """The message for an outbox row. Its Message-ID is stable across retries, so a
    message sent twice after a crash can be recognised as one by mail clients."""
    message_id = f"<outbox.{email.id}.{email.created_at:%Y%m%d%H%M%S}@{settings.sender_domain}>"
    return build_message(
        sender=settings.sender,
        to=email.to_addr,
        subject=email.subject,
        text=email.body_text,
        html=email.body_html,
        message_id=message_id,
        attachment=(email.attachment_name, email.attachment_type, email.attachment_text)
        if email.attachment_name and email.attachment_text is not None
        else None,
    )


def _record_success(email: ClaimedEmail, now: datetime) -> None:
    _update(
        email.id,
        status=OutboxStatus.SENT,
        sent_at=now,
        last_error="",
        body_text="",
        body_html=None,
        attachment_text=None,
    )
    logger.info("Sent outbox email %s (attempt %s)", email.id, email.attempts)


def _record_failure(
    email: ClaimedEmail, error: str, give_up: bool, now: datetime, max_attempts: int
) -> None:
    if give_up:
        _update(email.id, status=OutboxStatus.FAILED, last_error=error)
        logger.error(
            "Gave up on outbox email %s after %s attempts: %s", email.id, email.attempts, error
        )
        return
    retry_at = now + backoff(email.attempts)
    _update(email.id, next_attempt_at=retry_at, last_error=error)
    logger.warning(
        "Outbox email %s failed (attempt %s of %s), retrying at %s: %s",
        email.id,
        email.attempts,
        max_attempts,
        retry_at.isoformat(timespec="seconds"),
        error,
    )


def _update(email_id: int, **values: object) -> None:
    db.session.execute(
        sa.update(OutboxEmail)
        .where(OutboxEmail.id == email_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: 1, 2, 4, 8... minutes, at most an hour."""
    minutes = 2 ** min(max(attempts - 1, 0), 10)
    return min(timedelta(minutes=minutes), MAX_BACKOFF)


def describe_error(exc: BaseException, settings: MailSettings) -> str:
    """A short, single-line description of a failure, with the SMTP password removed."""
    code = getattr(exc, "smtp_code", None)
    reply = getattr(exc, "smtp_error", None)
    if isinstance(code, int) and isinstance(reply, bytes):
        text = f"{type(exc).__name__}: {code} {reply.decode('utf-8', 'replace')}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    if settings.password:
        text = text.replace(settings.password, "***")
    return " ".join(text.split())[:MAX_ERROR_LENGTH]


def purge_old_emails(now: datetime | None = None) -> int:
    """Delete sent and given-up emails older than OUTBOX_RETENTION; the caller commits."""
    cutoff = (now or utcnow()) - OUTBOX_RETENTION
    return db.session.execute(
        sa.delete(OutboxEmail)
        .where(
            sa.or_(
                sa.and_(OutboxEmail.status == OutboxStatus.SENT, OutboxEmail.sent_at < cutoff),
                sa.and_(OutboxEmail.status == OutboxStatus.FAILED, OutboxEmail.created_at < cutoff),
            )
        )
        .execution_options(synchronize_session=False)
    ).rowcount


def recent_emails(limit: int = 20, status: OutboxStatus | None = None) -> list[OutboxEmail]:
    """The newest outbox rows, for operators (``flask mail list``)."""
    query = sa.select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(limit)
    if status is not None:
        query = query.where(OutboxEmail.status == status)
    return list(db.session.scalars(query))
