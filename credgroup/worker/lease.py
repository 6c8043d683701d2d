"""The single-runner lease: one row per name, held by one worker until it expires.

Acquiring is one conditional UPDATE (take the row if it is ours or has expired), then an
INSERT that does nothing on conflict (for the very first worker). Both are atomic in the
database, so two workers racing for the lease cannot both win. Renewing is acquiring
again before expiry; a worker that fails to renew has lost the lease and must stop.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.worker.models import WorkerLease

SCHEDULER_LEASE = "scheduler"


def make_holder() -> str:
    """Who holds a lease: readable for operators, unique per process start."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[:200]


@dataclass(frozen=True)
class LeaseInfo:
    holder: str
    expires_at: datetime


@dataclass
class Lease:
    """A named lease for ``holder``. Every method commits its own short transaction, so
    call it from an app context whose session has nothing else pending."""

    holder: str
    seconds: float
    name: str = SCHEDULER_LEASE

    def acquire(self, now: datetime | None = None) -> bool:
        """Take (or renew) the lease; False while someone else holds an unexpired one."""
        now = now or utcnow()
        expires_at = now + timedelta(seconds=self.seconds)
        taken = db.session.execute(
            sa.update(WorkerLease)
            .where(
                WorkerLease.name == self.name,
                sa.or_(WorkerLease.holder == self.holder, WorkerLease.expires_at < now),
            )
            .values(holder=self.holder, expires_at=expires_at)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken != 1:
            inserted = db.session.scalar(
                _insert_if_absent(name=self.name, holder=self.holder, expires_at=expires_at)
            )
            taken = 1 if inserted is not None else 0
        db.session.commit()
        return taken == 1

    renew = acquire

    def release(self) -> None:
        """Give the lease up now (clean shutdown), if we still hold it."""
        db.session.execute(
            sa.delete(WorkerLease)
            .where(WorkerLease.name == self.name, WorkerLease.holder == self.holder)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()

    def current(self) -> LeaseInfo | None:
        """Who holds the lease now (possibly an expired holder), for log messages."""
        row = db.session.execute(
            sa.select(WorkerLease.holder, WorkerLease.expires_at).where(
                WorkerLease.name == self.name
            )
        ).first()
        db.session.commit()
        return LeaseInfo(row.holder, row.expires_at) if row else None


def _insert_if_absent(**values: object) -> sa.Executable:
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only PostgreSQL and SQLite are supported
        raise RuntimeError(f"unsupported database for the worker lease: {dialect}")
    # RETURNING says whether a row went in (the driver's row count is not reliable here).
    return (
        insert(WorkerLease)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["name"])
        .returning(WorkerLease.name)
    )
