"""Finding articles: the filtered list, a portal's articles, a person's drafts.

Every query starts from ``permissions.visible_condition``, so a list never holds an article
its viewer could not open.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import immediateload, selectinload

from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group
from credgroup.kb.inputs import clean_tags
from credgroup.kb.models import Article, ArticleState
from credgroup.kb.permissions import (
    own_condition,
    published_visible_condition,
    staff_scope_condition,
    visible_condition,
)
from credgroup.memo import remembered
from credgroup.portals.models import Portal
from credgroup.reports.enums import ProblemCategory, SubmissionChannel

if TYPE_CHECKING:
    from credgroup.accounts.models import User

ASSOCIATION = "association"
STATES = {"published": "Published", "draft": "Drafts", "archived": "Archived"}
PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


@dataclass
class ArticleFilters:
    portal: str = ""
    category: str = ""
    channel: str = ""
    tag: str = ""
    scope: str = ""  # "" any, "association", or a group's slug
    state: str = "published"

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> ArticleFilters:
        """Parse query-string filters; bad values raise ValidationError naming the field."""
        filters = cls(
            portal=str(args.get("portal") or "").strip()[:80],
            category=str(args.get("category") or "").strip(),
            channel=str(args.get("channel") or "").strip(),
            tag=str(args.get("tag") or "").strip(),
            scope=str(args.get("scope") or args.get("group") or "").strip()[:80],
            state=str(args.get("state") or "published").strip(),
        )
        if filters.category and filters.category not in {c.value for c in ProblemCategory}:
            raise ValidationError("category", "Unknown category.")
        if filters.channel and filters.channel not in {c.value for c in SubmissionChannel}:
            raise ValidationError("channel", "Unknown submission channel.")
        if filters.tag:
            filters.tag = (clean_tags([filters.tag]) or [""])[0]
        if filters.state not in STATES:
            raise ValidationError("state", f"State is one of: {', '.join(STATES)}.")
        return filters

    def as_args(self) -> dict[str, str]:
        args = {k: v for k, v in vars(self).items() if v}
        if args.get("state") == "published":
            del args["state"]
        return args


@dataclass
class ArticlePage:
    items: list[Article]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def portal_ids(portal: Portal) -> list[int]:
    """The portal and the portals merged into it (their articles now belong to it). Read
    first, as a list: a subquery here kept PostgreSQL from reading a portal's articles in
    order from the index on (portal, updated_at)."""
    query = sa.select(Portal.id).where(
        sa.or_(Portal.id == portal.id, Portal.merged_into_id == portal.id)
    )
    return remembered(("portal ids", portal.id), lambda: sorted(db.session.scalars(query)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def json_list_contains(column: Any, value: str) -> sa.ColumnElement[bool]:
    """A JSON list column holds ``value``: portable (SQLite and PostgreSQL) by matching the
    quoted JSON string in the stored text, exactly as json.dumps wrote it."""
    needle = f"%{_escape_like(json.dumps(value))}%"
    return sa.cast(column, sa.Text).like(needle, escape="\\")


def _state_condition(viewer: User, state: str) -> sa.ColumnElement[bool]:
    wanted = ArticleState(state)
    if wanted is ArticleState.PUBLISHED:
        return Article.state == wanted
    # Drafts and the archive: the person's own, plus what they edit as staff.
    mine = staff_scope_condition(viewer) if viewer.is_staff else own_condition(viewer)
    return sa.and_(Article.state == wanted, mine)


def articles_query(viewer: User, filters: ArticleFilters) -> sa.Select:
    query = sa.select(Article).where(visible_condition(viewer))
    query = query.where(_state_condition(viewer, filters.state)).options(
        selectinload(Article.portal), selectinload(Article.group), selectinload(Article.author)
    )
    if filters.portal:
        portal = db.session.scalar(sa.select(Portal).where(Portal.slug == filters.portal))
        if portal is None:
            raise ValidationError("portal", "Unknown portal.")
        query = query.where(Article.portal_id.in_(portal_ids(portal)))
    if filters.category:
        query = query.where(json_list_contains(Article.categories, filters.category))
    if filters.channel:
        query = query.where(json_list_contains(Article.channels, filters.channel))
    if filters.tag:
        query = query.where(json_list_contains(Article.tags, filters.tag))
    if filters.scope == ASSOCIATION:
        query = query.where(Article.group_id.is_(None))
    elif filters.scope:
        query = query.where(Article.group_id == get_visible_group(viewer, filters.scope).id)
    return query.order_by(Article.updated_at.desc(), Article.id.desc())


def list_articles(
    viewer: User, filters: ArticleFilters, *, page: int = 1, per_page: int = PAGE_SIZE
) -> ArticlePage:
    """Articles the viewer may see, filtered, newest change first, paginated."""
    if page < 1 or not 1 <= per_page <= MAX_PAGE_SIZE:
        raise ValidationError("page", f"Pages start at 1; per_page is 1 to {MAX_PAGE_SIZE}.")
    query = articles_query(viewer, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return ArticlePage(items, total, page, per_page)


# The big networks gather hundreds of workarounds: the portal page lists the latest and
# links to the knowledge base filtered by the portal for the rest.
PORTAL_ARTICLES_SHOWN = 20


def _portal_articles(viewer: User, portal: Portal) -> sa.Select:
    return sa.select(Article).where(
        published_visible_condition(viewer), Article.portal_id.in_(portal_ids(portal))
    )


def articles_for_portal(
    viewer: User, portal: Portal, limit: int = PORTAL_ARTICLES_SHOWN
) -> list[Article]:
    """The latest published articles about a portal (or a portal merged into it) the
    viewer may see, most recently changed first."""
    query = (
        _portal_articles(viewer, portal)
        .options(
            # The page's portal and the viewer's groups are in the session already: taken
            # from there (a portal merged into this one is read once).
            immediateload(Article.portal),
            immediateload(Article.group),
            selectinload(Article.author),
        )
        .order_by(Article.updated_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def count_for_portal(viewer: User, portal: Portal) -> int:
    counted = _portal_articles(viewer, portal).with_only_columns(Article.id).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0


def own_drafts(viewer: User) -> list[Article]:
    """The person's own unpublished drafts (members: by id or pseudonym)."""
    query = sa.select(Article).where(
        Article.state == ArticleState.DRAFT, own_condition(viewer), visible_condition(viewer)
    )
    return list(db.session.scalars(query.order_by(Article.updated_at.desc())))


def all_tags(viewer: User, limit: int = 200) -> list[str]:
    """Tags in use on published articles the viewer may see, for the filter."""
    rows = db.session.scalars(
        sa.select(Article.tags)
        .where(visible_condition(viewer), Article.state == ArticleState.PUBLISHED)
        .limit(2000)
    )
    return sorted({tag for tags in rows for tag in (tags or [])})[:limit]
