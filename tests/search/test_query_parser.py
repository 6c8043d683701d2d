"""Reading the search box: forgiving, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credgroup.search.backend import Clause
from credgroup.search.query import MAX_QUERY_LENGTH, parse
from tests.search.conftest import search


def kinds(q: str) -> list[tuple[str, str, bool]]:
    return [(c.kind, c.text, c.negated) for c in parse(q).clauses]


def test_words_phrases_prefixes_fuzzy_and_exclusions():
    assert kinds('coupa "po flip" invoic* rejectd~ -ariba NOT fees') == [
        ("term", "coupa", False),
        ("phrase", "po flip", False),
        ("prefix", "invoic", False),
        ("fuzzy", "rejectd", False),
        ("term", "ariba", True),
        ("term", "fees", True),
    ]


def test_operators_with_quoted_values_and_alternatives():
    parsed = parse('portal:"SAP Business Network" type:article|report category:fees,other')
    assert parsed.filters == {
        "portal": ["SAP Business Network"],
        "type": ["article", "report"],
        "category": ["fees", "other"],
    }
    assert parsed.clauses == []


def test_unknown_prefixes_and_punctuated_tokens_are_searched_as_words():
    assert kinds("foo:bar INV-15 e-invoice") == [
        ("phrase", "foo bar", False),
        ("phrase", "INV 15", False),
        ("phrase", "e invoice", False),
    ]


@pytest.mark.parametrize(
    "q, notice",
    [
        ('"unbalanced quote', "quotation mark was not closed"),
        ("portal:", "'portal:' needs a value"),
        ("in*", "at least 3 letters"),
        ("-portal:coupa", "not supported"),
        ("x" * 600, "shortened"),
    ],
)
def test_broken_input_gives_a_notice(q, notice):
    assert any(notice in n for n in parse(q).notices)


def test_lone_operators_and_parentheses_leave_nothing_to_search():
    for q in ("AND OR", "((( )))", "NOT", "*", "~", '""', "-", "   "):
        assert parse(q).is_empty, q


def test_or_makes_any_word_enough():
    assert parse("coupa OR ariba").any_words


def test_control_characters_are_dropped():
    assert parse("coupa\x00fees\x07").clauses == [Clause("term", "coupa"), Clause("term", "fees")]


def test_huge_queries_are_truncated():
    parsed = parse("invoice " * 1000)
    assert len(parsed.text) <= MAX_QUERY_LENGTH
    assert len(parsed.clauses) <= 64


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_text_parses(q):
    parsed = parse(q)
    assert len(parsed.text) <= MAX_QUERY_LENGTH


OPERATOR_SOUP = st.lists(
    st.sampled_from(
        [
            "portal:", "portal:coupa", "category:", "status:open", "type:", "group:",
            '"', "(", ")", "AND", "OR", "NOT", "-", "*", "~", "invoic*", "coupa",
            "fees", '"po flip', "portal:\"sap", "ünïcödé", "\x00", "::", "a:b:c", "ariba",
        ]
    ),
    max_size=12,
).map(" ".join)  # fmt: skip


@given(q=st.one_of(OPERATOR_SOUP, st.text(max_size=80)))
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_query_gets_results_or_a_message_never_an_exception(world, q):
    outcome = search(world.alice, q)
    assert outcome.total >= 0
    assert all(hit.group is None or hit.group.slug == "building-materials" for hit in outcome.hits)
