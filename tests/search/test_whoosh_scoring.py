"""The Whoosh backend scores the viewer's matches in bulk (``whoosh_scoring``); these tests
hold it to Whoosh's own matchers, document by document, on an index of several segments
with deleted documents, for every kind of query the service builds."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest

from credgroup.search.backend import BackendQuery, Clause, IndexDoc
from credgroup.search.docsets import to_ids
from credgroup.search.whoosh_backend import WhooshBackend, matched_mask, scored_query
from credgroup.search.whoosh_scoring import score_candidates

WORDS = (
    *("invoice", "invoices", "rejected", "portal", "supplier", "buyer", "purchase", "order"),
    *("remittance", "payment", "fee", "fees", "subscription", "tier", "account", "status"),
    *("registration", "pending", "approved", "duplicate", "tax", "line", "item", "price"),
    *("mismatch", "receipt", "network", "catalog", "attachment", "error", "code", "message"),
)
PORTALS = ("coupa", "sap-business-network", "tradeshift", "")
SCOPES = ("all", "g1", "g2", "g3")


def _doc(rng: random.Random, n: int) -> IndexDoc:
    def text(k: int) -> str:
        return " ".join(rng.choices(WORDS, weights=range(len(WORDS), 0, -1), k=k))

    portal = rng.choice(PORTALS)
    return IndexDoc(
        doc_type=rng.choice(("report", "article")),
        doc_id=n,
        public_id=f"p{n}",
        title=text(rng.randint(2, 7)),
        body=text(rng.randint(5, 60)) + (" purchase order" if rng.random() < 0.3 else ""),
        error_text=rng.choice(("", "INV-15", "ERR 4012")),
        keywords=text(rng.randint(0, 2)),
        portal=portal,
        portal_names="SAP Business Network Ariba" if portal == "sap-business-network" else portal,
        categories=(rng.choice(("fees", "skipped", "capacity")),),
        status=rng.choice(("open", "resolved", "")),
        scope=rng.choice(SCOPES),
        published_day=738000 + n,
        confirmed=rng.randint(0, 5),
    )


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """Four segments (one rebuilt, three added), some documents replaced or deleted."""
    rng = random.Random(5)
    backend = WhooshBackend(str(tmp_path_factory.mktemp("scoring-index")))
    backend.rebuild([_doc(rng, n) for n in range(600)], timeout=5)
    for batch in range(3):
        start = 600 + batch * 60
        changed = [_doc(rng, n) for n in rng.sample(range(start), 15)]
        added = [_doc(rng, n) for n in range(start, start + 60)]
        deleted = [f"report:{n}" for n in rng.sample(range(start), 10)]
        backend.apply(changed + added, deleted, timeout=5)
    yield backend
    backend.close()


def _whoosh_scores(scored, searcher, candidates: list[int]) -> dict[int, float]:
    """The reference: Whoosh's own matcher, per segment, skipped to each candidate."""
    scores = {}
    context = searcher.context(needs_current=True)
    for sub, offset in searcher.leaf_searchers():
        matcher = scored.matcher(sub, context)
        for doc in (d - offset for d in candidates if offset <= d < offset + sub.doc_count_all()):
            if matcher.is_active() and matcher.id() < doc:
                matcher.skip_to(doc)
            if not matcher.is_active():
                break
            if matcher.id() == doc:
                scores[doc + offset] = matcher.score()
    return scores


QUERIES = [
    [Clause("term", "invoice")],
    [Clause("term", "invoice"), Clause("term", "rejected")],
    [Clause("phrase", "purchase order")],
    [Clause("prefix", "sub")],
    [Clause("prefix", "pa"), Clause("term", "fee")],
    [Clause("fuzzy", "invioce", maxdist=2)],
    [Clause("term", "tax"), Clause("term", "fees", negated=True)],
    [
        Clause(
            "term",
            "ariba",
            expansions=("SAP Business Network",),
            portals=("sap-business-network",),
        )
    ],
]


@pytest.mark.parametrize("clauses", QUERIES, ids=lambda c: " ".join(x.text for x in c))
@pytest.mark.parametrize("match_all", [True, False])
@pytest.mark.parametrize("scopes", [frozenset(SCOPES), frozenset({"all", "g2"})])
def test_bulk_scores_are_whoosh_scores(backend, clauses, match_all, scopes):
    searcher, sets = backend._reading()
    assert len(sets.segments()) > 1 and sets.reader.has_deletions()
    q = BackendQuery(clauses=tuple(clauses), scopes=scopes, match_all_words=match_all)
    matched = matched_mask(q, searcher, sets)
    scored = scored_query(q)
    candidates = to_ids(matched)
    assert candidates, "the query should match something"

    expected = _whoosh_scores(scored, searcher, candidates)
    ranked = score_candidates(scored, searcher, sets, matched, len(candidates))

    assert set(dict(ranked)) == set(expected) == set(candidates)
    for doc, score in ranked:
        assert score == pytest.approx(expected[doc], rel=1e-12)
    assert [score for _, score in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_only_the_best_are_returned_best_first(backend):
    searcher, sets = backend._reading()
    q = BackendQuery(clauses=(Clause("term", "invoice"),), scopes=frozenset(SCOPES))
    matched = matched_mask(q, searcher, sets)
    everything = score_candidates(scored_query(q), searcher, sets, matched, matched.bit_count())
    top = score_candidates(scored_query(q), searcher, sets, matched, 10)
    assert top == everything[:10]
    # Equal scores come in document order, as Whoosh's collector orders them.
    for (doc_a, a), (doc_b, b) in pairwise(everything):
        assert a > b or (a == b and doc_a < doc_b)


HIGHLIGHT_TEXTS = [
    "The invoices were rejected by the portal: missing PO number (INV-15), see e.g. step 2.",
    "Ünïcode Straße façade — résumé; a an the of to in US us it's Coupa's 3.5% fee*s",
    "x " * 50 + "Purchase-order flips; remittance_advice and paid/unpaid statuses ... ",
    "",
]


@pytest.mark.parametrize("text", HIGHLIGHT_TEXTS)
def test_highlight_tokens_are_the_analyzers_tokens(text):
    from credgroup.search.whoosh_backend import STEM, highlight_tokens

    expected = [
        (t.text, t.startchar, t.endchar)
        for t in STEM(text, chars=True, removestops=False, mode="query")
    ]
    got = [(t.text, t.startchar, t.endchar) for t in highlight_tokens(text, chars=True)]
    assert got == expected
