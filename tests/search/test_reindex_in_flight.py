"""``reindex`` while another transaction is still in flight.

On PostgreSQL a transaction takes its outbox row's id from the sequence when it inserts,
not when it commits: a later transaction can commit a higher id first. A rebuild that then
dropped "every row up to the highest id" would drop the row of the change still in flight,
whose document it could not see, and the index would keep the old text for good. (SQLite
lets one writer in at a time, so there the ids commit in order.)
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.reports.models import Report
from credgroup.search.backend import get_backend
from credgroup.search.maintenance import reindex, verify
from credgroup.search.models import SearchOutbox
from tests.fixtures.app import is_postgres
from tests.search.conftest import index_now, search

pytestmark = pytest.mark.skipif(
    not is_postgres(), reason="SQLite admits one writer at a time: ids commit in order there"
)


def test_a_change_committed_after_the_rebuild_read_its_document_is_not_lost(world, monkeypatch):
    ariba = world.reports["ariba"]
    fees = world.reports["coupa_fees"]
    backend = get_backend()
    rebuild = backend.rebuild

    def rebuild_then_commit_the_other(docs, *, timeout):
        docs = list(docs)  # the rebuild has read the database (without the rename) ...
        in_flight.commit()  # ... and now the other request commits
        return rebuild(docs, timeout=timeout)

    monkeypatch.setattr(backend, "rebuild", rebuild_then_commit_the_other)
    with db.engine.connect() as in_flight:
        # Another request: renames a report and queues it, but has not committed yet.
        in_flight.execute(
            sa.update(Report).where(Report.id == ariba.id).values(title="Renamed in flight")
        )
        in_flight.execute(
            sa.insert(SearchOutbox).values(
                doc_type="report", doc_id=ariba.id, op="upsert", last_error=""
            )
        )
        # A third one queues a change with a higher id and commits first.
        db.session.add(SearchOutbox(doc_type="report", doc_id=fees.id, op="upsert", last_error=""))
        db.session.commit()
        reindex()

    assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchOutbox)) == 1
    index_now()
    assert verify().clean
    assert search(world.alice, "renamed in flight").total == 1
