"""Suggested edits: members without edit rights propose; editors accept (a new revision) or
decline with a note; the suggester stays "A member"."""

from __future__ import annotations

import pytest

from credgroup.errors import Conflict, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.kb import articles, suggestions
from credgroup.kb.models import EditSuggestion, SuggestionState
from tests.kb.conftest import write


def signed_in(make_browser, email):
    browser = make_browser()
    browser.login(email)
    return browser


def suggest(user, article, summary="Clearer steps", base_version=None, **fields):
    suggestion = suggestions.suggest_edit(
        user,
        article,
        fields,
        base_version=base_version or article.version,
        summary=summary,
    )
    db.session.commit()
    return suggestion


def test_member_suggests_through_the_page_and_the_author_accepts(kb, make_browser):
    article = write(kb.alice, group=kb.group, anonymous=True)
    bob = signed_in(make_browser, "bob@granite.example")
    page = f"/kb/{article.public_id}/suggest"
    form = {
        "title": article.title,
        "workaround": "1. Put the payloadID in OrderReference.\n2. Resubmit with a new number.",
        "problem": article.problem,
        "error_text": article.error_text,
        "categories": ["rejected_format"],
        "channels": ["cxml"],
        "tags": "inv-15, po reference",
        "summary": "The resubmission needs a new number",
        "version": "1",
    }
    assert bob.post_form(page, form).status_code == 302
    suggestion = db.session.query(EditSuggestion).one()
    assert set(suggestion.proposed) == {"workaround"}  # only what changed
    assert suggestion.suggester_pseudonym and len(suggestion.suggester_pseudonym) == 64

    alice = signed_in(make_browser, "alice@northfield.example")
    listing = alice.get("/kb/suggestions").get_data(as_text=True)
    assert "The resubmission needs a new number" in listing and "Bob" not in listing
    detail = alice.get(f"/kb/suggestions/{suggestion.public_id}").get_data(as_text=True)
    assert "<ins>" in detail and "A member" in detail and "Granite" not in detail
    response = alice.post_form(
        f"/kb/suggestions/{suggestion.public_id}",
        {"note": "Thanks!"},
        action=f"/kb/suggestions/{suggestion.public_id}/accept",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert article.version == 2 and article.workaround.endswith("new number.")
    assert suggestion.state is SuggestionState.ACCEPTED
    # The anonymous author's decision is not recorded by user id.
    assert suggestion.decided_by_id is None and article.revisions[-1].editor_id is None
    own = bob.get(f"/kb/{article.public_id}").get_data(as_text=True)
    assert "Your suggestions" in own and "accepted" in own


def test_editor_declines_with_a_note_the_suggester_reads(kb, make_browser):
    article = write(kb.facilitator)
    suggestion = suggest(kb.bob, article, tags=["inv-15", "nonsense"])
    with pytest.raises(ValidationError):
        suggestions.decline_suggestion(kb.facilitator, suggestion, "")
    db.session.rollback()
    suggestions.decline_suggestion(kb.facilitator, suggestion, "Not a useful tag.")
    db.session.commit()
    assert article.version == 1
    page = signed_in(make_browser, "bob@granite.example").get(
        f"/kb/suggestions/{suggestion.public_id}"
    )
    assert "Not a useful tag." in page.get_data(as_text=True)
    with pytest.raises(Conflict):
        suggestions.accept_suggestion(kb.facilitator, suggestion)


def test_suggestions_are_private_to_the_suggester_and_the_editors(kb):
    article = write(kb.facilitator)
    suggestion = suggest(kb.bob, article, title="A better title for this")
    assert suggestions.get_suggestion(kb.bob, suggestion.public_id) is suggestion
    assert suggestions.get_suggestion(kb.admin, suggestion.public_id) is suggestion
    with pytest.raises(NotFound):
        suggestions.get_suggestion(kb.carol, suggestion.public_id)
    with pytest.raises(NotFound):
        suggestions.get_suggestion(kb.bob, "no-such-id")


def test_only_editors_decide(kb):
    article = write(kb.alice)
    suggestion = suggest(kb.bob, article, title="A better title for this")
    from credgroup.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        suggestions.accept_suggestion(kb.carol, suggestion)


def test_editors_and_empty_suggestions_are_refused(kb):
    article = write(kb.alice)
    with pytest.raises(ValidationError):
        suggest(kb.alice, article, title="Editors edit directly")
    with pytest.raises(ValidationError):
        suggest(kb.bob, article, title=article.title)  # changes nothing
    with pytest.raises(ValidationError):
        suggest(kb.bob, article, summary="", title="No reason given")


def test_a_suggestion_on_an_older_version_applies_when_nothing_clashes(kb):
    article = write(kb.facilitator)
    suggestion = suggest(kb.bob, article, tags=["inv-15", "edi 810"])
    articles.update_article(kb.facilitator, article, {"title": "Retitled by Fran"}, base_version=1)
    db.session.commit()
    suggestions.accept_suggestion(kb.facilitator, suggestion)
    db.session.commit()
    assert article.title == "Retitled by Fran" and article.tags == ["inv-15", "edi 810"]
    assert article.version == 3


def test_a_suggestion_whose_fields_changed_since_is_a_conflict(kb):
    article = write(kb.facilitator)
    suggestion = suggest(kb.bob, article, title="Bob's better title")
    articles.update_article(kb.facilitator, article, {"title": "Fran's title"}, base_version=1)
    db.session.commit()
    assert suggestions.clashing_fields(suggestion) == ["title"]
    with pytest.raises(Conflict):
        suggestions.accept_suggestion(kb.facilitator, suggestion)
    db.session.rollback()
    assert article.title == "Fran's title"


def test_pending_suggestions_per_person_are_limited(kb):
    article = write(kb.facilitator)
    for n in range(suggestions.MAX_PENDING_PER_PERSON):
        suggest(kb.bob, article, title=f"Title number {n} for this")
    with pytest.raises(Conflict):
        suggest(kb.bob, article, title="One too many suggestions")
