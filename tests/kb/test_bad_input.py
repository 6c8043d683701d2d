"""Bad input of any kind: a clear 4xx, the input kept in the form, nothing half-saved; and
Markdown with scripts, event handlers or javascript: links renders harmless."""

from __future__ import annotations

import pytest

from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.kb import articles
from credgroup.kb.inputs import clean_article_fields
from credgroup.kb.models import Article, ArticleRevision
from tests.kb.conftest import ARTICLE, write

NASTY = (
    "Steps:\n\n<script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    "[click me](javascript:alert(1))\n\n"
    '<a href="javascript:alert(2)" onclick="steal()">raw link</a>\n\n'
    '<p style="color:red" onmouseover="x()">styled</p>\n\n'
    "[fine](https://example.com/help)"
)


def signed_in(make_browser, email):
    browser = make_browser()
    browser.login(email)
    return browser


def form_data(**changes):
    data = {
        "title": ARTICLE["title"],
        "scope": "",
        "portal": "sap-business-network",
        "problem": ARTICLE["problem"],
        "workaround": ARTICLE["workaround"],
        "error_text": ARTICLE["error_text"],
        "categories": ["rejected_format"],
        "channels": ["cxml"],
        "tags": "inv-15, po reference",
        "action": "publish",
    }
    data.update(changes)
    return data


def test_scripts_event_handlers_and_javascript_links_render_harmless(kb, make_browser):
    article = write(kb.alice, problem=NASTY, workaround=NASTY)
    page = signed_in(make_browser, "bob@granite.example").get(f"/kb/{article.public_id}")
    html = page.get_data(as_text=True).lower()
    assert "<script>alert" not in html
    for bad in ("onerror=", "onclick=", "onmouseover=", "javascript:", 'style="color'):
        assert bad not in html, bad
    assert 'href="https://example.com/help"' in html


def test_creating_through_the_page_and_publishing(kb, make_browser):
    alice = signed_in(make_browser, "alice@northfield.example")
    response = alice.post_form("/kb/new", form_data(anonymous="y", scope="building-materials"))
    assert response.status_code == 302
    article = db.session.query(Article).one()
    assert article.anonymous and article.author_id is None and article.group_id == kb.group.id
    assert article.tags == ["inv-15", "po reference"] and article.state.value == "published"
    page = signed_in(make_browser, "bob@granite.example").get(response.headers["Location"])
    text = page.get_data(as_text=True)
    assert "by A member" in text and "Alice" not in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "x" * 201}, "A title has 5 to 200 characters."),
        ({"title": ""}, "Give the article a title."),
        ({"workaround": "w" * 20_001}, "At most 20,000 characters."),
        ({"error_text": "e" * 4_001}, "At most 4,000 characters."),
        ({"portal": "no-such-portal"}, "Not a valid choice"),
        ({"categories": ["bogus"]}, "not a valid choice"),
        ({"channels": ["carrier-pigeon"]}, "not a valid choice"),
        ({"scope": "food"}, "Not a valid choice"),  # a group she is not in
        ({"tags": "<b>bold</b>"}, "A tag has at most"),
        ({"workaround": ""}, "Describe the workaround before publishing."),
    ],
)
def test_bad_input_is_a_4xx_with_the_input_kept_and_nothing_saved(
    kb, make_browser, changes, message
):
    alice = signed_in(make_browser, "alice@northfield.example")
    data = form_data(**changes, problem="My carefully written problem text.")
    response = alice.post_form("/kb/new", data)
    assert response.status_code in (400, 422), response.status_code
    text = response.get_data(as_text=True)
    assert message.lower() in text.lower()
    assert "My carefully written problem text." in text  # the input is kept
    assert db.session.query(Article).count() == 0
    assert db.session.query(ArticleRevision).count() == 0


def test_buyer_names_are_refused_in_groups_that_do_not_name_customers(kb):
    with pytest.raises(ValidationError) as caught:
        articles.create_article(
            kb.outsider, {**ARTICLE, "buyer_name": "Acme Retail"}, group=kb.other
        )
    assert caught.value.field == "buyer_name"
    db.session.rollback()
    assert db.session.query(Article).count() == 0


def test_unknown_keys_in_service_input_are_validated(kb):
    with pytest.raises(ValidationError) as caught:
        clean_article_fields({**ARTICLE, "categories": "fees, nonsense"})
    assert caught.value.field == "categories"
    with pytest.raises(ValidationError):
        clean_article_fields({**ARTICLE, "tags": [3]})
    with pytest.raises(ValidationError):
        clean_article_fields({**ARTICLE, "title": ["not", "text"]})


@pytest.mark.parametrize(
    "url",
    [
        "/kb/nope",
        "/kb/nope/edit",
        "/kb/nope/history",
        "/kb/nope/diff",
        "/kb/nope/suggest",
        "/kb/suggestions/nope",
        "/kb/" + "x" * 500,
    ],
)
def test_unknown_ids_are_404(kb, make_browser, url):
    assert signed_in(make_browser, "bob@granite.example").get(url).status_code == 404


@pytest.mark.parametrize(
    "query", ["category=nope", "channel=nope", "state=deleted", "portal=nope", "page=0", "page=x"]
)
def test_bad_list_filters_are_a_400_with_the_filters_shown(kb, make_browser, query):
    response = signed_in(make_browser, "bob@granite.example").get(f"/kb/?{query}")
    assert response.status_code in (400, 404)


def test_list_filter_by_another_groups_slug_is_404(kb, make_browser):
    response = signed_in(make_browser, "bob@granite.example").get("/kb/?scope=food")
    assert response.status_code == 404


def test_unknown_suggestion_decision_is_404(kb, make_browser):
    article = write(kb.alice)
    response = signed_in(make_browser, "alice@northfield.example").post_form(
        f"/kb/{article.public_id}", {}, action="/kb/suggestions/abc/maybe"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "text",
    [
        "We at Northfield Aggregates found this.",
        "NFA found this.",
        "Ask Alice Archer.",
        "Write to alice@northfield.example.",
    ],
)
def test_anonymous_text_that_names_its_writer_is_refused(kb, make_browser, text):
    alice = signed_in(make_browser, "alice@northfield.example")
    response = alice.post_form("/kb/new", form_data(anonymous="y", workaround=text))
    assert response.status_code == 422
    assert "Take it out to stay anonymous" in response.get_data(as_text=True)
    assert db.session.query(Article).count() == 0


def test_named_articles_may_name_the_writers_company(kb):
    article = write(kb.alice, workaround="We at Northfield Aggregates found this.")
    assert article.author_id == kb.alice.id


def test_anonymous_author_edits_and_suggestions_are_checked_too(kb):
    from credgroup.kb import suggestions

    article = write(kb.alice, anonymous=True)
    with pytest.raises(ValidationError):
        articles.update_article(
            kb.alice, article, {"problem": "Seen at NFA."}, base_version=article.version
        )
    db.session.rollback()
    with pytest.raises(ValidationError):
        suggestions.suggest_edit(
            kb.bob,
            article,
            {"problem": "Granite Ridge Supply saw it too."},
            base_version=1,
            summary="More detail",
        )
