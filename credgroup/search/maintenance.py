"""Rebuilding the index from the database, and checking the two agree."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.search.backend import get_backend
from credgroup.search.documents import all_docs
from credgroup.search.models import SearchOutbox
from credgroup.search.outbox import lock_timeout

REBUILD_LOCK_TIMEOUT = 60.0
DELETE_CHUNK = 1000


def reindex() -> int:
    """Build a new index from every searchable document, swap it in, and drop the outbox
    rows it already covers. Returns how many documents it holds."""
    backend = get_backend()
    timeout = max(lock_timeout(), REBUILD_LOCK_TIMEOUT)
    with backend.exclusive(timeout):  # no outbox writer meanwhile
        # The rows committed by now: the rebuild reads the database after this point, so
        # their changes are in it. Exactly these rows go, not "every id up to the highest":
        # on PostgreSQL a transaction still in flight holds a lower id from the sequence
        # and may commit after the rebuild read its document; its row stays for the writer.
        covered = list(db.session.scalars(sa.select(SearchOutbox.id)))
        db.session.commit()  # the rebuild reads through its own session, after this point
        count = backend.rebuild(all_docs(), timeout=timeout)
        for start in range(0, len(covered), DELETE_CHUNK):
            chunk = covered[start : start + DELETE_CHUNK]
            db.session.execute(sa.delete(SearchOutbox).where(SearchOutbox.id.in_(chunk)))
        db.session.commit()
    return count


@dataclass
class Drift:
    """Where the index and the database disagree."""

    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    extra: list[str] = field(default_factory=list)  # in the index, not (searchable) in the db
    stale: list[str] = field(default_factory=list)  # in both, but the index is out of date
    checked: int = 0
    pending: int = 0  # outbox rows not yet applied (they explain drift that is on its way)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def verify() -> Drift:
    """Compare every searchable document with the index (keys and fingerprints)."""
    indexed = get_backend().fingerprints()
    drift = Drift(pending=db.session.scalar(sa.select(sa.func.count(SearchOutbox.id))) or 0)
    seen = set()
    for doc in all_docs():
        drift.checked += 1
        seen.add(doc.key)
        if doc.key not in indexed:
            drift.missing.append(doc.key)
        elif indexed[doc.key] != doc.fingerprint:
            drift.stale.append(doc.key)
    drift.extra = sorted(set(indexed) - seen)
    return drift
