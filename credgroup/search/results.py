"""Turning backend hits into what people see.

The index is derived data: every hit is reloaded from the database by id and checked
there again (still published, in a group the viewer may see) before anything about it
is shown. A hit that fails the check is dropped and queued for reindexing. What a report
hit shows comes from ``reports.presenters.report_summary``, like every report page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import current_app, url_for
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from credgroup.extensions import db
from credgroup.kb.models import Article, ArticleState
from credgroup.reports.enums import ConfirmationKind, ContributionState
from credgroup.reports.models import Report, ReportConfirmation
from credgroup.reports.presenters import report_summary
from credgroup.search.backend import ASSOCIATION_SCOPE, BackendHit, get_backend, group_scope
from credgroup.search.outbox import enqueue
from credgroup.search.vocabulary import (
    TYPES,
    category_label,
    portal_names,
    scope_label,
    status_label,
)

if TYPE_CHECKING:
    from credgroup.groups.models import CreditGroup

SNIPPET_LENGTH = 240
# Where an article is read; the knowledge base owns the page (tried in order).
ARTICLE_ENDPOINTS = ("kb.article_detail", "kb.article", "kb.article_page")


@dataclass
class SearchHit:
    doc_type: str
    public_id: str
    title: str
    snippet: Markup
    url: str
    score: float
    group: CreditGroup | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def type_label(self) -> str:
        return "Report" if self.doc_type == "report" else "Article"


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool = False


CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
TAG = re.compile(r"<[^>]*>")
MARKUP = re.compile(r"^\s*(?:[#>]+|[-*+]|\d+[.)])\s+|[*_~]{1,3}|^[-=*_]{3,}\s*$", re.M)
SNIPPET_SOURCE = 3_000  # characters of each text looked at for the snippet


def plain_text(markdown_text: str) -> str:
    """Markdown as the words a reader sees, roughly and fast: link texts without their
    addresses, no emphasis or heading marks, no raw HTML tags (the page drops them too),
    code spans as written."""
    if not markdown_text:
        return ""
    parts = CODE_SPAN.split(markdown_text[:SNIPPET_SOURCE])
    # split() gives [text, ticks, code, text, ticks, code, ...]
    words = []
    for i, part in enumerate(parts):
        if i % 3 == 0:
            part = MARKUP.sub(" ", TAG.sub(" ", LINK.sub(r"\1", part)))
            words.append(html.unescape(part))
        elif i % 3 == 2:
            words.append(part)
    return re.sub(r"\s+", " ", " ".join(words)).strip()


def snippet_text(texts: list[str]) -> str:
    """What a hit's snippet is cut from: its texts as a reader sees them, joined."""
    return " … ".join(t for t in (plain_text(x) for x in texts) if t)[:SNIPPET_SOURCE]


def snippets(texts: list[str], terms: frozenset[str]) -> list[Markup]:
    """The snippets of a page of hits, asked of the backend at once (the postgres backend
    makes them all in one statement instead of one each)."""
    marked = get_backend().highlights(texts, terms, length=SNIPPET_LENGTH)
    # highlights() escapes every character of the texts themselves; only <mark> is added.
    return [Markup(html_text) for html_text in marked]  # noqa: S704


def load_hits(
    hits: list[BackendHit], scope_groups: dict[str, CreditGroup], terms: frozenset[str]
) -> list[SearchHit]:
    """The hits the viewer may see, in the backend's order."""
    reports = _load(Report, [h.doc_id for h in hits if h.doc_type == "report"])
    articles = _load(Article, [h.doc_id for h in hits if h.doc_type == "article"])
    counts = _confirmation_counts(list(reports))
    shown: list[tuple[BackendHit, Any]] = []
    for hit in hits:
        if hit.doc_type == "report":
            row = reports.get(hit.doc_id)
            visible = row is not None and _report_visible(row, scope_groups)
        else:
            row = articles.get(hit.doc_id)
            visible = row is not None and _article_visible(row, scope_groups)
        if not visible:
            enqueue(hit.doc_type, hit.doc_id)  # stale index entry: let the writer fix it
            continue
        shown.append((hit, row))
    marked = snippets([snippet_text(_snippet_sources(hit, row)) for hit, row in shown], terms)
    return [
        _report_hit(row, hit.score, text, scope_groups, counts.get(row.id))
        if hit.doc_type == "report"
        else _article_hit(row, hit.score, text, scope_groups)
        for (hit, row), text in zip(shown, marked, strict=True)
    ]


def _snippet_sources(hit: BackendHit, row: Any) -> list[str]:
    if hit.doc_type == "report":
        return [row.body, row.workaround, row.error_message]
    return [row.problem, row.workaround, row.error_text]


def _confirmation_counts(report_ids: list[int]) -> dict[int, dict[ConfirmationKind, int]]:
    """Per report, the counts ``report_summary`` shows, in one query for the whole page."""
    counts: dict[int, dict[ConfirmationKind, int]] = {
        rid: dict.fromkeys(ConfirmationKind, 0) for rid in report_ids
    }
    if report_ids:
        rows = db.session.execute(
            sa.select(ReportConfirmation.report_id, ReportConfirmation.kind, sa.func.count())
            .where(ReportConfirmation.report_id.in_(report_ids))
            .group_by(ReportConfirmation.report_id, ReportConfirmation.kind)
        )
        for report_id, kind, n in rows:
            counts[report_id][kind] = n
    return counts


def _load(model, ids: list[int]) -> dict[int, Any]:
    if not ids:
        return {}
    # Many-to-one: joined into the one SELECT (selectinload would add a query for each).
    options = [joinedload(model.portal), joinedload(model.group)]
    query = sa.select(model).options(*options).where(model.id.in_(ids))
    return {row.id: row for row in db.session.scalars(query)}


def _report_visible(report: Report, scope_groups: dict[str, CreditGroup]) -> bool:
    return (
        report.state is ContributionState.PUBLISHED and group_scope(report.group_id) in scope_groups
    )


def _article_visible(article: Article, scope_groups: dict[str, CreditGroup]) -> bool:
    if article.state is not ArticleState.PUBLISHED:
        return False
    return article.group_id is None or group_scope(article.group_id) in scope_groups


def _report_hit(report: Report, score: float, snippet: Markup, scope_groups, counts) -> SearchHit:
    summary = report_summary(report, counts)
    return SearchHit(
        doc_type="report",
        public_id=report.public_id,
        title=summary["title"],
        snippet=snippet,
        url=url_for("reports.report_detail", public_id=report.public_id),
        score=score,
        group=scope_groups[group_scope(report.group_id)],
        details={
            "portal": summary["portal"],
            "categories": [summary["category_label"]],
            "status": summary["status_label"],
            "published_on": summary["published_on"],
            "confirmed": summary["hit_too"],
            "has_workaround": summary["has_workaround"],
        },
    )


def _article_hit(article: Article, score: float, snippet: Markup, scope_groups) -> SearchHit:
    portal = article.portal
    return SearchHit(
        doc_type="article",
        public_id=article.public_id,
        title=article.title,
        snippet=snippet,
        url=article_url(article),
        score=score,
        group=scope_groups.get(group_scope(article.group_id)) if article.group_id else None,
        details={
            "portal": {"slug": portal.slug, "name": portal.name} if portal else None,
            "categories": [category_label(c) for c in article.categories or ()],
            "status": None,
            "published_on": _day(article.published_on),
            "confirmed": None,
            "has_workaround": bool(article.workaround),
        },
    )


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def article_url(article: Article) -> str:
    """The knowledge base's page for the article (whichever endpoint it registered)."""
    values = {"public_id": article.public_id, "slug": article.slug}
    for endpoint in ARTICLE_ENDPOINTS:
        rules = list(current_app.url_map.iter_rules(endpoint)) if _has(endpoint) else []
        if rules:
            args = {k: v for k, v in values.items() if k in rules[0].arguments}
            return url_for(endpoint, **args)
    return url_for("search.search_page", q=f'"{article.title}"')


def _has(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def facet_values(
    name: str,
    counts: dict[str, int],
    scope_groups: dict[str, CreditGroup],
    selected: dict[str, list[str]],
) -> list[FacetValue]:
    """A facet's values with people's names, biggest first. Only the viewer's groups can
    appear (the engine counted nothing else; this is a second fence)."""
    chosen = {v.casefold() for v in selected.get(name, [])}
    values = []
    for key, count in counts.items():
        label, link_key = _label(name, key, scope_groups)
        if label is None:
            continue
        values.append(FacetValue(link_key, label, count, link_key.casefold() in chosen))
    return sorted(values, key=lambda v: (-v.count, v.label))


def _label(name: str, key: str, scope_groups) -> tuple[str | None, str]:
    if name == "type":
        return TYPES.get(key, key), key
    if name == "portal":
        return portal_names().label(key), key
    if name == "category":
        return category_label(key), key
    if name == "status":
        return status_label(key), key
    if key == ASSOCIATION_SCOPE:
        return scope_label(key, scope_groups), "association"
    group = scope_groups.get(key)
    return (group.name, group.slug) if group is not None else (None, key)
