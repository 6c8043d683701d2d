"""Index changes go through the outbox, in the same transaction, and one writer applies
them: a rollback leaves nothing behind, a busy index loses nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.portals.models import Portal
from credgroup.reports import authoring
from credgroup.reports.enums import ReportStatus
from credgroup.search import outbox
from credgroup.search.backend import IndexBusy, get_backend
from credgroup.search.maintenance import verify
from credgroup.search.models import SearchOutbox
from tests.fixtures.search_backends import only
from tests.search.conftest import index_now, publish, search, titles


def rows() -> list[tuple[str, str]]:
    return [(r.doc_type, r.op) for r in db.session.scalars(sa.select(SearchOutbox))]


def test_publishing_writes_an_outbox_row_and_not_the_index(world):
    report = publish(world.alice, world.group, title="Fresh outbox report")
    assert ("report", "upsert") in rows()
    assert search(world.alice, "fresh outbox").total == 0  # not indexed by the request
    index_now()
    assert titles(search(world.alice, "fresh outbox")) == [report.title]
    assert rows() == []


def test_a_rolled_back_change_leaves_no_outbox_row(world):
    data = {"portal": "Coupa", "category": "fees", "title": "Never saved", "body": "x"}
    authoring.publish_report(world.alice, world.group, data)
    assert rows() == [("report", "upsert")]
    db.session.rollback()
    assert rows() == []
    index_now()
    assert search(world.alice, "never saved").total == 0


def test_status_changes_and_withdrawals_reach_the_index(world):
    report = world.reports["ariba"]
    authoring.change_status(world.alice, report, ReportStatus.RESOLVED)
    db.session.commit()
    index_now()
    assert titles(search(world.alice, "status:resolved")) == [report.title]
    authoring.withdraw_report(world.alice, report)
    db.session.commit()
    assert ("report", "delete") in rows()
    index_now()
    assert search(world.alice, "INV-15").total == 0


def test_archived_article_leaves_the_index(world):
    from credgroup.kb.articles import archive_article

    archive_article(world.fran, world.articles["quokka"])
    db.session.commit()
    index_now()
    assert search(world.alice, "quokka").total == 0


def test_renaming_a_portal_reindexes_its_documents(world):
    portal = db.session.scalar(sa.select(Portal).where(Portal.slug == "coupa"))
    portal.aliases = [*portal.aliases, "Zebra Procurement"]
    db.session.commit()
    assert len(rows()) == 3  # the fee reports of both groups and the article
    index_now()
    assert verify().clean
    assert search(world.alice, "procurement").total == 0  # one word of a name is a word
    assert set(titles(search(world.alice, "zebra procurement"))) == {
        "Supplier charged for a premium account",
        "Resubmitting a rejected Coupa invoice",
    }


def test_a_busy_index_keeps_every_row_for_the_next_run(world, monkeypatch):
    publish(world.alice, world.group, title="Waiting for the lock")

    def busy(*args, **kwargs):
        raise IndexBusy("locked")

    monkeypatch.setattr(type(get_backend()), "apply", busy)
    result = outbox.drain()
    assert result.busy and result.applied == 0
    assert len(rows()) == 1
    monkeypatch.undo()
    index_now()
    assert rows() == [] and search(world.alice, "waiting lock").total == 1


def test_a_held_writer_lock_times_out_as_busy_not_as_an_error(world, app):
    app.config["SEARCH_LOCK_TIMEOUT"] = 0.2
    publish(world.alice, world.group, title="Writer lock test")
    with get_backend().exclusive(timeout=0.2):  # as another process would hold it
        result = outbox.drain()
    assert result.busy and len(rows()) == 1
    index_now()
    assert search(world.alice, "writer lock").total == 1


@only("whoosh")
def test_a_held_whoosh_lock_times_out_as_busy_not_as_an_error(world, app):
    app.config["SEARCH_LOCK_TIMEOUT"] = 0.2
    publish(world.alice, world.group, title="Lock holder test")
    backend = get_backend()
    holder = backend._index(backend.live_path()).writer()  # another process's writer
    try:
        result = outbox.drain()
        assert result.busy and len(rows()) == 1
    finally:
        holder.cancel()
    index_now()
    assert search(world.alice, "lock holder").total == 1


def test_a_failing_batch_is_kept_with_its_error(world, monkeypatch):
    publish(world.alice, world.group, title="Broken batch")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("credgroup.search.outbox.load_docs", broken)
    result = outbox.drain()
    assert result.failed == 1
    [row] = db.session.scalars(sa.select(SearchOutbox))
    assert row.attempts == 1 and "disk full" in row.last_error
    monkeypatch.undo()
    index_now()
    assert rows() == []


def test_rows_added_while_a_batch_is_applied_stay_for_the_next(world, monkeypatch):
    publish(world.alice, world.group, title="First of two")
    real_apply = type(get_backend()).apply
    second: list[int] = []

    def apply_and_meanwhile_publish(self, upserts, deletes, *, timeout):
        real_apply(self, upserts, deletes, timeout=timeout)
        if not second:  # another request commits a change during our batch
            second.append(1)
            db.session.add(SearchOutbox(doc_type="report", doc_id=upserts[0].doc_id, op="upsert"))
            db.session.flush()

    monkeypatch.setattr(type(get_backend()), "apply", apply_and_meanwhile_publish)
    first = outbox.apply_batch()
    assert first.applied == 1
    assert len(rows()) == 1  # the row added during the batch was not deleted with it


def test_the_worker_job_applies_the_outbox(world):
    from credgroup.search.jobs import JOBS, apply_outbox_job

    assert [job.id for job in JOBS] == ["search.apply_outbox"]
    publish(world.alice, world.group, title="Applied by the job")
    assert "applied 1" in (apply_outbox_job() or "")
    assert search(world.alice, "applied job").total == 1


@pytest.mark.parametrize("op", ["upsert", "delete"])
def test_applying_is_idempotent(world, op):
    report = world.reports["ariba"]
    for _ in range(3):
        outbox.enqueue("report", report.id, op)
        db.session.commit()
        index_now()
    assert search(world.alice, "INV-15").total == 1  # the database decides, not the op


def test_counts_stay_right_when_a_cached_segment_loses_a_document(world):
    outcome = search(world.alice, "INV-15 OR premium")  # caches the segment's term masks
    assert outcome.total == 2
    authoring.withdraw_report(world.alice, world.reports["ariba"])
    db.session.commit()
    index_now()
    after = search(world.alice, "INV-15 OR premium")
    assert after.total == 1 and titles(after) == ["Supplier charged for a premium account"]
    assert sum(v.count for v in after.facets["type"]) == 1
