"""Only what the viewer may see: in hits, in facet counts and in totals."""

from __future__ import annotations

from credgroup.extensions import db
from credgroup.reports import authoring
from credgroup.search.models import SearchOutbox
from tests.search.conftest import index_now, search, titles


def _facet_total(outcome, name: str) -> int:
    return sum(value.count for value in outcome.facets[name])


def test_member_never_sees_another_groups_reports_in_results_facets_or_counts(world):
    outcome = search(world.alice, "coupa")
    assert "Zanzibar warehouse invoices stuck on Coupa" not in titles(outcome)
    assert outcome.total == len(outcome.hits) == 2  # the fees report and the article
    assert _facet_total(outcome, "type") == outcome.total
    assert [v.label for v in outcome.facets["group"]] == [
        "Association-wide",
        "Building Materials Credit Group",
    ] or {v.label for v in outcome.facets["group"]} == {
        "Association-wide",
        "Building Materials Credit Group",
    }
    fees = {v.key: v.count for v in outcome.facets["category"]}
    assert fees.get("fees") == 1  # the food group's fee report is not counted


def test_words_only_in_another_groups_documents_find_nothing(world):
    outcome = search(world.alice, "zanzibar")
    assert outcome.total == 0 and outcome.hits == []
    assert all(values == [] for values in outcome.facets.values())
    assert outcome.did_you_mean is None and outcome.corrected_from is None


def test_the_other_group_finds_its_own(world):
    outcome = search(world.olga, "zanzibar")
    assert set(titles(outcome)) == {
        "Zanzibar warehouse invoices stuck on Coupa",
        "Zanzibar tips for the food group",
    }


def test_group_article_is_invisible_to_outsiders(world):
    assert titles(search(world.alice, "quokka")) == ["Quokka handling for building materials"]
    assert search(world.olga, "quokka").total == 0


def test_association_wide_article_is_visible_to_every_group(world):
    for user in (world.alice, world.olga, world.fran):
        assert "Resubmitting a rejected Coupa invoice" in titles(search(user, "resubmitting"))


def test_facilitator_sees_their_groups_and_admin_sees_all(world):
    assert search(world.fran, "zanzibar").total == 0
    assert search(world.fran, "quokka").total == 1
    assert search(world.admin, "zanzibar").total == 2


def test_group_operator_for_a_group_not_yours_finds_nothing_and_says_so(world):
    outcome = search(world.alice, "coupa group:food")
    assert outcome.total == 0
    assert any("No group “food”" in notice for notice in outcome.notices)
    # ... exactly like a group that does not exist: no hint that "food" is real.
    unknown = search(world.alice, "coupa group:no-such-group")
    assert [n.replace("no-such-group", "food") for n in unknown.notices] == outcome.notices


def test_spelling_suggestions_never_come_from_documents_the_viewer_cannot_read(world):
    # "zanzibat" is one letter from a word only the food group has.
    outcome = search(world.alice, "zanzibat")
    assert outcome.total == 0
    assert outcome.did_you_mean is None and outcome.corrected_from is None
    assert search(world.olga, "zanzibat").corrected_from == "zanzibat"


def test_stale_index_entry_is_rechecked_in_the_database_and_not_shown(world):
    report = world.reports["coupa_fees"]
    authoring.withdraw_report(world.bob, report)
    db.session.commit()
    db.session.execute(db.delete(SearchOutbox))  # as if the outbox row had not been applied
    db.session.commit()
    outcome = search(world.alice, "premium account")
    assert outcome.hits == []
    db.session.commit()
    # The stale hit was queued for the writer, which then takes it out of the index.
    assert db.session.query(SearchOutbox).count() == 1
    index_now()
    assert search(world.alice, "premium account").total == 0


def test_company_that_leaves_a_group_stops_finding_its_reports_at_once(world):
    from credgroup.groups.models import GroupMembership

    assert search(world.alice, "invoices outside").total == 1
    db.session.query(GroupMembership).filter_by(
        group_id=world.group.id, company_id=world.alice.company_id
    ).delete()
    db.session.commit()
    outcome = search(world.alice, "invoice")
    assert outcome.hits and all(
        hit.doc_type == "article" and hit.group is None for hit in outcome.hits
    )
    assert {v.key for v in outcome.facets["group"]} == {"association"}
