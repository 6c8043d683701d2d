"""Bookkeeping for the worker process: the single-runner lease and idempotent job runs."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from credgroup.db import Base, utcnow


class WorkerLease(Base):
    """Held by the one worker allowed to run jobs; a second worker waits instead of
    running everything twice."""

    __tablename__ = "worker_leases"

    name: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(200))
    expires_at: Mapped[datetime]


class JobRun(Base):
    """One row per job and period: a job that already ran for a period does not run again."""

    __tablename__ = "job_runs"
    __table_args__ = (sa.UniqueConstraint("job", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(100))
    period_key: Mapped[str] = mapped_column(sa.String(100))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
