"""The demo knowledge base: real workarounds across portals, loaded through the services,
idempotently, with anonymous authors kept anonymous."""

from __future__ import annotations

from collections import Counter

from credgroup.demo.load import load_demo_data
from credgroup.extensions import db
from credgroup.kb.demo import load_demo_articles
from credgroup.kb.demo_data import ARTICLES
from credgroup.kb.freshness import freshness_for
from credgroup.kb.models import Article, ArticleConfirmation, ArticleState, EditSuggestion


def load_everything() -> int:
    """``demo-data`` loads the articles; returns how many it added."""
    summary = load_demo_data()
    db.session.commit()
    return summary.created["articles"]


def test_demo_articles_load_once_across_portals_and_scopes(app):
    assert load_everything() == len(ARTICLES) >= 20
    assert load_demo_articles() == 0  # idempotent
    db.session.commit()
    found = db.session.query(Article).all()
    assert len(found) == len(ARTICLES)
    assert all(a.state is ArticleState.PUBLISHED and a.external_id for a in found)
    portals = Counter(a.portal.slug for a in found)
    assert len(portals) >= 7
    scopes = Counter(a.group.slug if a.group else None for a in found)
    assert scopes[None] > 10 and len(scopes) == 4
    assert sum(a.anonymous for a in found) >= 3
    assert db.session.query(ArticleConfirmation).count() > 30
    assert db.session.query(EditSuggestion).count() >= 1
    fresh = freshness_for(found)
    assert any(f.needs_review for f in fresh.values())
    assert sum(f.worked > 0 for f in fresh.values()) > 15


def test_anonymous_demo_articles_show_no_author(app, make_browser):
    load_everything()
    anonymous = db.session.query(Article).filter_by(anonymous=True).all()
    browser = make_browser()
    browser.login("facilitator@demo-credit.example", "demo-password-2026")
    for article in anonymous:
        if article.group is not None and article.group.slug == "oilfield-services":
            continue  # not her group
        text = browser.get(f"/kb/{article.public_id}").get_data(as_text=True)
        assert "by A member" in text
        for name in ("Linda Marsh", "Julie Park", "Angela Price", "Wade Larsen"):
            assert name not in text
        assert article.author_id is None and article.author_pseudonym not in text
