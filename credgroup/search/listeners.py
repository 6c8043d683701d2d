"""Signal receivers that keep the index in step, by writing outbox rows only.

Reports and the knowledge base send their signals inside the transaction that made the
change, so each receiver's outbox row commits or rolls back with it. No receiver touches
the index: web requests never write it (Whoosh has one writer; see ``outbox``).

Portals have no signals; a renamed portal, new aliases or a merge change what its
documents are found by, so a session hook queues those documents too.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.kb import signals as kb_signals
from credgroup.kb.models import Article
from credgroup.portals.models import Portal
from credgroup.reports import signals as report_signals
from credgroup.reports.models import Report
from credgroup.search.outbox import enqueue

PORTAL_FIELDS = ("name", "aliases", "slug", "merged_into_id")


def _ensure_id(obj: Any) -> int:
    if obj.id is None:
        db.session.flush()
    return obj.id


def on_report_saved(report: Report, **_: Any) -> None:
    enqueue("report", _ensure_id(report), "upsert")


def on_report_removed(report: Report, **_: Any) -> None:
    enqueue("report", _ensure_id(report), "delete")


def on_article_saved(article: Article, **_: Any) -> None:
    enqueue("article", _ensure_id(article), "upsert")


def on_article_removed(article: Article, **_: Any) -> None:
    enqueue("article", _ensure_id(article), "delete")


def _changed_portals(session) -> list[int]:
    changed = []
    for obj in session.dirty:
        if isinstance(obj, Portal) and obj.id is not None:
            state = sa.inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in PORTAL_FIELDS):
                changed.append(obj.id)
    return changed


def on_before_flush(session, flush_context, instances) -> None:
    """Queue every document of a portal whose names changed (rename, aliases, merge)."""
    portal_ids = _changed_portals(session)
    if not portal_ids:
        return
    with session.no_autoflush:
        for doc_type, model in (("report", Report), ("article", Article)):
            ids = session.scalars(sa.select(model.id).where(model.portal_id.in_(portal_ids)))
            for doc_id in ids:
                enqueue(doc_type, doc_id, "upsert")


def connect_receivers() -> None:
    """Listen to reports, the knowledge base and portal changes (idempotent)."""
    report_signals.report_published.connect(on_report_saved)
    report_signals.report_changed.connect(on_report_saved)
    report_signals.report_removed.connect(on_report_removed)
    kb_signals.article_saved.connect(on_article_saved)
    kb_signals.article_removed.connect(on_article_removed)
    if not sa.event.contains(db.session, "before_flush", on_before_flush):
        sa.event.listen(db.session, "before_flush", on_before_flush)
