"""Putting generated documents into search: through the outbox (the worker indexes them at
its pace, as it would after any bulk change) or by rebuilding the index right away."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import sqlalchemy as sa

from credgroup.demo.scale.context import Run
from credgroup.extensions import db
from credgroup.kb.models import Article, ArticleState
from credgroup.reports.enums import ContributionState
from credgroup.reports.models import Report
from credgroup.search.models import SearchOutbox

INDEX_CHOICES = ("outbox", "reindex", "none")
HEARTBEAT_SECONDS = 30.0


def _searchable_ids(first_report: int, first_article: int) -> list[tuple[str, sa.Select]]:
    reports = (
        sa.select(Report.id)
        .where(Report.id >= first_report, Report.state == ContributionState.PUBLISHED)
        .order_by(Report.id)
    )
    articles = (
        sa.select(Article.id)
        .where(Article.id >= first_article, Article.state == ArticleState.PUBLISHED)
        .order_by(Article.id)
    )
    return [("report", reports), ("article", articles)]


def fill_outbox(run: Run, first_report: int, first_article: int) -> int:
    """One "upsert" outbox row per generated searchable document, in id order (the order
    the writer applies them)."""
    count = 0
    for doc_type, ids in _searchable_ids(first_report, first_article):
        doc_ids = list(db.session.scalars(ids))
        run.write(
            SearchOutbox,
            [
                {
                    "id": run.writer.next_id(SearchOutbox),
                    "doc_type": doc_type,
                    "doc_id": i,
                    "op": "upsert",
                    "attempts": 0,
                    "last_error": "",
                }
                for i in doc_ids
            ],
        )
        count += len(doc_ids)
    run.count("search outbox rows", count)
    return count


def rebuild_index(say: Callable[[str], None]) -> tuple[int, float]:
    """``flask search reindex`` (every searchable document, the generated ones and the rest),
    with a heartbeat while it runs. Returns (documents, seconds)."""
    from credgroup.search.maintenance import reindex

    done = threading.Event()
    started = time.perf_counter()

    def heartbeat() -> None:
        while not done.wait(HEARTBEAT_SECONDS):
            say(f"  still indexing after {time.perf_counter() - started:.0f} s")

    ticker = threading.Thread(target=heartbeat, daemon=True)
    ticker.start()
    try:
        count = reindex()
    finally:
        done.set()
        ticker.join()
    return count, time.perf_counter() - started
