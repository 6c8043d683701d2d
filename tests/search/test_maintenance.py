"""``flask search reindex``, ``verify`` and ``apply``."""

from __future__ import annotations

import os
import threading

import pytest
import sqlalchemy as sa
from flask import current_app

from credgroup.extensions import db
from credgroup.reports.models import Report
from credgroup.search.backend import get_backend
from credgroup.search.maintenance import reindex, verify
from credgroup.search.models import SearchOutbox
from tests.fixtures.search_backends import default_backend, only
from tests.search.conftest import index_now, publish, search


def test_verify_is_clean_after_the_outbox_is_applied(world, runner):
    result = runner.invoke(args=["search", "verify"])
    assert result.exit_code == 0, result.output
    assert "Checked 6 searchable documents" in result.output
    assert "agree" in result.output


def test_verify_reports_missing_extra_and_stale_documents_and_exits_1(world, runner):
    publish(world.alice, world.group, title="Not yet indexed")  # missing
    ariba = world.reports["ariba"]
    db.session.execute(sa.update(Report).where(Report.id == ariba.id).values(title="Changed"))
    fees = world.reports["coupa_fees"]
    db.session.execute(sa.delete(Report).where(Report.id == fees.id))  # extra
    db.session.execute(sa.delete(SearchOutbox))
    db.session.commit()
    drift = verify()
    assert len(drift.missing) == 1
    assert drift.stale == [f"report:{ariba.id}"]
    assert drift.extra == [f"report:{fees.id}"]
    result = runner.invoke(args=["search", "verify"])
    assert result.exit_code == 1
    assert "not in the index (1)" in result.output
    assert "Out of date in the index (1)" in result.output


def test_reindex_rebuilds_from_the_database(world, runner):
    ariba = world.reports["ariba"]
    db.session.execute(
        sa.update(Report).where(Report.id == ariba.id).values(title="Renamed quietly")
    )
    db.session.commit()
    assert verify().stale == [f"report:{ariba.id}"]
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "6 documents" in result.output
    assert verify().clean
    assert search(world.alice, "renamed quietly").total == 1
    assert search(world.alice, "zanzibar").total == 0  # still only what alice may see


@only("whoosh")
def test_whoosh_reindex_builds_a_new_directory_and_swaps_it_in(world, runner):
    old = get_backend().live_path()
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    new = get_backend().live_path()
    assert new != old and os.path.isdir(new)


def test_reindex_keeps_changes_made_after_it_read_the_database(world):
    count = reindex()
    assert count == 6
    publish(world.alice, world.group, title="After the rebuild")
    assert db.session.scalar(sa.select(sa.func.count(SearchOutbox.id))) == 1
    index_now()
    assert verify().clean


@only("postgres")
def test_postgres_searches_see_the_old_index_until_a_rebuild_commits(world):
    from credgroup.search.documents import all_docs

    reading, release = threading.Event(), threading.Event()
    docs = list(all_docs())[:2]

    def slow_docs():
        yield from docs
        reading.set()
        release.wait(10)

    app = current_app._get_current_object()

    def rebuild() -> None:
        with app.app_context():
            get_backend().rebuild(slow_docs(), timeout=2.0)

    thread = threading.Thread(target=rebuild)
    thread.start()
    try:
        assert reading.wait(10)
        assert search(world.alice, "coupa").total == 2  # the old rows, all of them
        assert verify().clean
    finally:
        release.set()
        thread.join(10)
    db.session.commit()
    assert len(get_backend().fingerprints()) == 2  # the rebuilt index, once committed


@only("whoosh")
def test_old_generations_are_cleaned_up(world, app):
    for _ in range(4):
        reindex()
    base = get_backend().base
    generations = [n for n in os.listdir(base) if n.startswith("gen-")]
    assert len(generations) == 2  # the live one and the one before


def test_apply_command_applies_and_reports(world, runner):
    publish(world.alice, world.group, title="Applied from the command line")
    result = runner.invoke(args=["search", "apply"])
    assert result.exit_code == 0, result.output
    assert "applied 1" in result.output and "0 rows waiting" in result.output
    assert search(world.alice, "command line").total == 1


def test_an_empty_database_gives_an_empty_clean_index(app, runner):
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert runner.invoke(args=["search", "verify"]).exit_code == 0
    index_now()


@pytest.mark.skipif(default_backend() != "whoosh", reason="about the Whoosh index folder")
def test_a_testing_app_without_an_index_folder_gets_a_fresh_one(database_url, instance_dir):
    from credgroup import create_app
    from tests.fixtures.app import base_config

    first, second = (create_app(base_config(database_url, instance_dir)) for _ in range(2))
    with first.app_context():
        one = get_backend().base
    with second.app_context():
        two = get_backend().base
    assert one != two and not one.startswith(str(first.instance_path))
