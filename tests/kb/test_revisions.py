"""Every save is a revision; the history shows who (or "A member") and why; diffs between
any two revisions are readable and escaped; restoring an old one adds a new revision."""

from __future__ import annotations

import pytest

from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from credgroup.kb import articles
from credgroup.kb.diffing import diff_field, word_segments
from credgroup.kb.revisions import restore_revision
from tests.kb.conftest import write


def edit(user, article, summary="", **fields):
    changed = articles.update_article(
        user, article, fields, base_version=article.version, summary=summary
    )
    db.session.commit()
    return changed


def signed_in(make_browser, email):
    browser = make_browser()
    browser.login(email)
    return browser


def test_every_save_creates_a_numbered_revision_with_editor_and_summary(kb):
    article = write(kb.alice, group=kb.group)
    edit(kb.facilitator, article, "Clearer steps", workaround="1. Do this.\n2. Then that.")
    edit(kb.alice, article, "", tags=["inv-15", "cxml"])
    assert [r.number for r in article.revisions] == [1, 2, 3]
    assert article.version == 3
    second = article.revisions[1]
    assert second.workaround == "1. Do this.\n2. Then that." and second.summary == "Clearer steps"
    assert second.editor_id == kb.facilitator.id and article.revisions[2].editor_id == kb.alice.id


def test_saving_unchanged_content_makes_no_revision(kb):
    article = write(kb.alice)
    assert edit(kb.alice, article, title=article.title) is False
    assert article.version == 1 and len(article.revisions) == 1


def test_anonymous_authors_edits_hold_only_a_pseudonym_and_show_as_a_member(kb, make_browser):
    article = write(kb.alice, group=kb.group, anonymous=True)
    edit(kb.alice, article, "Fixed a typo", workaround="1. Corrected step.")
    edit(kb.facilitator, article, "Tidied", problem="Tidied problem text.")
    _first, mine, staff = article.revisions
    assert mine.editor_id is None and mine.editor_pseudonym == article.author_pseudonym
    assert staff.editor_id == kb.facilitator.id
    history = signed_in(make_browser, "bob@granite.example").get(f"/kb/{article.public_id}/history")
    text = history.get_data(as_text=True)
    assert text.count("A member") >= 2 and "Fran Fields" in text
    assert "Alice" not in text and "Northfield" not in text
    assert article.author_pseudonym not in text


def test_history_page_lists_revisions_newest_first(kb, make_browser):
    article = write(kb.alice)
    edit(kb.alice, article, "Second", workaround="Step two")
    page = signed_in(make_browser, "bob@granite.example").get(f"/kb/{article.public_id}/history")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.index("Second") < text.index("First version")


def test_diff_between_any_two_revisions_marks_removed_and_added_words(kb, make_browser):
    article = write(kb.alice, workaround="Resubmit the invoice with a suffix letter.")
    edit(kb.alice, article, "a", workaround="Resubmit the invoice with a new number.")
    edit(kb.alice, article, "b", title="INV-15 and INV-13: reference the PO")
    page = signed_in(make_browser, "bob@granite.example").get(
        f"/kb/{article.public_id}/diff?from=1&to=3"
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    removed = '<del><span class="visually-hidden">[removed: </span>suffix letter<span'
    added = '<ins><span class="visually-hidden">[added: </span>new number<span'
    assert removed in text and added in text
    assert "The workaround" in text and "Title" in text


def test_diff_escapes_html_in_the_text(kb, make_browser):
    article = write(kb.alice, workaround="Plain.")
    edit(kb.alice, article, "x", workaround='<script>alert(1)</script><img src=x onerror="y">')
    text = (
        signed_in(make_browser, "bob@granite.example")
        .get(f"/kb/{article.public_id}/diff?from=1&to=2")
        .get_data(as_text=True)
    )
    assert "<script>alert(1)" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("query", ["from=1&to=9", "from=0&to=1", "from=x&to=1", "to=99999999999"])
def test_diff_with_unknown_revisions_is_a_clear_4xx(kb, make_browser, query):
    article = write(kb.alice)
    response = signed_in(make_browser, "bob@granite.example").get(
        f"/kb/{article.public_id}/diff?{query}"
    )
    assert response.status_code in (404, 422)


def test_restoring_an_old_revision_adds_a_new_one(kb, make_browser):
    article = write(kb.alice, workaround="Original steps.")
    edit(kb.alice, article, "Worse", workaround="Worse steps.")
    fran = signed_in(make_browser, "fran@association.example")
    response = fran.post_form(
        f"/kb/{article.public_id}/history",
        {"version": "2"},
        action=f"/kb/{article.public_id}/revisions/1/restore",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert article.version == 3 and article.workaround == "Original steps."
    assert article.revisions[-1].summary == "Restored revision 1"
    assert [r.workaround for r in article.revisions] == [
        "Original steps.",
        "Worse steps.",
        "Original steps.",
    ]


def test_restore_from_a_stale_history_page_is_refused(kb):
    article = write(kb.alice, workaround="Original steps.")
    edit(kb.alice, article, "Worse", workaround="Worse steps.")
    from credgroup.kb.revisions import EditConflict

    with pytest.raises(EditConflict):
        restore_revision(kb.facilitator, article, 1, base_version=1)


def test_members_cannot_restore_others_articles(kb, make_browser):
    article = write(kb.alice, workaround="Original steps.")
    edit(kb.alice, article, "Changed", workaround="New steps.")
    bob = signed_in(make_browser, "bob@granite.example")
    response = bob.post_form(
        f"/kb/{article.public_id}/history",
        {"version": "2"},
        action=f"/kb/{article.public_id}/revisions/1/restore",
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert article.version == 2


def test_restoring_unknown_or_current_revision_is_refused(kb):
    article = write(kb.alice)
    with pytest.raises(NotFound):
        restore_revision(kb.alice, article, 7, base_version=1)
    with pytest.raises(ValidationError):
        restore_revision(kb.alice, article, 1, base_version=1)


def test_word_segments_and_list_diffs():
    assert word_segments("a b c", "a x c") == [
        ("same", "a "),
        ("del", "b"),
        ("ins", "x"),
        ("same", " c"),
    ]
    tags = diff_field("tags", ["a", "b"], ["b", "c"])
    kinds = [block.kind for block in tags.blocks]
    assert "removed" in kinds and "added" in kinds
    long_old = "\n".join(f"line {n}" for n in range(20))
    long_new = long_old.replace("line 10", "line ten")
    blocks = diff_field("problem", long_old, long_new).blocks
    assert any(b.kind == "skip" for b in blocks)  # unchanged runs are folded


def test_a_rewritten_passage_reads_as_removed_then_added():
    rewritten = diff_field(
        "workaround", "1. Put the PO's payloadID in.\n2. Resubmit.", "Call the buyer first."
    ).blocks
    assert [b.kind for b in rewritten] == ["removed", "added"]
    edited = diff_field("workaround", "Resubmit the invoice today.", "Resubmit the invoice now.")
    assert [b.kind for b in edited.blocks] == ["changed"]
