"""Index changes travel through the ``search_outbox`` table.

A change to a report or article adds an outbox row in the same transaction (see
``listeners``), so a rollback leaves none and a crash loses none. The one writer (the
worker's job, or ``flask search apply``) applies rows in batches:

1. take the one-writer lock (with a timeout), held until step 4;
2. read a batch of rows (oldest first), then the current state of their documents, so
   the documents are at least as new as the rows;
3. put searchable documents in the index, take the others out (the row's ``op`` is a
   hint: the database decides), commit the index;
4. delete exactly the rows it read (a row added meanwhile stays for the next batch).

If the lock stays taken (a rebuild, another writer) nothing is read or deleted and the
batch is retried later. A crash between 3 and 4 leaves the rows, and applying them again
is harmless because step 3 is idempotent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from credgroup.extensions import db
from credgroup.search.backend import IndexBusy, IndexDoc, doc_key, get_backend
from credgroup.search.documents import load_docs
from credgroup.search.models import SearchOutbox

BATCH = 500
DEFAULT_LOCK_TIMEOUT = 5.0
MAX_ERROR = 500


def enqueue(doc_type: str, doc_id: int, op: str = "upsert") -> None:
    """Ask for a document to be (re)indexed or removed, in the caller's transaction.

    Skips a duplicate already waiting in this same unflushed transaction."""
    wanted = (doc_type, doc_id, op)
    for pending in db.session.new:
        if (
            isinstance(pending, SearchOutbox)
            and (pending.doc_type, pending.doc_id, pending.op) == wanted
        ):
            return
    db.session.add(SearchOutbox(doc_type=doc_type, doc_id=doc_id, op=op, last_error=""))


@dataclass
class ApplyResult:
    applied: int = 0  # outbox rows done
    indexed: int = 0
    removed: int = 0
    busy: bool = False  # the index lock was taken: rows kept for the next run
    failed: int = 0

    def __str__(self) -> str:
        if self.busy:
            return "index busy; will retry"
        return f"applied {self.applied} (indexed {self.indexed}, removed {self.removed})"


def lock_timeout() -> float:
    return float(current_app.config.get("SEARCH_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))


def apply_batch(limit: int = BATCH) -> ApplyResult:
    """Apply up to ``limit`` outbox rows to the index and commit. See the module docstring."""
    backend = get_backend()
    try:
        with backend.exclusive(lock_timeout()):
            return _apply_rows(backend, limit)
    except IndexBusy:
        db.session.rollback()
        return ApplyResult(busy=True)


def _apply_rows(backend, limit: int) -> ApplyResult:
    rows = list(
        db.session.scalars(
            sa.select(SearchOutbox).order_by(SearchOutbox.attempts, SearchOutbox.id).limit(limit)
        )
    )
    if not rows:
        db.session.rollback()
        return ApplyResult()
    row_ids = [row.id for row in rows]
    ids_by_type: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        ids_by_type[row.doc_type].add(row.doc_id)
    try:
        upserts, deletes = _changes(ids_by_type)
        backend.apply(upserts, deletes, timeout=lock_timeout())
    except IndexBusy:
        raise
    except Exception as error:  # recorded on the rows, retried later
        return _record_failure(row_ids, error)
    db.session.execute(sa.delete(SearchOutbox).where(SearchOutbox.id.in_(row_ids)))
    db.session.commit()
    return ApplyResult(applied=len(rows), indexed=len(upserts), removed=len(deletes))


def _changes(ids_by_type: dict[str, set[int]]) -> tuple[list[IndexDoc], list[str]]:
    upserts: list[IndexDoc] = []
    deletes: list[str] = []
    for doc_type, ids in ids_by_type.items():
        docs = load_docs(doc_type, ids)
        upserts += docs.values()
        deletes += [doc_key(doc_type, i) for i in sorted(ids) if i not in docs]
    return upserts, deletes


def _record_failure(row_ids: list[int], error: Exception) -> ApplyResult:
    db.session.rollback()
    message = f"{type(error).__name__}: {error}"[:MAX_ERROR]
    current_app.logger.exception("search outbox batch failed; kept for retry")
    db.session.execute(
        sa.update(SearchOutbox)
        .where(SearchOutbox.id.in_(row_ids))
        .values(attempts=SearchOutbox.attempts + 1, last_error=message)
    )
    db.session.commit()
    return ApplyResult(failed=len(row_ids))


def drain(max_batches: int = 1000, limit: int = BATCH) -> ApplyResult:
    """Apply batches until the outbox is empty, the index stays busy, or a batch fails."""
    total = ApplyResult()
    for _ in range(max_batches):
        result = apply_batch(limit)
        total.applied += result.applied
        total.indexed += result.indexed
        total.removed += result.removed
        total.failed += result.failed
        if result.busy:
            total.busy = True
        if result.busy or result.failed or not result.applied:
            break
    return total


def pending_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SearchOutbox)) or 0
