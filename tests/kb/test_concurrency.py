"""Two people editing the same article never silently overwrite each other."""

from __future__ import annotations

import re

import pytest

from credgroup.extensions import db
from credgroup.kb import articles
from credgroup.kb.revisions import EditConflict
from tests.fixtures.app import csrf_token_from
from tests.kb.conftest import write

FORM_FIELDS = ("title", "problem", "workaround", "error_text", "tags", "portal", "scope")


def open_edit_form(browser, article) -> dict[str, str]:
    """What a browser holds after opening the edit page: its inputs' values and the token."""
    html = browser.get(f"/kb/{article.public_id}/edit").get_data(as_text=True)
    values = {"csrf_token": csrf_token_from(html)}
    values["version"] = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    values["title"] = re.search(r'name="title"[^>]*value="([^"]*)"', html).group(1)
    return values


def submit(browser, article, held: dict[str, str], **changes):
    data = {
        "title": held["title"],
        "scope": "",
        "portal": "sap-business-network",
        "workaround": "1. Put the PO's payloadID in `OrderReference`.\n2. Resubmit.",
        **{k: v for k, v in held.items() if k in ("csrf_token", "version")},
        **changes,
    }
    return browser.client.post(f"/kb/{article.public_id}/edit", data=data)


def test_second_of_two_browsers_gets_409_with_the_others_changes_and_keeps_its_text(
    kb, make_browser
):
    article = write(kb.facilitator)
    fran, adam = make_browser(), make_browser()
    fran.login("fran@association.example")
    adam.login("adam@association.example")
    fran_form = open_edit_form(fran, article)
    adam_form = open_edit_form(adam, article)
    assert fran_form["version"] == adam_form["version"] == "1"

    first = submit(
        fran,
        article,
        fran_form,
        workaround="Fran's steps: call the buyer first.",
        summary="Fran's fix",
    )
    assert first.status_code == 302

    second = submit(
        adam,
        article,
        adam_form,
        workaround="Adam's steps: resubmit by PO flip.",
        summary="Adam's fix",
    )
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else saved this article" in page
    assert "Fran Fields" in page and "Fran&#39;s fix" in page  # who and why
    assert "call the buyer first" in page.split("What they changed")[1]  # their change, shown
    assert "Adam&#39;s steps: resubmit by PO flip." in page  # his text is kept in the form
    assert re.search(r'name="version"[^>]*value="2"', page)  # to save on top, knowingly

    db.session.expire_all()
    assert article.workaround == "Fran's steps: call the buyer first."
    assert article.version == 2 and len(article.revisions) == 2

    again = submit(
        adam,
        article,
        {**adam_form, "version": "2"},
        workaround="Merged: call the buyer first, then resubmit by PO flip.",
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert article.version == 3
    assert [r.number for r in article.revisions] == [1, 2, 3]


def test_stale_version_changes_nothing_at_all(kb):
    article = write(kb.facilitator)
    articles.update_article(kb.facilitator, article, {"title": "First edit wins"}, base_version=1)
    db.session.commit()
    with pytest.raises(EditConflict) as caught:
        articles.update_article(
            kb.admin, article, {"title": "Second edit", "tags": ["x"]}, base_version=1
        )
    db.session.rollback()
    assert caught.value.current_version == 2
    db.session.expire_all()
    assert article.title == "First edit wins" and article.tags == ["inv-15", "po reference"]


def test_conditional_update_refuses_a_save_that_raced_past_the_check(kb):
    """Both requests read version 1; the one that writes second must not win, even though
    its in-memory copy still says version 1."""
    article = write(kb.facilitator)
    # Another transaction saved version 2 behind this session's back.
    with db.engine.begin() as conn:
        from credgroup.kb.models import Article

        conn.execute(Article.__table__.update().where(Article.id == article.id).values(version=2))
    assert article.version == 1  # the stale copy in this session
    with pytest.raises(EditConflict):
        articles.update_article(kb.admin, article, {"title": "Late edit"}, base_version=1)
    db.session.rollback()


def test_a_version_that_never_existed_is_a_422(kb, make_browser):
    article = write(kb.facilitator)
    fran = make_browser()
    fran.login("fran@association.example")
    held = open_edit_form(fran, article)
    for bad in ("7", "0", "abc", ""):
        response = submit(fran, article, {**held, "version": bad}, title="Changed title")
        assert response.status_code == 422, bad
    db.session.expire_all()
    assert article.version == 1
