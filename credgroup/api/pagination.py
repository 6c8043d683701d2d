"""Pagination for list endpoints: ``?page=&per_page=`` in, a page envelope out.

    params = page_params()                      # validated; 422 with "field" if not
    return page_response(paginate_select(query, params), serialize_group)

The envelope is ``{"items", "page", "per_page", "total", "pages", "links": {"self",
"next", "prev"}}``; ``next``/``prev`` are null at the ends. A page past the last one is
empty (not an error), so a client can stop on ``next`` being null or on an empty page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from flask import current_app, request, url_for

from credgroup.errors import ValidationError
from credgroup.extensions import db

T = TypeVar("T")

# Larger page numbers are certainly a mistake and would only make the database count rows.
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class PageParams:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    params: PageParams
    total: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.params.per_page) if self.total else 0


def page_params() -> PageParams:
    """Read and check ``page`` and ``per_page`` from the query string."""
    max_size = int(current_app.config["API_MAX_PAGE_SIZE"])
    default_size = min(int(current_app.config["API_PAGE_SIZE"]), max_size)
    page = _int_arg("page", default=1, low=1, high=MAX_PAGE)
    per_page = _int_arg("per_page", default=default_size, low=1, high=max_size)
    return PageParams(page=page, per_page=per_page)


def _int_arg(name: str, *, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()):
        raise ValidationError(name, f"'{name}' must be a whole number.")
    # Length check first: no point parsing a thousand digits to learn they are too many.
    if len(raw) > len(str(high)) or not low <= int(raw) <= high:
        raise ValidationError(name, f"'{name}' must be between {low} and {high}.")
    return int(raw)


def paginate_select(query: sa.Select[tuple[T]], params: PageParams) -> Page[T]:
    """One page of a SELECT (which must have a stable ORDER BY) and the total count."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(query.limit(params.per_page).offset(params.offset))
    return Page(items=list(items), params=params, total=total)


def paginate_list(items: Sequence[T], params: PageParams) -> Page[T]:
    """One page of an already-loaded list (for services that return lists)."""
    window = list(items[params.offset : params.offset + params.per_page])
    return Page(items=window, params=params, total=len(items))


def page_response(page: Page[T], serialize: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    """The JSON envelope for a page, with links that keep the other query arguments."""
    number, pages = page.params.page, page.pages
    return {
        "items": [serialize(item) for item in page.items],
        "page": number,
        "per_page": page.params.per_page,
        "total": page.total,
        "pages": pages,
        "links": {
            "self": _page_url(number, page.params.per_page),
            "next": _page_url(number + 1, page.params.per_page) if number < pages else None,
            "prev": _page_url(min(number - 1, max(pages, 1)), page.params.per_page)
            if number > 1
            else None,
        },
    }


def _page_url(number: int, per_page: int) -> str:
    args = {
        **(request.view_args or {}),
        **request.args.to_dict(),
        "page": number,
        "per_page": per_page,
    }
    return url_for(request.endpoint, _external=True, **args)
