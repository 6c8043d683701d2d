"""Who may see, write and edit which article, and who wrote it (pseudonyms only).

- Association-wide published articles: every signed-in person. Group articles: that group's
  members and facilitators. Drafts and archived articles: their author and editors only.
- Editors: admins (everything), facilitators (association-wide articles and their groups'),
  and an article's own author (a member, recognised by ``author_id`` for named articles or
  by recomputing the pseudonym for anonymous ones) while they can still see its scope.
- Anonymous authors, editors and suggesters are held as keyed pseudonyms in the article's
  scope (the association's, or the group's), never as a user id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from credgroup.anonymity.pseudonyms import (
    ASSOCIATION_SCOPE,
    company_pseudonym,
    group_scope,
    person_pseudonym,
)
from credgroup.errors import NotFound, PermissionDenied
from credgroup.extensions import db
from credgroup.groups.access import (
    can_view_group,
    is_facilitator,
    is_member,
    visible_groups,
    visible_groups_query,
)
from credgroup.kb.models import Article, ArticleState

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup


def scope_of(group_id: int | None) -> str:
    return group_scope(group_id) if group_id is not None else ASSOCIATION_SCOPE


def person_in(user: User, article: Article) -> str:
    """The person's pseudonym in the article's scope."""
    return person_pseudonym(user.id, scope_of(article.group_id))


def company_in(user: User, article: Article) -> str | None:
    """The person's company pseudonym in the article's scope (None for staff)."""
    if user.is_staff or user.company_id is None:
        return None
    return company_pseudonym(user.company_id, scope_of(article.group_id))


def is_author(user: User, article: Article) -> bool:
    if article.author_id is not None and article.author_id == user.id:
        return True
    return bool(article.author_pseudonym) and article.author_pseudonym == person_in(user, article)


def can_write_in(user: User, group: CreditGroup | None) -> bool:
    """Association-wide: anyone signed in; a group: its members and facilitators."""
    return group is None or can_view_group(user, group)


def is_editor(user: User, article: Article) -> bool:
    """Full edit rights: staff within their scope, or the article's own author."""
    if user.is_admin:
        return True
    if user.is_staff:
        return article.group_id is None or is_facilitator(user, article.group)
    if not is_author(user, article):
        return False
    return article.group_id is None or is_member(user, article.group)


def can_view(user: User, article: Article) -> bool:
    if article.state is ArticleState.PUBLISHED and (
        article.group_id is None or can_view_group(user, article.group)
    ):
        return True
    return is_editor(user, article)


def require_view(user: User, article: Article | None) -> Article:
    """The article if the person may see it; otherwise "not found", exactly as if it did
    not exist (a group's article must not even be confirmed to outsiders)."""
    if article is None or not can_view(user, article):
        raise NotFound("No such article.")
    return article


def require_editor(user: User, article: Article) -> None:
    require_view(user, article)
    if not is_editor(user, article):
        raise PermissionDenied(
            "Only the article's author and the facilitators can edit it. You can suggest an "
            "edit instead."
        )


def staff_scope_condition(user: User) -> sa.ColumnElement[bool]:
    """Articles this staff member edits (admins: all)."""
    if user.is_admin:
        return sa.true()
    groups = sa.select(visible_groups_query(user).subquery().c.id)
    return sa.or_(Article.group_id.is_(None), Article.group_id.in_(groups))


def own_condition(user: User) -> sa.ColumnElement[bool]:
    """Articles the person wrote: by id, or by their pseudonym in each scope they can see
    (recomputed here; nothing stores which pseudonym is whose)."""
    scopes = [(None, ASSOCIATION_SCOPE)] + [(g.id, group_scope(g.id)) for g in visible_groups(user)]
    by_pseudonym = [
        sa.and_(
            Article.group_id.is_(None) if group_id is None else Article.group_id == group_id,
            Article.author_pseudonym == person_pseudonym(user.id, scope),
        )
        for group_id, scope in scopes
    ]
    return sa.or_(Article.author_id == user.id, *by_pseudonym)


def visible_condition(user: User) -> sa.ColumnElement[bool]:
    """SQL for "may see this article": what ``can_view`` says, for lists and search."""
    groups = sa.select(visible_groups_query(user).subquery().c.id)
    published = sa.and_(
        Article.state == ArticleState.PUBLISHED,
        sa.or_(Article.group_id.is_(None), Article.group_id.in_(groups)),
    )
    if user.is_staff or user.is_admin:
        return sa.or_(published, staff_scope_condition(user))
    own = sa.and_(
        own_condition(user), sa.or_(Article.group_id.is_(None), Article.group_id.in_(groups))
    )
    return sa.or_(published, own)


def published_visible_condition(user: User) -> sa.ColumnElement[bool]:
    """SQL for "published, and may see it": ``visible_condition`` and the published state,
    simplified so that an index on (portal, state, group) answers it alone. The same
    articles: a published article is visible when it is association-wide or in one of
    the person's groups (their own published ones and, for staff, the ones they edit
    are among those); admins see every published article."""
    published = Article.state == ArticleState.PUBLISHED
    if user.is_admin:
        return published
    groups = sa.select(visible_groups_query(user).subquery().c.id)
    return sa.and_(published, sa.or_(Article.group_id.is_(None), Article.group_id.in_(groups)))


def get_article(user: User, public_id: str) -> Article:
    """The article with this public id, if the person may see it."""
    if not isinstance(public_id, str) or len(public_id) > 64:
        raise NotFound("No such article.")
    article = db.session.scalar(sa.select(Article).where(Article.public_id == public_id))
    return require_view(user, article)
