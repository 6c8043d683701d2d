"""Exporting articles as JSON Lines and as Markdown files (a zip, or a folder).

What an export holds comes from ``presenters.article_summary`` plus the article's texts:
anonymous authors appear as "A member", and no pseudonym, user id or internal id is written.
A JSONL export can be imported again (``kb import``): its ``id`` is the article's external
id if it has one, else its public id, and ``body`` is the workaround.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from credgroup.extensions import db
from credgroup.groups.access import require_staff
from credgroup.kb.freshness import freshness_for
from credgroup.kb.models import Article, ArticleState
from credgroup.kb.permissions import staff_scope_condition, visible_condition
from credgroup.kb.presenters import article_summary

if TYPE_CHECKING:
    from credgroup.accounts.models import User

EXPORT_FIELDS = (
    "title",
    "group",
    "portal",
    "buyer_name",
    "categories",
    "channels",
    "tags",
    "state",
    "author",
    "published_on",
    "updated_on",
    "version",
)


def exportable_articles(viewer: User | None) -> list[Article]:
    """Published articles: all of them for the command line (``viewer`` None); for staff,
    those they may see and edit (admins everything, facilitators association-wide and their
    groups')."""
    query = (
        sa.select(Article)
        .where(Article.state == ArticleState.PUBLISHED)
        .options(
            selectinload(Article.revisions),
            selectinload(Article.portal),
            selectinload(Article.group),
            selectinload(Article.author),
        )
    )
    if viewer is not None:
        require_staff(viewer)
        query = query.where(visible_condition(viewer), staff_scope_condition(viewer))
    return list(db.session.scalars(query.order_by(Article.id)))


def export_record(article: Article, summary: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {"id": article.external_id or article.public_id}
    record.update({name: summary[name] for name in EXPORT_FIELDS})
    record["portal"] = summary["portal"]["slug"] if summary["portal"] else None
    record["body"] = article.workaround
    record["problem"] = article.problem
    record["error_text"] = article.error_text
    record["confirmed_working"] = summary["freshness"]["worked"]
    return record


def records(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    articles = list(articles)
    fresh = freshness_for(articles)
    for article in articles:
        yield export_record(article, article_summary(article, fresh[article.id]))


def to_jsonl(articles: Iterable[Article]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(articles))


def _front_matter_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def to_markdown(record: dict[str, Any]) -> str:
    """One article as a Markdown document with a small front matter (JSON values)."""
    meta = [f"{name}: {_front_matter_value(record[name])}" for name in ("id", *EXPORT_FIELDS)]
    parts = ["---", *meta, "---", "", f"# {record['title']}", ""]
    if record["problem"]:
        parts += ["## The problem", "", record["problem"], ""]
    if record["error_text"]:
        fence = "~~~~" if "```" in record["error_text"] else "```"
        parts += ["## The portal's error text", "", fence, record["error_text"], fence, ""]
    parts += ["## The workaround", "", record["body"], ""]
    return "\n".join(parts)


def markdown_name(record: dict[str, Any]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", record["title"].lower()).strip("-")[:60] or "article"
    ident = re.sub(r"[^A-Za-z0-9_-]+", "-", str(record["id"]))[:40]
    return f"{slug}--{ident}.md"


def markdown_files(articles: Iterable[Article]) -> Iterator[tuple[str, str]]:
    for record in records(articles):
        yield markdown_name(record), to_markdown(record)


def to_zip(articles: Iterable[Article]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in markdown_files(articles):
            archive.writestr(f"articles/{name}", text)
    return buffer.getvalue()


def write_markdown(articles: Iterable[Article], out: Path) -> int:
    """A .zip file, or a folder of .md files; returns how many articles were written."""
    if out.suffix.lower() == ".zip":
        files = list(markdown_files(articles))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files:
                archive.writestr(f"articles/{name}", text)
        return len(files)
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for name, text in markdown_files(articles):
        (out / name).write_text(text, encoding="utf-8")
        count += 1
    return count
