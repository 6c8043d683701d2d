"""Every save of an article's content is a numbered revision; nothing is ever overwritten
silently.

An edit names the version it started from. ``save_content`` moves the article from exactly
that version to the next one with a conditional UPDATE, so two people who opened the same
version cannot both save: the second gets ``EditConflict`` (409) and is shown what the first
changed, on SQLite and PostgreSQL alike, whatever the timing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from credgroup.errors import Conflict, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.kb import signals
from credgroup.kb.inputs import CONTENT_FIELDS, LIST_FIELDS, content_of
from credgroup.kb.models import Article, ArticleRevision, ArticleState
from credgroup.kb.permissions import is_author, person_in, require_editor
from credgroup.reports.anonymise import today

if TYPE_CHECKING:
    from credgroup.accounts.models import User


class EditConflict(Conflict):
    """Someone else saved the article since you opened it."""

    code = "edit_conflict"

    def __init__(self, base_version: int, current_version: int) -> None:
        super().__init__(
            f"Someone else saved this article (now version {current_version}) after you "
            f"opened version {base_version}. Your text is kept: look at their changes, merge "
            "them into yours and save again."
        )
        self.base_version = base_version
        self.current_version = current_version


def parse_version(value: Any) -> int:
    """The ``version`` an edit started from, as sent by a form or the API."""
    if isinstance(value, bool):
        raise ValidationError("version", "'version' must be the article's version number.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        number = int(value.strip())
    else:
        raise ValidationError("version", "'version' must be the article's version number.")
    if number < 1:
        raise ValidationError("version", "'version' must be the article's version number.")
    return number


def check_version(article: Article, base_version: int) -> None:
    if base_version > article.version:
        raise ValidationError("version", "That version of the article does not exist.")
    if base_version != article.version:
        raise EditConflict(base_version, article.version)


def _claim_next_version(article: Article, base_version: int) -> None:
    """Move the article from ``base_version`` to the next, atomically: under concurrent
    saves exactly one UPDATE matches, the others see zero rows and report a conflict."""
    check_version(article, base_version)
    result = db.session.execute(
        sa.update(Article)
        .where(Article.id == article.id, Article.version == base_version)
        .values(version=base_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        current = db.session.scalar(sa.select(Article.version).where(Article.id == article.id))
        raise EditConflict(base_version, current or base_version + 1)
    article.version = base_version + 1


def editor_fields(user: User | None, article: Article) -> dict[str, Any]:
    """How a revision or decision records who made it: an anonymous article's own author
    only as a pseudonym (their user id would unmask the article), anyone else by id, the
    command line as nobody."""
    if user is None:
        return {"editor_id": None, "editor_pseudonym": ""}
    if article.anonymous and is_author(user, article):
        return {"editor_id": None, "editor_pseudonym": person_in(user, article)}
    return {"editor_id": user.id, "editor_pseudonym": ""}


def add_revision(user: User | None, article: Article, summary: str) -> ArticleRevision:
    """Snapshot the article's current content as revision number ``article.version``."""
    revision = ArticleRevision(
        article=article,
        number=article.version,
        summary=summary[:300],
        created_on=today(),
        **content_of(article),
        **editor_fields(user, article),
    )
    db.session.add(revision)
    return revision


def changed_fields(article: Article, content: Mapping[str, Any]) -> list[str]:
    current = content_of(article)
    return [name for name in CONTENT_FIELDS if name in content and content[name] != current[name]]


def save_content(
    user: User | None,
    article: Article,
    content: Mapping[str, Any],
    *,
    base_version: int,
    summary: str,
    force_revision: bool = False,
) -> bool:
    """Apply content changes as a new revision (callers check permissions). Returns False
    when nothing changed (no revision then, unless ``force_revision``)."""
    changed = changed_fields(article, content)
    if not changed and not force_revision:
        check_version(article, base_version)
        return False
    _claim_next_version(article, base_version)
    for name in changed:
        setattr(article, name, list(content[name]) if name in LIST_FIELDS else content[name])
    add_revision(user, article, summary)
    db.session.flush()
    if article.state is ArticleState.PUBLISHED:
        signals.article_saved.send(article)
    return True


def get_revision(article: Article, number: int) -> ArticleRevision:
    revision = db.session.scalar(
        sa.select(ArticleRevision).where(
            ArticleRevision.article_id == article.id, ArticleRevision.number == number
        )
    )
    if revision is None:
        raise NotFound(f"This article has no revision {number}.")
    return revision


def parse_revision_number(value: Any, field: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        number = int(value.strip())
        if number >= 1:
            return number
    raise ValidationError(field, "Choose a revision by its number.")


def restore_revision(
    user: User, article: Article, number: int, *, base_version: int
) -> ArticleRevision:
    """Make an old revision's content current again, as a new revision (history is kept)."""
    require_editor(user, article)
    old = get_revision(article, number)
    if number == article.version:
        raise ValidationError(None, "That revision is already the current one.")
    save_content(
        user,
        article,
        content_of(old),
        base_version=base_version,
        summary=f"Restored revision {number}",
        force_revision=True,
    )
    audit_staff_action(user, article, "kb.article.revision_restore", revision=number)
    return old


def audit_staff_action(user: User, article: Article, action: str, **details: Any) -> None:
    """Record what a facilitator or admin did to an article (members' own writing is not
    audited: the log must not become a list of who wrote which anonymous article)."""
    from credgroup.audit.services import record

    if user.is_staff or user.is_admin:
        record(
            user,
            action,
            target_type="article",
            target_label=article.title,
            group=article.group,
            **details,
        )
