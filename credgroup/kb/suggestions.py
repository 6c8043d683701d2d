"""Suggested edits: people without edit rights propose a change; an editor accepts it (a new
revision) or declines it with a note.

The suggester is held only as a pseudonym in the article's scope and always shown as
"A member". Accepting a suggestion made against an older version is allowed when the fields
it changes have not changed since; otherwise it is a conflict the editor resolves by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from credgroup.errors import Conflict, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.kb.identifying import refuse_self_identifying
from credgroup.kb.inputs import CONTENT_FIELDS, clean_article_fields, clean_text, content_of
from credgroup.kb.models import Article, ArticleState, EditSuggestion, SuggestionState
from credgroup.kb.permissions import (
    can_view,
    is_author,
    is_editor,
    own_condition,
    person_in,
    require_editor,
    require_view,
    staff_scope_condition,
)
from credgroup.kb.revisions import audit_staff_action, get_revision, save_content
from credgroup.reports.anonymise import today

if TYPE_CHECKING:
    from credgroup.accounts.models import User

MAX_PENDING_PER_PERSON = 5


def suggest_edit(
    user: User, article: Article, data: Mapping[str, Any], *, base_version: int, summary: str
) -> EditSuggestion:
    """Propose changes to a published article the person may read but not edit."""
    require_view(user, article)
    if article.state is not ArticleState.PUBLISHED:
        raise ValidationError(None, "Only published articles take suggestions.")
    if is_editor(user, article):
        raise ValidationError(None, "You can edit this article directly.")
    if not 1 <= base_version <= article.version:
        raise ValidationError("version", "That version of the article does not exist.")
    summary = clean_text(summary, "summary", required=True)
    proposed = clean_article_fields(data, partial=True, only=CONTENT_FIELDS)
    refuse_self_identifying(user, proposed)  # the editors see "A member"
    base = content_of(get_revision(article, base_version))
    proposed = {name: value for name, value in proposed.items() if value != base[name]}
    if not proposed:
        raise ValidationError(None, "The suggestion changes nothing.")
    me = person_in(user, article)
    _limit_pending(article, me)
    suggestion = EditSuggestion(
        article=article,
        base_version=base_version,
        proposed=proposed,
        summary=summary,
        suggester_pseudonym=me,
        suggested_on=today(),
    )
    db.session.add(suggestion)
    db.session.flush()
    return suggestion


def _limit_pending(article: Article, pseudonym: str) -> None:
    pending = db.session.scalar(
        sa.select(sa.func.count()).where(
            EditSuggestion.article_id == article.id,
            EditSuggestion.suggester_pseudonym == pseudonym,
            EditSuggestion.state == SuggestionState.PENDING,
        )
    )
    if (pending or 0) >= MAX_PENDING_PER_PERSON:
        raise Conflict(
            f"You already have {MAX_PENDING_PER_PERSON} suggestions waiting on this article."
        )


def get_suggestion(viewer: User, public_id: str) -> EditSuggestion:
    """A suggestion its article's editors or its own suggester may see."""
    suggestion = None
    if isinstance(public_id, str) and len(public_id) <= 64:
        suggestion = db.session.scalar(
            sa.select(EditSuggestion).where(EditSuggestion.public_id == public_id)
        )
    if suggestion is None or not can_view(viewer, suggestion.article):
        raise NotFound("No such suggestion.")
    if not (is_editor(viewer, suggestion.article) or is_suggester(viewer, suggestion)):
        raise NotFound("No such suggestion.")
    return suggestion


def is_suggester(user: User, suggestion: EditSuggestion) -> bool:
    return suggestion.suggester_pseudonym == person_in(user, suggestion.article)


def _require_pending(suggestion: EditSuggestion) -> None:
    if suggestion.state is not SuggestionState.PENDING:
        raise Conflict(f"This suggestion was already {suggestion.state.value}.")


def clashing_fields(suggestion: EditSuggestion) -> list[str]:
    """Fields the suggestion changes that someone else also changed since its base version."""
    article = suggestion.article
    if suggestion.base_version == article.version:
        return []
    base = content_of(get_revision(article, suggestion.base_version))
    current = content_of(article)
    return [
        name
        for name, value in suggestion.proposed.items()
        if name in current and current[name] != base[name] and current[name] != value
    ]


def _decide(user: User, suggestion: EditSuggestion, state: SuggestionState, note: str) -> None:
    suggestion.state, suggestion.decision_note, suggestion.decided_on = state, note, today()
    # An anonymous article's author deciding must not be recorded by id: it would unmask them.
    if not (suggestion.article.anonymous and is_author(user, suggestion.article)):
        suggestion.decided_by_id = user.id


def accept_suggestion(user: User, suggestion: EditSuggestion, note: str = "") -> EditSuggestion:
    """Apply a suggestion as a new revision (editors of the article)."""
    article = suggestion.article
    require_editor(user, article)
    _require_pending(suggestion)
    note = clean_text(note, "note")
    clashes = clashing_fields(suggestion)
    if clashes:
        raise Conflict(
            "The article changed since this suggestion in: "
            f"{', '.join(clashes)}. Edit the article by hand, then decline the suggestion."
        )
    content = {
        name: suggestion.proposed[name] for name in CONTENT_FIELDS if name in suggestion.proposed
    }
    save_content(
        user,
        article,
        content,
        base_version=article.version,
        summary=f"Suggested edit accepted: {suggestion.summary}",
        force_revision=True,
    )
    _decide(user, suggestion, SuggestionState.ACCEPTED, note)
    db.session.flush()
    audit_staff_action(user, article, "kb.suggestion.accept")
    return suggestion


def decline_suggestion(user: User, suggestion: EditSuggestion, note: str) -> EditSuggestion:
    """Turn a suggestion down; the note tells the (unknown) suggester why."""
    require_editor(user, suggestion.article)
    _require_pending(suggestion)
    note = clean_text(note, "note", required=True)
    _decide(user, suggestion, SuggestionState.DECLINED, note)
    db.session.flush()
    audit_staff_action(user, suggestion.article, "kb.suggestion.decline")
    return suggestion


def pending_suggestions(viewer: User) -> list[EditSuggestion]:
    """Suggestions waiting on articles the person edits (staff: their scope; members: their
    own articles), oldest first."""
    mine = staff_scope_condition(viewer) if viewer.is_staff else own_condition(viewer)
    query = (
        sa.select(EditSuggestion)
        .join(Article, Article.id == EditSuggestion.article_id)
        .where(EditSuggestion.state == SuggestionState.PENDING, mine)
        .options(selectinload(EditSuggestion.article).selectinload(Article.group))
        .order_by(EditSuggestion.suggested_on, EditSuggestion.id)
    )
    found = list(db.session.scalars(query))
    if viewer.is_staff:
        # The staff scope condition is is_editor's staff rule already (their groups and the
        # association-wide articles), without a query per article's group.
        return found
    return [s for s in found if is_editor(viewer, s.article)]


def suggestions_for(viewer: User, article: Article) -> list[EditSuggestion]:
    """On an article's page: all its suggestions for editors, one's own for the suggester."""
    query = sa.select(EditSuggestion).where(EditSuggestion.article_id == article.id)
    if not is_editor(viewer, article):
        query = query.where(EditSuggestion.suggester_pseudonym == person_in(viewer, article))
    return list(db.session.scalars(query.order_by(EditSuggestion.id.desc())))
