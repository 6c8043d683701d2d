"""What the search understands: boosts, stemming, typos, phrases, prefixes, portal aliases."""

from __future__ import annotations

import pytest

from tests.search.conftest import article, index_now, publish, search, titles


@pytest.fixture
def corpus(world):
    """Two articles that differ only in where a word appears."""
    article(title="Remittance advice missing", problem="The portal sends no details.")
    article(title="Payment details", problem="Look for the remittance advice in the portal.")
    index_now()
    return world


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(corpus):
    assert titles(search(corpus.alice, "remittance"))[:2] == [
        "Remittance advice missing",
        "Payment details",
    ]


def test_stemming_finds_other_forms_of_a_word(world):
    assert "Invoices rejected with INV-15 for orders outside the network" in titles(
        search(world.alice, "rejecting invoice")
    )
    assert titles(search(world.alice, "upgrading")) == ["Supplier charged for a premium account"]


def test_a_typo_is_corrected_and_the_page_says_so(world):
    outcome = search(world.alice, "premuim acount")
    assert titles(outcome) == ["Supplier charged for a premium account"]
    assert outcome.corrected_from == "premuim acount"
    assert outcome.query == "premium account"


def test_exact_search_skips_the_correction_and_says_nothing_found(world):
    outcome = search(world.alice, "premuim", correct=False)
    assert outcome.total == 0 and outcome.corrected_from is None


def test_did_you_mean_offers_a_spelling_that_finds_more(world):
    for n in range(4):
        publish(world.bob, world.group, title=f"Premium tier number {n}", body="premium premium")
    publish(world.bob, world.group, title="Premiun typo report", body="premiun")
    index_now()
    outcome = search(world.alice, "premiun")
    assert outcome.total == 1
    assert outcome.did_you_mean == "premium"


def test_a_phrase_matches_the_words_together_only(world):
    article(title="Orders outside", problem="The network sent orders; nothing outside of it.")
    index_now()
    assert set(titles(search(world.alice, '"orders outside"'))) == {
        "Invoices rejected with INV-15 for orders outside the network",
        "Orders outside",
    }
    assert titles(search(world.alice, '"outside orders"')) == []


def test_a_phrase_does_not_run_from_one_field_into_the_next(world):
    article(title="Quarterly orders", problem="Outside the portal, nothing.", tags=["outside"])
    index_now()
    assert "Quarterly orders" not in titles(search(world.alice, '"orders outside"'))
    assert "Quarterly orders" in titles(search(world.alice, "orders outside"))


def test_an_error_code_is_matched_as_written(world):
    assert titles(search(world.alice, "INV-15")) == [
        "Invoices rejected with INV-15 for orders outside the network"
    ]


def test_a_prefix_matches_every_word_starting_with_it(world):
    found = titles(search(world.alice, "resubmit*"))
    assert found == ["Resubmitting a rejected Coupa invoice"]
    assert search(world.alice, "invoic*").total >= 2


def test_a_prefix_longer_than_the_stem_still_matches(world):
    article(title="Subscriptions explained", problem="Enterprise subscriptions are charged.")
    index_now()
    assert titles(search(world.alice, "subscription*")) == ["Subscriptions explained"]


def test_a_short_prefix_is_refused_with_a_notice(world):
    outcome = search(world.alice, "in*")
    assert any("at least 3 letters" in notice for notice in outcome.notices)


def test_a_portal_alias_finds_documents_naming_the_portal_another_way(world):
    article(title="Network onboarding", problem="Register on SAP Business Network first.")
    index_now()
    found = titles(search(world.alice, "ariba"))
    assert "Network onboarding" in found  # says "SAP Business Network", never "Ariba"
    assert "Invoices rejected with INV-15 for orders outside the network" in found


def test_a_portal_name_typed_as_separate_words_finds_the_portals_documents(world):
    found = titles(search(world.alice, "sap business network invoices"))
    assert found == ["Invoices rejected with INV-15 for orders outside the network"]


def test_the_portal_name_finds_what_was_written_with_an_alias(world):
    article(title="Ariba account tiers", problem="Ariba SN counts documents per relationship.")
    index_now()
    assert "Ariba account tiers" in titles(search(world.alice, '"sap business network"'))


def test_excluded_words_remove_documents(world):
    with_word = set(titles(search(world.alice, "invoice")))
    without = set(titles(search(world.alice, "invoice -coupa")))
    assert "Resubmitting a rejected Coupa invoice" in with_word - without


def test_or_finds_either_word(world):
    outcome = search(world.alice, "quokka OR premium")
    assert set(titles(outcome)) == {
        "Quokka handling for building materials",
        "Supplier charged for a premium account",
    }


def test_when_no_document_has_every_word_those_with_some_are_shown(world):
    outcome = search(world.alice, "quokka premium")
    assert outcome.any_words
    assert len(outcome.hits) == 2


def test_long_question_like_queries_rank_documents_with_more_words_first(world):
    outcome = search(world.alice, "why was my invoice rejected by the network for outside orders")
    assert outcome.hits[0].title == "Invoices rejected with INV-15 for orders outside the network"
