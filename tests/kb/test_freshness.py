"""'Worked for us' / 'No longer works': one current verdict per member company, shown as
counts and a month, and the needs-review flag with its facilitator list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from credgroup.errors import PermissionDenied
from credgroup.extensions import db
from credgroup.kb.freshness import (
    confirm_article,
    freshness,
    months_before,
    review_list,
    withdraw_confirmation,
)
from credgroup.kb.models import ArticleConfirmation, FreshnessKind
from credgroup.reports.anonymise import today
from tests.kb.conftest import write

WORKED, FAILED = FreshnessKind.WORKED, FreshnessKind.NO_LONGER_WORKS


def confirm(user, article, kind=WORKED):
    confirm_article(user, article, kind)
    db.session.commit()


def backdate(article, *, published: date | None = None, confirmed: date | None = None):
    if published:
        article.published_on = published
    if confirmed:
        for row in db.session.query(ArticleConfirmation).filter_by(article_id=article.id):
            row.confirmed_on = confirmed
    db.session.commit()


def signed_in(make_browser, email):
    browser = make_browser()
    browser.login(email)
    return browser


def test_confirmations_count_member_companies_once_with_the_latest_month(kb):
    article = write(kb.facilitator, group=kb.group)
    confirm(kb.alice, article)
    confirm(kb.alice_colleague, article)  # same company: replaces, not adds
    confirm(kb.bob, article)
    fresh = freshness(article)
    assert fresh.worked == 2
    month = today().strftime("%B %Y")
    assert fresh.text == f"Confirmed working by 2 members, most recently in {month}."


def test_a_company_can_change_its_verdict(kb):
    article = write(kb.facilitator)
    confirm(kb.bob, article, WORKED)
    confirm(kb.bob, article, FAILED)
    fresh = freshness(article)
    assert (fresh.worked, fresh.failed) == (0, 1)
    assert db.session.query(ArticleConfirmation).filter_by(article_id=article.id).count() == 1
    withdraw_confirmation(kb.bob, article)
    db.session.commit()
    assert freshness(article).failed == 0


def test_confirmations_hold_only_company_pseudonyms(kb):
    article = write(kb.facilitator, group=kb.group)
    confirm(kb.alice, article)
    row = db.session.query(ArticleConfirmation).one()
    assert len(row.company_pseudonym) == 64
    assert str(kb.alice.company_id) != row.company_pseudonym


def test_staff_and_outsiders_cannot_confirm(kb):
    article = write(kb.facilitator, group=kb.group)
    with pytest.raises(PermissionDenied):
        confirm_article(kb.facilitator, article, WORKED)
    from credgroup.errors import NotFound

    with pytest.raises(NotFound):
        confirm_article(kb.outsider, article, WORKED)


def test_one_member_is_singular_and_unconfirmed_is_said_plainly(kb):
    article = write(kb.facilitator)
    assert freshness(article).text == "Not confirmed as working by any member yet."
    confirm(kb.carol, article)
    assert freshness(article).text.startswith("Confirmed working by 1 member,")


def test_article_page_shows_the_freshness_and_the_buttons(kb, make_browser):
    article = write(kb.facilitator)
    confirm(kb.bob, article)
    carol = signed_in(make_browser, "carol@harbor.example")
    page = carol.get(f"/kb/{article.public_id}").get_data(as_text=True)
    assert "Confirmed working by 1 member, most recently in" in page
    assert "Worked for us" in page and "No longer works" in page
    response = carol.post_form(
        f"/kb/{article.public_id}",
        {"kind": "no_longer_works"},
        action=f"/kb/{article.public_id}/confirm",
    )
    assert response.status_code == 302
    page = carol.get(f"/kb/{article.public_id}").get_data(as_text=True)
    assert "1 member says it no longer works" in page
    assert "Needs review" in page  # a recent "no longer works"


def test_unknown_kind_of_confirmation_is_a_4xx_and_saves_nothing(kb, make_browser):
    article = write(kb.facilitator)
    carol = signed_in(make_browser, "carol@harbor.example")
    response = carol.post_form(
        f"/kb/{article.public_id}", {"kind": "maybe"}, action=f"/kb/{article.public_id}/confirm"
    )
    assert response.status_code == 422
    assert db.session.query(ArticleConfirmation).count() == 0


def test_article_not_confirmed_for_the_configured_months_needs_review(kb, app):
    article = write(kb.facilitator)
    assert not freshness(article).needs_review
    backdate(article, published=months_before(today(), 13))
    assert freshness(article).needs_review
    confirm(kb.bob, article)
    assert not freshness(article).needs_review
    backdate(article, confirmed=months_before(today(), 12) - timedelta(days=1))
    assert "Not confirmed as working in the last 12 months." in freshness(article).reasons
    app.config["KB_STALE_MONTHS"] = 24
    assert not freshness(article).needs_review


def test_recent_no_longer_works_needs_review_until_it_ages(kb, app):
    article = write(kb.facilitator)
    confirm(kb.bob, article, FAILED)
    confirm(kb.carol, article, WORKED)
    assert freshness(article).needs_review
    backdate(article, confirmed=today() - timedelta(days=91))
    backdate(article, published=today() - timedelta(days=100))
    assert not freshness(article).needs_review


def test_review_list_holds_flagged_articles_the_facilitator_edits(kb, make_browser):
    stale = write(kb.facilitator, group=kb.group, title="Stale workaround for Coupa")
    backdate(stale, published=months_before(today(), 18))
    failing = write(kb.alice, title="Failing workaround for Basware")
    confirm(kb.bob, failing, FAILED)
    fine = write(kb.alice, title="Fresh workaround for Taulia")
    elsewhere = write(kb.outsider, group=kb.other, title="Stale in another group")
    backdate(elsewhere, published=months_before(today(), 18))
    listed = [a.title for a, _ in review_list(kb.facilitator)]
    assert set(listed) == {stale.title, failing.title}
    assert fine.title not in listed
    assert {a.title for a, _ in review_list(kb.admin)} >= {stale.title, elsewhere.title}
    page = signed_in(make_browser, "fran@association.example").get("/kb/review")
    text = page.get_data(as_text=True)
    assert stale.title in text and failing.title in text and elsewhere.title not in text
    assert signed_in(make_browser, "bob@granite.example").get("/kb/review").status_code == 403


def test_months_before_clamps_to_the_end_of_shorter_months():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
