"""Validating article content, from a page form, the JSON API or an import line alike.

``clean_article_fields`` takes what a person sent and returns it in the shape the services
store, or raises ValidationError naming the field. Nothing is saved here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from credgroup.errors import ValidationError
from credgroup.portals.models import Portal
from credgroup.portals.services import find_portal
from credgroup.reports.enums import LabelledEnum, ProblemCategory, SubmissionChannel

LIMITS = {
    "title": 200,
    "buyer_name": 200,
    "problem": 20_000,
    "workaround": 20_000,
    "error_text": 4_000,
    "summary": 300,
    "note": 2_000,
    "portal": 120,
}
MIN_TITLE = 5
MAX_TAGS = 20
MAX_TAG = 40
TAG = re.compile(r"^[\w][\w .+#/&-]*$")
TEXT_FIELDS = ("title", "problem", "workaround", "error_text", "buyer_name")
LIST_FIELDS = ("categories", "tags", "channels")
# What a revision snapshots and a suggestion may propose.
CONTENT_FIELDS = ("title", "problem", "workaround", "error_text", *LIST_FIELDS)


def clean_text(value: Any, name: str, *, required: bool = False) -> str:
    """Strip, use Unix line ends, check the length."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(name, f"'{name}' must be text.")
    value = value.replace("\r\n", "\n").strip()
    if required and not value:
        raise ValidationError(name, "This field is required.")
    limit = LIMITS.get(name, 200)
    if len(value) > limit:
        raise ValidationError(name, f"At most {limit:,} characters.")
    return value


def clean_title(value: Any) -> str:
    title = re.sub(r"\s+", " ", clean_text(value, "title", required=True))
    if len(title) < MIN_TITLE:
        raise ValidationError("title", f"A title has {MIN_TITLE} to {LIMITS['title']} characters.")
    return title


def _as_list(value: Any, name: str) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[,\n]", value)]
    if isinstance(value, list | tuple):
        return list(value)
    raise ValidationError(name, f"'{name}' must be a list.")


def clean_keys(value: Any, name: str, enum_cls: type[LabelledEnum]) -> list[str]:
    """A list of stable keys (categories, channels), unknown ones refused, in enum order."""
    wanted = set()
    for item in _as_list(value, name):
        if not isinstance(item, str):
            raise ValidationError(name, f"'{name}' must be a list of keys.")
        key = item.strip()
        if not key:
            continue
        if key not in {member.value for member in enum_cls}:
            allowed = ", ".join(member.value for member in enum_cls)
            raise ValidationError(name, f"Unknown {name[:-1]} '{key[:40]}'. Use: {allowed}.")
        wanted.add(key)
    return [member.value for member in enum_cls if member.value in wanted]


def clean_tags(value: Any) -> list[str]:
    """Lower-case tags, duplicates dropped, order kept."""
    tags: list[str] = []
    for item in _as_list(value, "tags"):
        if not isinstance(item, str):
            raise ValidationError("tags", "Tags must be text.")
        tag = re.sub(r"\s+", " ", item).strip().lower()
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG or not TAG.match(tag):
            raise ValidationError(
                "tags", f"A tag has at most {MAX_TAG} letters, digits, spaces or . + # / & -."
            )
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError("tags", f"At most {MAX_TAGS} tags.")
    return tags


def clean_portal(value: Any) -> Portal | None:
    """A catalogue portal by slug, name or alias; empty means "not about one portal"."""
    name = clean_text(value, "portal")
    if not name:
        return None
    portal = find_portal(name)
    if portal is None:
        raise ValidationError("portal", f"Unknown portal: {name}. Choose one from the catalogue.")
    return portal


CLEANERS = {
    "title": clean_title,
    "problem": lambda v: clean_text(v, "problem"),
    "workaround": lambda v: clean_text(v, "workaround"),
    "error_text": lambda v: clean_text(v, "error_text"),
    "buyer_name": lambda v: clean_text(v, "buyer_name"),
    "categories": lambda v: clean_keys(v, "categories", ProblemCategory),
    "channels": lambda v: clean_keys(v, "channels", SubmissionChannel),
    "tags": clean_tags,
    "portal": clean_portal,
}


def clean_article_fields(
    data: Mapping[str, Any], *, partial: bool = False, only: Iterable[str] | None = None
) -> dict[str, Any]:
    """The article fields in ``data``, validated. ``partial`` keeps only the fields given
    (for changes); otherwise missing fields get their empty value and the title is required.
    ``portal`` comes back as a Portal (or None)."""
    names = list(only) if only is not None else list(CLEANERS)
    cleaned: dict[str, Any] = {}
    for name in names:
        if partial and name not in data:
            continue
        cleaned[name] = CLEANERS[name](data.get(name))
    return cleaned


def content_of(source: Any) -> dict[str, Any]:
    """The content fields of an article, revision or mapping, as plain values."""
    get = source.get if isinstance(source, Mapping) else lambda n, d=None: getattr(source, n, d)
    content: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        value = get(name, None)
        content[name] = list(value or []) if name in LIST_FIELDS else (value or "")
    return content
