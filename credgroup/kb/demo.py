"""Load the demo knowledge base (``credgroup/kb/demo_data.py``) through the kb services.

Articles are written, edited, confirmed and suggested to by the demo people through the same
services members use, so pseudonyms, revisions and signals behave as for real data. The
services stamp today's date; afterwards the rows' dates are moved into the past as the data
says (demo data only). An article already there (same ``external_id``, "demo:<key>") is left
alone whatever happened to it since, so loading twice changes nothing. Missing people or
groups (a partial demo) are skipped: the article is then written by "The association" or
association-wide. The caller commits.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.kb import articles, freshness, permissions, suggestions
from credgroup.kb.demo_data import ARTICLES, DemoArticle
from credgroup.kb.models import Article, ArticleConfirmation, FreshnessKind
from credgroup.portals.services import seed_catalogue
from credgroup.reports.anonymise import today


def load_demo_articles() -> int:
    """Add the demo articles that are missing; returns how many were added."""
    seed_catalogue()
    added = 0
    for spec in ARTICLES:
        if articles.find_by_external_id(external_id(spec)) is None:
            _create(spec)
            added += 1
    db.session.flush()
    return added


def external_id(spec: DemoArticle) -> str:
    return f"demo:{spec.key}"


def _person(email: str | None) -> User | None:
    if not email:
        return None
    return db.session.scalar(sa.select(User).where(User.email == email, User.active.is_(True)))


def _group(slug: str | None) -> CreditGroup | None:
    if not slug:
        return None
    return db.session.scalar(sa.select(CreditGroup).where(CreditGroup.slug == slug))


def _data(spec: DemoArticle) -> dict[str, Any]:
    return {
        "title": spec.title,
        "portal": spec.portal,
        "problem": spec.problem,
        "workaround": spec.workaround,
        "error_text": spec.error_text,
        "categories": list(spec.categories),
        "channels": list(spec.channels),
        "tags": list(spec.tags),
        "buyer_name": spec.buyer_name,
    }


def _create(spec: DemoArticle) -> Article:
    group = _group(spec.group)
    author = _person(spec.author)
    if author is not None and not permissions.can_write_in(author, group):
        author = None
    article = articles.create_article(
        author,
        _data(spec),
        group=group,
        anonymous=spec.anonymous and author is not None and not author.is_staff,
        publish=True,
        external_id=external_id(spec),
    )
    if spec.edit:
        _edit(article, spec.edit)
    _confirm(article, spec.worked, FreshnessKind.WORKED)
    _confirm(article, spec.failed, FreshnessKind.NO_LONGER_WORKS)
    _backdate(article, spec)
    if spec.suggestion:
        _suggest(article, spec.suggestion)
    return article


def _edit(article: Article, edit: tuple[str, str, dict[str, Any]]) -> None:
    email, summary, fields = edit
    editor = _person(email)
    if editor is not None and permissions.is_editor(editor, article):
        articles.update_article(
            editor, article, fields, base_version=article.version, summary=summary
        )


def _confirm(article: Article, emails: tuple[str, ...], kind: FreshnessKind) -> None:
    for email in emails:
        person = _person(email)
        if person is not None and permissions.can_view(person, article) and not person.is_staff:
            freshness.confirm_article(person, article, kind)


def _suggest(article: Article, suggestion: tuple[str, str, dict[str, Any]]) -> None:
    email, summary, fields = suggestion
    person = _person(email)
    if person is not None and permissions.can_view(person, article):
        suggestions.suggest_edit(
            person, article, fields, base_version=article.version, summary=summary
        )


def _months_ago(months: int) -> date:
    return freshness.months_before(today(), months)


def _backdate(article: Article, spec: DemoArticle) -> None:
    """Spread the dates as the data says: published, first revision, confirmations."""
    published = _months_ago(spec.published_months_ago)
    article.published_on = published
    for revision in article.revisions:
        revision.created_on = published if revision.number == 1 else _months_ago(1)
    last_change = article.revisions[-1].created_on
    article.updated_at = datetime.combine(last_change, time(12), tzinfo=UTC)
    confirmations = db.session.scalars(
        sa.select(ArticleConfirmation).where(ArticleConfirmation.article_id == article.id)
    )
    for index, row in enumerate(confirmations):
        if row.kind is FreshnessKind.WORKED:
            day = _months_ago(spec.worked_months_ago) - timedelta(days=3 * index)
            row.confirmed_on = max(day, published)
        else:
            row.confirmed_on = today() - timedelta(days=10)
    db.session.flush()
