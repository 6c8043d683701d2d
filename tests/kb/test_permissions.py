"""Who sees and who edits which article, in the pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from credgroup.errors import NotFound, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.groups.services import archive_group
from credgroup.kb import articles, queries
from credgroup.kb.models import Article, ArticleState
from credgroup.kb.permissions import (
    can_view,
    get_article,
    is_editor,
    published_visible_condition,
    visible_condition,
)
from tests.kb.conftest import write


def signed_in(make_browser, email: str):
    browser = make_browser()
    browser.login(email)
    return browser


def test_association_wide_article_is_read_by_every_signed_in_person(kb, make_browser, client):
    article = write(kb.facilitator)
    for email in ("olga@prairie.example", "gus@association.example"):
        page = signed_in(make_browser, email).get(f"/kb/{article.public_id}")
        assert page.status_code == 200
        assert article.title in page.get_data(as_text=True)
    assert client.get(f"/kb/{article.public_id}").status_code in (302, 401)


def test_member_of_another_group_cannot_see_a_group_article(kb, make_browser):
    article = write(kb.bob, group=kb.group)
    outsider = signed_in(make_browser, "olga@prairie.example")
    for url in (f"/kb/{article.public_id}", f"/kb/{article.public_id}/history"):
        assert outsider.get(url).status_code == 404
    listing = outsider.get("/kb/").get_data(as_text=True)
    assert article.title not in listing
    assert (
        signed_in(make_browser, "carol@harbor.example").get(f"/kb/{article.public_id}").status_code
        == 200
    )


def test_facilitator_of_another_group_cannot_see_a_group_article(kb, make_browser):
    article = write(kb.bob, group=kb.group)
    other = signed_in(make_browser, "gus@association.example")
    assert other.get(f"/kb/{article.public_id}").status_code == 404
    assert other.get(f"/kb/{article.public_id}/edit").status_code == 404


def test_drafts_are_seen_only_by_their_author_and_editors(kb, make_browser):
    draft = write(kb.alice, group=kb.group, publish=False)
    assert draft.state is ArticleState.DRAFT
    assert (
        signed_in(make_browser, "bob@granite.example").get(f"/kb/{draft.public_id}").status_code
        == 404
    )
    colleague = signed_in(make_browser, "ned@northfield.example")
    assert colleague.get(f"/kb/{draft.public_id}").status_code == 404  # same company, not author
    for email in (
        "alice@northfield.example",
        "fran@association.example",
        "adam@association.example",
    ):
        assert signed_in(make_browser, email).get(f"/kb/{draft.public_id}").status_code == 200


def test_anonymous_author_is_recognised_by_pseudonym_for_their_drafts(kb, make_browser):
    draft = write(kb.alice, group=kb.group, publish=False, anonymous=True)
    assert draft.author_id is None and draft.author_pseudonym
    alice = signed_in(make_browser, "alice@northfield.example")
    assert alice.get(f"/kb/{draft.public_id}/edit").status_code == 200
    assert draft.title in alice.get("/kb/").get_data(as_text=True)  # "your drafts"


def test_member_cannot_edit_someone_elses_article_but_can_suggest(kb, make_browser):
    article = write(kb.alice, group=kb.group)
    bob = signed_in(make_browser, "bob@granite.example")
    assert bob.get(f"/kb/{article.public_id}/edit").status_code == 403
    page = bob.get(f"/kb/{article.public_id}").get_data(as_text=True)
    assert "Suggest an edit" in page
    assert f"/kb/{article.public_id}/edit" not in page
    assert bob.get(f"/kb/{article.public_id}/suggest").status_code == 200


def test_edit_post_by_non_editor_changes_nothing(kb, make_browser):
    article = write(kb.alice, group=kb.group)
    bob = signed_in(make_browser, "bob@granite.example")
    page = f"/kb/{article.public_id}/suggest"  # a page of the article with a CSRF token
    response = bob.post_form(
        page,
        {"title": "Hijacked title", "version": "1", "scope": "building-materials"},
        action=f"/kb/{article.public_id}/edit",
    )
    assert response.status_code == 403
    from credgroup.extensions import db

    db.session.expire_all()
    again = get_article(kb.alice, article.public_id)
    assert again.title != "Hijacked title" and again.version == 1 and len(again.revisions) == 1


def test_facilitators_edit_their_groups_and_association_articles_admins_everything(kb):
    group_article = write(kb.alice, group=kb.group)
    other_article = write(kb.outsider, group=kb.other)
    wide = write(kb.alice)
    assert is_editor(kb.facilitator, group_article) and is_editor(kb.facilitator, wide)
    assert not is_editor(kb.facilitator, other_article)
    assert not can_view(kb.facilitator, other_article)
    assert all(is_editor(kb.admin, a) for a in (group_article, other_article, wide))
    assert is_editor(kb.alice, group_article) and not is_editor(kb.alice_colleague, group_article)


def test_author_loses_edit_rights_when_their_company_leaves_the_group(kb, factory):
    from credgroup.extensions import db
    from credgroup.groups.models import GroupMembership

    article = write(kb.alice, group=kb.group)
    db.session.query(GroupMembership).filter_by(company_id=kb.alice.company_id).delete()
    db.session.commit()
    assert not is_editor(kb.alice, article)
    with pytest.raises(NotFound):
        get_article(kb.alice, article.public_id)


def test_members_write_only_for_their_own_groups(kb):
    with pytest.raises(NotFound):
        articles.resolve_scope(kb.outsider, "building-materials")
    with pytest.raises(PermissionDenied):
        articles.create_article(kb.outsider, {"title": "Something useful"}, group=kb.group)


def test_staff_cannot_write_anonymously(kb):
    with pytest.raises(ValidationError):
        articles.create_article(
            kb.facilitator, {"title": "Something useful"}, group=kb.group, anonymous=True
        )


def test_archived_articles_leave_the_list_and_only_editors_open_them(kb, make_browser):
    article = write(kb.alice)
    articles.archive_article(kb.facilitator, article)
    from credgroup.extensions import db

    db.session.commit()
    bob = signed_in(make_browser, "bob@granite.example")
    assert bob.get(f"/kb/{article.public_id}").status_code == 404
    assert article.title not in bob.get("/kb/").get_data(as_text=True)
    alice = signed_in(make_browser, "alice@northfield.example")
    assert alice.get(f"/kb/{article.public_id}").status_code == 200
    archived = alice.get("/kb/?state=archived").get_data(as_text=True)
    assert article.title in archived


def test_list_query_never_holds_what_can_view_refuses(kb):
    made = [
        write(kb.alice, group=kb.group),
        write(kb.alice, group=kb.group, publish=False),
        write(kb.outsider, group=kb.other),
        write(kb.outsider, group=kb.other, publish=False, anonymous=True),
        write(kb.facilitator),
        write(kb.bob, publish=False),
    ]
    people = [kb.alice, kb.bob, kb.outsider, kb.facilitator, kb.other_facilitator, kb.admin]
    for person in people:
        for state in queries.STATES:
            listed = queries.list_articles(person, queries.ArticleFilters(state=state)).items
            for article in listed:
                assert can_view(person, article), (person.email, article.title)
        published = {a.id for a in queries.list_articles(person, queries.ArticleFilters()).items}
        expected = {a.id for a in made if a.state is ArticleState.PUBLISHED and can_view(person, a)}
        assert published == expected


def test_published_and_visible_is_visible_and_published_for_everyone(kb):
    """The portal page's simplified condition picks exactly the published articles the
    full rule lets each kind of person see: member, colleague, outsider, facilitators and
    the admin, over articles in every state, scope and in an archived group."""
    archived_group_article = write(kb.outsider, group=kb.other, title="In the food group")
    write(kb.facilitator, title="Association-wide")
    write(kb.alice, group=kb.group, title="Alice's, published")
    write(kb.alice, group=kb.group, publish=False, title="Alice's draft")
    write(kb.alice, group=kb.group, anonymous=True, title="Alice's, anonymous")
    write(kb.bob, group=kb.group, title="Bob's")
    articles.archive_article(kb.facilitator, write(kb.facilitator, title="Archived article"))
    archive_group(kb.admin, kb.other)
    db.session.commit()

    def ids(condition) -> set[int]:
        return set(db.session.scalars(sa.select(Article.id).where(condition)))

    people = [
        kb.alice,
        kb.alice_colleague,
        kb.bob,
        kb.outsider,
        kb.facilitator,
        kb.other_facilitator,
        kb.admin,
    ]
    for person in people:
        full = ids(sa.and_(visible_condition(person), Article.state == ArticleState.PUBLISHED))
        assert ids(published_visible_condition(person)) == full, person.email
    assert archived_group_article.id in ids(published_visible_condition(kb.admin))
    assert archived_group_article.id not in ids(published_visible_condition(kb.outsider))
