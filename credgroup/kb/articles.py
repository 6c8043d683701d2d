"""Writing articles: create, edit (as revisions), publish, archive and restore.

Services check who may act (``permissions``), change state, flush, send the kb signals and
record staff actions in the audit log; the caller commits once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from credgroup.errors import PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group
from credgroup.groups.models import CreditGroup, CustomerNaming
from credgroup.kb import signals
from credgroup.kb.identifying import refuse_self_identifying
from credgroup.kb.inputs import CONTENT_FIELDS, clean_article_fields, clean_text
from credgroup.kb.models import Article, ArticleState
from credgroup.kb.permissions import (
    can_write_in,
    is_author,
    person_in,
    require_editor,
    scope_of,
)
from credgroup.kb.revisions import add_revision, audit_staff_action, check_version, save_content
from credgroup.portals.services import slugify
from credgroup.reports.anonymise import today

if TYPE_CHECKING:
    from credgroup.accounts.models import User

# "Keep the article where it is" for update_article's ``group`` argument.
UNCHANGED: Any = object()


def resolve_scope(user: User, group_slug: str | None) -> CreditGroup | None:
    """The group an article is for (None: association-wide), if the person may write there.
    A group they cannot see is "not found"."""
    if not group_slug:
        return None
    if not isinstance(group_slug, str) or len(group_slug) > 80:
        raise ValidationError("group", "Choose a group by its slug.")
    group = get_visible_group(user, group_slug)
    if not can_write_in(user, group):
        raise PermissionDenied("You cannot write articles for that group.")
    return group


def _check_buyer(group: CreditGroup | None, buyer_name: str) -> None:
    """A group that does not name customers in reports does not name them in its articles."""
    if buyer_name and group is not None and group.customer_naming is not CustomerNaming.NAMED:
        raise ValidationError(
            "buyer_name", f"{group.name} does not name customers; leave the buyer out."
        )


def _check_publishable(article: Article) -> None:
    if not article.workaround.strip():
        raise ValidationError("workaround", "Describe the workaround before publishing.")


def _unique_slug(title: str) -> str:
    return slugify(title)[:120]


def create_article(
    user: User | None,
    data: Mapping[str, Any],
    *,
    group: CreditGroup | None = None,
    anonymous: bool = False,
    publish: bool = False,
    summary: str = "",
    external_id: str | None = None,
) -> Article:
    """A new article (a draft unless ``publish``), with revision 1. ``user`` None is the
    command line (imports); members may write anonymously, staff always under their name."""
    if user is not None and not can_write_in(user, group):
        raise PermissionDenied("You cannot write articles for that group.")
    if anonymous and (user is None or user.is_staff or user.company_id is None):
        raise ValidationError("anonymous", "Only members can write anonymously.")
    fields = clean_article_fields(data)
    summary = clean_text(summary, "summary")
    _check_buyer(group, fields["buyer_name"])
    if anonymous and user is not None:
        refuse_self_identifying(user, fields)
    article = Article(
        group=group,
        group_id=group.id if group is not None else None,  # the pseudonym's scope, pre-flush
        slug=_unique_slug(fields["title"]),
        portal=fields.pop("portal"),
        anonymous=anonymous,
        version=1,
        external_id=external_id,
        state=ArticleState.DRAFT,
        **fields,
    )
    if user is not None and anonymous:
        article.author_pseudonym = person_in(user, article)
    elif user is not None:
        article.author_id = user.id
    db.session.add(article)
    db.session.flush()
    add_revision(user, article, summary or "First version")
    if publish:
        _check_publishable(article)
        make_published(article)
    db.session.flush()
    if user is not None:
        audit_staff_action(user, article, "kb.article.create", published=publish)
    return article


def _scope_change(user: User | None, article: Article, group: Any) -> str | None:
    """Move an article to another scope (returns a note for the revision), or None."""
    if group is UNCHANGED or group is article.group or (group and group.id == article.group_id):
        return None
    if user is not None and not can_write_in(user, group):
        raise PermissionDenied("You cannot move the article to that group.")
    # An anonymous author's pseudonym depends on the scope; only they can be re-recognised.
    if article.anonymous and (user is None or not is_author(user, article)):
        raise ValidationError(
            "group", "Only the author can move an anonymous article to another scope."
        )
    old = article.group.name if article.group else "association-wide"
    article.group = group
    article.group_id = group.id if group is not None else None
    if article.anonymous and user is not None:
        article.author_pseudonym = person_in(user, article)
    return f"moved from {old} to {group.name if group else 'association-wide'}"


def _meta_changes(user: User | None, article: Article, fields: dict[str, Any], group: Any):
    """Portal, buyer and scope are not in the revision snapshot: note their changes in the
    revision's summary so the history still says what happened."""
    notes: list[str] = []
    if "portal" in fields and fields["portal"] is not article.portal:
        new = fields["portal"]
        old_name = article.portal.name if article.portal else "none"
        notes.append(f"portal {old_name} → {new.name if new else 'none'}")
        article.portal = new
    if "buyer_name" in fields and fields["buyer_name"] != article.buyer_name:
        notes.append("buyer changed")
        article.buyer_name = fields["buyer_name"]
    moved = _scope_change(user, article, group)
    if moved:
        notes.append(moved)
    _check_buyer(article.group, article.buyer_name)
    return notes


def update_article(
    user: User | None,
    article: Article,
    data: Mapping[str, Any],
    *,
    base_version: int,
    summary: str = "",
    group: Any = UNCHANGED,
) -> bool:
    """Save an edit made from ``base_version`` (the fields given replace the current ones).
    A stale base version raises EditConflict and changes nothing. Returns False when the
    edit changed nothing."""
    if user is not None:
        require_editor(user, article)
    check_version(article, base_version)
    fields = clean_article_fields(data, partial=True)
    summary = clean_text(summary, "summary")
    notes = _meta_changes(user, article, fields, group)
    content = {name: fields[name] for name in CONTENT_FIELDS if name in fields}
    if user is not None and article.anonymous and is_author(user, article):
        refuse_self_identifying(user, content)
    if "title" in content:
        article.slug = _unique_slug(content["title"])
    text = "; ".join([summary, *notes] if summary else notes).strip("; ")
    saved = save_content(
        user, article, content, base_version=base_version, summary=text, force_revision=bool(notes)
    )
    if saved and user is not None:
        audit_staff_action(user, article, "kb.article.edit", version=article.version)
    return saved


def make_published(article: Article) -> None:
    """Publish without permission checks (callers check; imports have no user)."""
    article.state = ArticleState.PUBLISHED
    if article.published_on is None:
        article.published_on = today()
    db.session.flush()
    signals.article_saved.send(article)


def publish_article(user: User, article: Article) -> Article:
    """A draft becomes visible to its scope (the author and editors may publish)."""
    require_editor(user, article)
    if article.state is not ArticleState.DRAFT:
        raise ValidationError(None, "Only drafts can be published.")
    _check_publishable(article)
    make_published(article)
    audit_staff_action(user, article, "kb.article.publish")
    return article


def archive_article(user: User, article: Article) -> Article:
    """Take an article out of the knowledge base (it can be restored; history is kept)."""
    require_editor(user, article)
    if article.state is ArticleState.ARCHIVED:
        raise ValidationError(None, "The article is already archived.")
    was_published = article.state is ArticleState.PUBLISHED
    article.state = ArticleState.ARCHIVED
    db.session.flush()
    if was_published:
        signals.article_removed.send(article)
    audit_staff_action(user, article, "kb.article.archive")
    return article


def restore_article(user: User, article: Article) -> Article:
    """Bring an archived article back: published again if it had been, else a draft."""
    require_editor(user, article)
    if article.state is not ArticleState.ARCHIVED:
        raise ValidationError(None, "Only archived articles can be restored.")
    if article.published_on is not None:
        make_published(article)
    else:
        article.state = ArticleState.DRAFT
        db.session.flush()
    audit_staff_action(user, article, "kb.article.restore")
    return article


def find_by_external_id(external_id: str) -> Article | None:
    return db.session.scalar(sa.select(Article).where(Article.external_id == external_id))


def scope_key(article: Article) -> str:
    """The pseudonym scope of an article (for modules that need it without permissions)."""
    return scope_of(article.group_id)
