"""Choosing the search backend, and what only the PostgreSQL backend has to get right: its
writers share rows of one table, and its snippets come from ts_headline."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
import sqlalchemy as sa
from flask import current_app

from credgroup import create_app
from credgroup.config import ConfigurationError
from credgroup.extensions import db
from credgroup.search.backend import IndexBusy, get_backend
from credgroup.search.documents import all_docs
from credgroup.search.maintenance import verify
from credgroup.search.pg_backend import edit_distance
from tests.fixtures.app import TEST_PSEUDONYM_KEY, TEST_SECRET
from tests.fixtures.search_backends import only
from tests.search.conftest import article, index_now, search, titles


def _config(tmp_path, **extra):
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        **extra,
    }


def test_the_postgres_backend_refuses_to_start_on_sqlite(tmp_path):
    with pytest.raises(ConfigurationError, match="needs PostgreSQL"):
        create_app(_config(tmp_path, SEARCH_BACKEND="postgres"))


def test_an_unknown_backend_refuses_to_start(tmp_path):
    with pytest.raises(ConfigurationError, match="whoosh, postgres"):
        create_app(_config(tmp_path, SEARCH_BACKEND="elastic"))


def test_whoosh_is_the_default(tmp_path):
    app = create_app(_config(tmp_path, SEARCH_INDEX_DIR=str(tmp_path / "ix")))
    with app.app_context():
        assert type(get_backend()).__name__ == "WhooshBackend"


@pytest.mark.parametrize(
    "a, b, distance",
    [("premium", "premium", 0), ("premuim", "premium", 1), ("acount", "account", 1)],
)
def test_edit_distance_counts_a_transposition_as_one(a, b, distance):
    assert edit_distance(a, b, 2) == distance
    assert edit_distance("invoice", "zebra", 2) == 3  # stops counting past the limit


def _changed(docs, title):
    return [replace(doc, title=title, fingerprint=title) for doc in docs]


def _in_thread(target, *args):
    app = current_app._get_current_object()
    outcome: dict = {}

    def run():
        with app.app_context():
            try:
                outcome["value"] = target(*args)
            except Exception as error:  # handed to the test
                outcome["error"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@only("postgres")
def test_two_postgres_writers_on_the_same_rows_wait_for_each_other_without_deadlock(world):
    docs = list(all_docs())[:3]
    backend = get_backend()
    backend.apply(_changed(docs, "first writer"), [], timeout=5.0)  # rows locked until commit

    def second_writer():
        # The same rows in the opposite order: locks are taken in key order regardless.
        backend.apply(_changed(docs[:0:-1], "second writer"), [docs[0].key], timeout=10.0)
        db.session.commit()
        return "done"

    thread, outcome = _in_thread(second_writer)
    thread.join(0.5)
    assert thread.is_alive()  # waiting for our rows, not failing
    db.session.commit()
    thread.join(10)
    assert outcome == {"value": "done"}
    fingerprints = get_backend().fingerprints()
    assert docs[0].key not in fingerprints
    assert {fingerprints[d.key] for d in docs[1:]} == {"second writer"}


@only("postgres")
def test_a_postgres_writer_waiting_longer_than_the_lock_timeout_is_busy(world):
    docs = list(all_docs())[:2]
    get_backend().apply(_changed(docs, "holder"), [], timeout=5.0)

    def impatient_writer():
        get_backend().apply(_changed(docs, "impatient"), [], timeout=0.2)

    thread, outcome = _in_thread(impatient_writer)
    thread.join(10)
    assert isinstance(outcome.get("error"), IndexBusy)
    db.session.rollback()
    index_now()
    assert verify().clean


@only("postgres")
def test_postgres_snippets_cannot_be_given_markup_by_a_document(world):
    article(
        title="Marker check",
        problem="Forged \ue000<script>alert(1)</script>\ue001 marks & tracker <b>text</b>.",
        workaround="x > y < z " * 40 + "then the tracker field.",
    )
    index_now()
    [hit] = search(world.alice, "tracker").hits
    html = str(hit.snippet)
    assert html.count("<mark>") == html.count("</mark>") >= 1
    assert "<mark>tracker</mark>" in html
    assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "\ue000" not in html and "\ue001" not in html


@only("postgres")
def test_the_postgres_index_holds_no_author_or_company(world):
    rows = db.session.execute(db.text("SELECT vector::text, scope FROM search_documents"))
    text = " ".join(f"{vector} {scope}" for vector, scope in rows).lower()
    for secret in ("northfield", "alice", "archer", "granite", "prairie", "olga"):
        assert secret not in text
    pseudonym = world.reports["ariba"].author_pseudonym.lower()
    assert pseudonym[:12] not in text


def test_a_page_of_snippets_is_each_texts_own_snippet(world):
    """``highlights`` (one call for a page of results) gives what ``highlight`` gives for
    each text alone, in order: matched, unmatched, empty and long texts alike."""
    backend = get_backend()
    terms = frozenset({"tracker", "invoic"})
    texts = [
        "Type the number into the tracker field.",
        "Nothing to mark here.",
        "",
        "An invoice line " * 40 + "and the tracker at the end <b>bold</b>.",
    ]
    expected = [backend.highlight(text, terms, length=120) for text in texts]
    assert backend.highlights(texts, terms, length=120) == expected
    assert backend.highlights(texts, frozenset(), length=120) == [
        backend.highlight(text, frozenset(), length=120) for text in texts
    ]


@only("postgres")
def test_a_page_of_postgres_results_gets_its_snippets_from_one_statement(world):
    headlines: list[str] = []

    def record(conn, cursor, statement, *_):
        if "ts_headline" in statement:
            headlines.append(statement)

    for n in range(4):
        article(title=f"Tracker page {n}", problem=f"Step {n}: the tracker field is empty.")
    index_now()
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        hits = search(world.alice, "tracker").hits
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert len(hits) >= 4 and all("<mark>" in str(hit.snippet) for hit in hits)
    assert len(headlines) == 1


@only("postgres")
def test_postgres_finds_the_same_through_the_word_index_and_on_the_scopes_rows(world, monkeypatch):
    """Few small scopes: the words are matched on the scopes' rows; otherwise through the
    word index (pg_query.FEW_SCOPES, FEW_ROWS). Both find the same documents in the same
    order."""
    from credgroup.search import pg_query

    queries = ["INV-15", "tracker OR upgrade", "portal:ariba", "invoice -rejected", "resubmit*"]
    few = pg_query.FEW_ROWS
    for who in (world.alice, world.olga, world.admin):
        on_rows = [titles(search(who, q)) for q in queries]
        monkeypatch.setattr(pg_query, "FEW_ROWS", 0)  # every search through the index
        through_index = [titles(search(who, q)) for q in queries]
        monkeypatch.setattr(pg_query, "FEW_ROWS", few)
        assert on_rows == through_index, who.email
        assert any(on_rows), who.email


@only("postgres")
def test_postgres_matches_on_rows_only_for_few_small_scopes(world, monkeypatch):
    from credgroup.search import pg_query

    searches: list[str] = []

    def record(conn, cursor, statement, *_):
        if "WITH matched" in statement:
            searches.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        search(world.alice, "INV-15")
        monkeypatch.setattr(pg_query, "FEW_ROWS", 1)  # her scopes hold more than one
        search(world.alice, "INV-15")
        monkeypatch.undo()
        monkeypatch.setattr(pg_query, "FEW_SCOPES", 0)  # more scopes than that
        search(world.alice, "INV-15")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert ["ts_match_vq(" in s for s in searches] == [True, False, False]
