"""Importing articles from JSON Lines (``flask --app app kb import FILE.jsonl``).

One article per line, a JSON object:

- ``title`` (required) and ``body`` (Markdown, required; ``text`` is accepted as another
  name for it, so collections like CISI import as they are). **The body is the workaround**:
  a knowledge-base article *is* a workaround, so the body goes into ``workaround`` and the
  optional ``problem`` key fills the problem. ``workaround`` may be given instead of
  ``body``; giving both is refused as ambiguous.
- optional: ``portal`` (slug, name or alias from the catalogue; unknown ones are refused),
  ``tags``, ``categories`` and ``channels`` (stable keys), ``error_text``, ``buyer_name``,
  ``state`` ("published", the default, or "draft").
- ``id``: an external id. Importing a line whose id is already known updates that article
  (a new revision if anything changed) instead of adding a second one, so re-importing a
  file changes nothing. An export's ``id`` (an article's public id) updates that article.

Other keys (``author`` in CISI, say) are ignored and listed in the summary; authors are never
imported, imported articles are written by "The association". Every line is checked and
saved inside its own savepoint: a bad line leaves nothing behind and is reported with its
line number. Without ``strict`` the good lines are kept; with it, one bad line keeps the
whole file out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from credgroup.errors import DomainError, ValidationError
from credgroup.extensions import db
from credgroup.kb.articles import create_article, make_published, update_article
from credgroup.kb.models import Article, ArticleState
from credgroup.kb.transactions import savepoint

if TYPE_CHECKING:
    from credgroup.groups.models import CreditGroup

KNOWN_KEYS = {
    "id",
    "title",
    "body",
    "text",
    "workaround",
    "problem",
    "error_text",
    "portal",
    "tags",
    "categories",
    "channels",
    "buyer_name",
    "state",
}
# What an export writes besides the article's fields: read back silently, never imported.
EXPORT_ONLY_KEYS = {
    "group",
    "author",
    "published_on",
    "updated_on",
    "version",
    "confirmed_working",
}
MAX_EXTERNAL_ID = 200
MAX_LINE = 200_000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    ignored_keys: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.errors


class BadLine(ValidationError):
    """A line of an import file that cannot be imported."""


def _external_id(line: dict[str, Any]) -> str | None:
    value = line.get("id")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadLine("id", "'id' must be text or a number.")
    value = str(value).strip()
    if len(value) > MAX_EXTERNAL_ID:
        raise BadLine("id", f"'id' has at most {MAX_EXTERNAL_ID} characters.")
    return value or None


def article_data(line: dict[str, Any]) -> dict[str, Any]:
    """The article fields of one line (see the module's docstring for the mapping)."""
    body = line.get("body", line.get("text"))
    if "body" in line and "text" in line:
        raise BadLine("body", "Give 'body' or 'text', not both.")
    if body is not None and "workaround" in line:
        raise BadLine("body", "Give 'body' or 'workaround', not both.")
    workaround = line.get("workaround", body)
    if not isinstance(workaround, str) or not workaround.strip():
        raise BadLine("body", "Every article needs a 'body' (its workaround, in Markdown).")
    data = {name: line[name] for name in KNOWN_KEYS & set(line) if name in _FIELD_KEYS}
    data["workaround"] = workaround
    return data


_FIELD_KEYS = {
    "title",
    "problem",
    "error_text",
    "portal",
    "tags",
    "categories",
    "channels",
    "buyer_name",
}


def _state(line: dict[str, Any]) -> ArticleState:
    value = line.get("state", "published")
    if value not in ("published", "draft"):
        raise BadLine("state", '\'state\' is "published" or "draft".')
    return ArticleState(value)


def _existing(external_id: str | None) -> Article | None:
    if external_id is None:
        return None
    found = db.session.scalar(sa.select(Article).where(Article.external_id == external_id))
    if found is None:
        found = db.session.scalar(
            sa.select(Article).where(
                Article.public_id == external_id, Article.external_id.is_(None)
            )
        )
    return found


def import_line(line: dict[str, Any], group: CreditGroup | None, result: ImportResult) -> None:
    """Create or update the article of one line (the caller holds the savepoint)."""
    external_id = _external_id(line)
    state = _state(line)
    data = article_data(line)
    article = _existing(external_id)
    if article is None:
        create_article(
            None,
            data,
            group=group,
            publish=state is ArticleState.PUBLISHED,
            summary="Imported",
            external_id=external_id,
        )
        result.created += 1
    else:
        _update(article, data, state, group, result)
    result.ignored_keys.update(set(line) - KNOWN_KEYS - EXPORT_ONLY_KEYS)


def _update(
    article: Article,
    data: dict[str, Any],
    state: ArticleState,
    group: CreditGroup | None,
    result: ImportResult,
) -> None:
    changed = update_article(
        None, article, data, base_version=article.version, summary="Re-imported", group=group
    )
    if state is ArticleState.PUBLISHED and article.state is ArticleState.DRAFT:
        make_published(article)
        changed = True
    result.updated += int(changed)
    result.unchanged += int(not changed)


def _parse(raw: str) -> dict[str, Any]:
    if len(raw) > MAX_LINE:
        raise BadLine(None, f"The line is longer than {MAX_LINE:,} characters.")
    try:
        line = json.loads(raw)
    except json.JSONDecodeError as error:
        raise BadLine(None, f"Not valid JSON ({error.msg}).") from None
    if not isinstance(line, dict):
        raise BadLine(None, "Each line must be a JSON object.")
    return line


def _describe(error: DomainError) -> str:
    name = getattr(error, "field", None)
    return f"{name}: {error.message}" if name else error.message


def import_articles(
    lines: Iterable[str], *, group: CreditGroup | None = None, strict: bool = False
) -> ImportResult:
    """Import JSON Lines; blank lines are skipped. The caller commits (or, when the result
    is not ok and ``strict``, rolls back)."""
    result = ImportResult()
    seen: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            with savepoint():
                line = _parse(raw)
                external_id = _external_id(line)
                if external_id is not None and external_id in seen:
                    raise BadLine("id", f"The id '{external_id}' appears twice in the file.")
                import_line(line, group, result)
                if external_id is not None:
                    seen.add(external_id)
        except DomainError as error:
            result.errors.append((number, _describe(error)))
    return result
