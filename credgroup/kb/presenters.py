"""What an article looks like to someone: the ONE place that decides which fields leave the
server, for pages, the JSON API and exports alike.

Anonymous authors, editors and suggesters appear as "A member"; named ones by their name;
imports and the command line as "The association". No pseudonym, user id or internal id is
ever put in these dictionaries, and dates are calendar days.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from credgroup.groups.models import CustomerNaming
from credgroup.kb.freshness import Freshness, company_verdict, freshness
from credgroup.kb.models import Article, ArticleRevision, ArticleState, EditSuggestion
from credgroup.kb.permissions import is_author, is_editor
from credgroup.reports.enums import ProblemCategory, SubmissionChannel

if TYPE_CHECKING:
    from credgroup.accounts.models import User

A_MEMBER = "A member"
ASSOCIATION = "The association"
CATEGORY_LABELS = dict(ProblemCategory.choices())
CHANNEL_LABELS = dict(SubmissionChannel.choices())
STATE_LABELS = {"draft": "Draft", "published": "Published", "archived": "Archived"}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def author_label(article: Article) -> str:
    if article.anonymous or (article.author_pseudonym and article.author_id is None):
        return A_MEMBER
    if article.author is not None:
        return article.author.name
    return ASSOCIATION


def editor_label(revision: ArticleRevision) -> str:
    if revision.editor_pseudonym:
        return A_MEMBER
    if revision.editor is not None:
        return revision.editor.name
    return ASSOCIATION


def buyer_name(article: Article) -> str:
    """The buyer, unless the article's group (now) does not name customers."""
    group = article.group
    if group is not None and group.customer_naming is not CustomerNaming.NAMED:
        return ""
    return article.buyer_name


def freshness_view(fresh: Freshness) -> dict[str, Any]:
    return {
        "worked": fresh.worked,
        "last_worked_month": fresh.last_worked.strftime("%Y-%m") if fresh.last_worked else None,
        "no_longer_works": fresh.failed,
        "last_failed_month": fresh.last_failed.strftime("%Y-%m") if fresh.last_failed else None,
        "text": fresh.text,
        "failed_text": fresh.failed_text,
        "needs_review": fresh.needs_review,
        "review_reasons": list(fresh.reasons),
    }


def _updated_on(article: Article) -> str | None:
    """The calendar day (UTC) of the latest change; never a time of day."""
    return _day(article.updated_at.date() if article.updated_at else article.published_on)


def article_summary(article: Article, fresh: Freshness | None = None) -> dict[str, Any]:
    """Fields for lists, exports and the API's list endpoint."""
    fresh = fresh if fresh is not None else freshness(article)
    group = article.group
    return {
        "id": article.public_id,
        "title": article.title,
        "group": group.slug if group is not None else None,
        "scope_label": group.name if group is not None else "Association-wide",
        "portal": (
            {"slug": article.portal.slug, "name": article.portal.name} if article.portal else None
        ),
        "buyer_name": buyer_name(article),
        "categories": list(article.categories or []),
        "category_labels": [CATEGORY_LABELS.get(k, k) for k in article.categories or []],
        "channels": list(article.channels or []),
        "channel_labels": [CHANNEL_LABELS.get(k, k) for k in article.channels or []],
        "tags": list(article.tags or []),
        "state": article.state.value,
        "state_label": STATE_LABELS[article.state.value],
        "author": author_label(article),
        "published_on": _day(article.published_on),
        "updated_on": _updated_on(article),
        "version": article.version,
        "freshness": freshness_view(fresh),
    }


def article_detail(viewer: User, article: Article) -> dict[str, Any]:
    """Everything the viewer may see about one article, with their own relation to it."""
    detail = article_summary(article)
    verdict = company_verdict(viewer, article)
    editor = is_editor(viewer, article)
    published = article.state is ArticleState.PUBLISHED
    can_confirm = published and not viewer.is_staff and viewer.company_id is not None
    detail.update(
        problem=article.problem,
        workaround=article.workaround,
        error_text=article.error_text,
        viewer={
            "is_author": is_author(viewer, article),
            "can_edit": editor,
            "can_suggest": published and not editor,
            "can_confirm": can_confirm,
            "company_verdict": verdict.value if verdict else None,
        },
    )
    return detail


def revision_view(revision: ArticleRevision, current: int) -> dict[str, Any]:
    return {
        "number": revision.number,
        "title": revision.title,
        "summary": revision.summary,
        "editor": editor_label(revision),
        "created_on": _day(revision.created_on),
        "is_current": revision.number == current,
    }


def revision_content(revision: ArticleRevision) -> dict[str, Any]:
    return {
        **revision_view(revision, revision.article.version),
        "problem": revision.problem,
        "workaround": revision.workaround,
        "error_text": revision.error_text,
        "categories": list(revision.categories or []),
        "tags": list(revision.tags or []),
        "channels": list(revision.channels or []),
    }


def suggestion_view(suggestion: EditSuggestion) -> dict[str, Any]:
    decided_by = None
    if suggestion.decided_on is not None:
        decider = _decider(suggestion)
        decided_by = decider
    return {
        "id": suggestion.public_id,
        "article": suggestion.article.public_id,
        "article_title": suggestion.article.title,
        "base_version": suggestion.base_version,
        "proposed": dict(suggestion.proposed or {}),
        "summary": suggestion.summary,
        "suggested_by": A_MEMBER,
        "suggested_on": _day(suggestion.suggested_on),
        "state": suggestion.state.value,
        "decision_note": suggestion.decision_note or None,
        "decided_by": decided_by,
        "decided_on": _day(suggestion.decided_on),
    }


def _decider(suggestion: EditSuggestion) -> str:
    from credgroup.accounts.models import User
    from credgroup.extensions import db

    if suggestion.decided_by_id is None:
        return A_MEMBER if suggestion.article.anonymous else ASSOCIATION
    user = db.session.get(User, suggestion.decided_by_id)
    return user.name if user is not None else ASSOCIATION
