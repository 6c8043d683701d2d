"""From database rows to index documents: the one place deciding what the index holds.

Only public fields go in: title, text (the report's scrubbed body and workaround, the
article's problem and workaround), error text, tags, portal names, categories, status,
group, public id, the publication day and confirmation counts. Never a pseudonym, an
author, a company, a buyer name or a time of day.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, replace
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from credgroup.extensions import db
from credgroup.kb.models import Article, ArticleConfirmation, ArticleState, FreshnessKind
from credgroup.reports.enums import ContributionState
from credgroup.reports.models import Report, ReportConfirmation
from credgroup.search.backend import ASSOCIATION_SCOPE, IndexDoc, group_scope

BATCH = 500
MODELS = {"report": Report, "article": Article}


def _day(value: date | None) -> int:
    return value.toordinal() if value else 0


def _names(portal) -> str:
    return " ".join(portal.all_names) if portal is not None else ""


def fingerprint(doc: IndexDoc) -> str:
    fields = asdict(doc)
    fields.pop("fingerprint")
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:24]


def _finish(doc: IndexDoc) -> IndexDoc:
    return replace(doc, fingerprint=fingerprint(doc))


def report_doc(report: Report, confirmed: int) -> IndexDoc:
    return _finish(
        IndexDoc(
            doc_type="report",
            doc_id=report.id,
            public_id=report.public_id,
            title=report.title,
            body="\n\n".join(t for t in (report.body, report.workaround) if t),
            error_text=report.error_message or "",
            keywords="",
            portal=report.portal.slug if report.portal else "",
            portal_names=_names(report.portal),
            categories=(report.category.value,),
            status=report.status.value,
            scope=group_scope(report.group_id),
            published_day=_day(report.published_on),
            confirmed=confirmed,
        )
    )


def article_doc(article: Article, confirmed: int) -> IndexDoc:
    return _finish(
        IndexDoc(
            doc_type="article",
            doc_id=article.id,
            public_id=article.public_id,
            title=article.title,
            body="\n\n".join(t for t in (article.problem, article.workaround) if t),
            error_text=article.error_text or "",
            keywords=" ".join(article.tags or ()),
            portal=article.portal.slug if article.portal else "",
            portal_names=_names(article.portal),
            categories=tuple(article.categories or ()),
            status="",
            scope=group_scope(article.group_id) if article.group_id else ASSOCIATION_SCOPE,
            published_day=_day(article.published_on),
            confirmed=confirmed,
        )
    )


def searchable(doc_type: str) -> sa.ColumnElement[bool]:
    """Which rows belong in the index: published reports and published articles."""
    if doc_type == "report":
        return Report.state == ContributionState.PUBLISHED
    return Article.state == ArticleState.PUBLISHED


def _report_confirmations(session: Session, ids: Sequence[int]) -> dict[int, int]:
    rows = session.execute(
        sa.select(ReportConfirmation.report_id, sa.func.count())
        .where(ReportConfirmation.report_id.in_(ids))
        .group_by(ReportConfirmation.report_id)
    )
    return {doc_id: count for doc_id, count in rows}


def _article_confirmations(session: Session, ids: Sequence[int]) -> dict[int, int]:
    rows = session.execute(
        sa.select(ArticleConfirmation.article_id, sa.func.count())
        .where(
            ArticleConfirmation.article_id.in_(ids),
            ArticleConfirmation.kind == FreshnessKind.WORKED,
        )
        .group_by(ArticleConfirmation.article_id)
    )
    return {doc_id: count for doc_id, count in rows}


def _build(session: Session, doc_type: str, rows: Sequence) -> list[IndexDoc]:
    ids = [row.id for row in rows]
    if doc_type == "report":
        counts = _report_confirmations(session, ids)
        return [report_doc(row, counts.get(row.id, 0)) for row in rows]
    counts = _article_confirmations(session, ids)
    return [article_doc(row, counts.get(row.id, 0)) for row in rows]


def load_docs(doc_type: str, ids: Iterable[int]) -> dict[int, IndexDoc]:
    """The index documents of those ids that are searchable now (others are absent)."""
    model = MODELS[doc_type]
    wanted = sorted(set(ids))
    docs: dict[int, IndexDoc] = {}
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        query = (
            sa.select(model)
            .options(selectinload(model.portal))
            .where(model.id.in_(chunk), searchable(doc_type))
        )
        rows = list(db.session.scalars(query))
        docs.update((doc.doc_id, doc) for doc in _build(db.session, doc_type, rows))
    return docs


def all_docs() -> Iterator[IndexDoc]:
    """Every committed searchable document, in batches (for ``reindex`` and ``verify``).

    Reads through a session of its own, cleared per batch, so memory stays flat on a large
    database and the caller's session is left alone."""
    with Session(db.engine) as session:
        for doc_type, model in MODELS.items():
            yield from _all_of(session, doc_type, model)


def _all_of(session: Session, doc_type: str, model) -> Iterator[IndexDoc]:
    last_id = 0
    while True:
        query = (
            sa.select(model)
            .options(selectinload(model.portal))
            .where(searchable(doc_type), model.id > last_id)
            .order_by(model.id)
            .limit(BATCH)
        )
        rows = list(session.scalars(query))
        if not rows:
            return
        yield from _build(session, doc_type, rows)
        last_id = rows[-1].id
        session.expunge_all()
