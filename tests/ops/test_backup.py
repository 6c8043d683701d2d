"""``flask db backup`` copies a live SQLite database while the site writes to it, and
``flask db restore`` puts a copy back; on PostgreSQL both explain pg_dump/pg_restore."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa

from credgroup import create_app
from credgroup.audit.models import AuditEvent
from credgroup.extensions import db
from credgroup.ops.health import migration_heads
from credgroup.worker.lease import Lease
from tests.fixtures.app import TEST_PSEUDONYM_KEY, TEST_SECRET


def sqlite_app(path: Path, tmp_path: Path):
    """An app on a SQLite file of its own (whatever database the suite runs on), its
    schema from the models, stamped at the latest migration."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
            "DATABASE_URL": f"sqlite:///{path}",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        }
    )
    with app.app_context():
        db.create_all()
        (head,) = migration_heads(app)
        with db.engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
            conn.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
        db.engine.dispose()
    return app


def events_in(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM audit_events").fetchone()[0]


def add_events(app, n: int, label: str = "before") -> None:
    with app.app_context():
        for _ in range(n):
            db.session.add(AuditEvent(actor_label=label, action="test.write"))
        db.session.commit()


@pytest.fixture
def live(tmp_path):
    app = sqlite_app(tmp_path / "live.db", tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


def cli(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_backup_while_the_site_writes_is_complete_and_consistent(live, tmp_path):
    add_events(live, 50)
    stop = threading.Event()
    errors: list[BaseException] = []
    written = [0]

    def write_constantly() -> None:
        with live.app_context():
            while not stop.is_set():
                try:
                    db.session.add(AuditEvent(actor_label="writer", action="test.write"))
                    db.session.commit()
                    written[0] += 1
                except BaseException as error:  # any failure fails the test
                    errors.append(error)
                    return
            db.session.remove()

    writer = threading.Thread(target=write_constantly)
    writer.start()
    try:
        while written[0] < 20:
            time.sleep(0.01)
        results = []
        for i in range(3):
            target = tmp_path / f"copy-{i}.db"
            writes_before = written[0]
            results.append((cli(live, "db", "backup", str(target)), target, writes_before))
            time.sleep(0.05)
    finally:
        stop.set()
        writer.join(timeout=30)

    assert errors == []
    for result, target, writes_before in results:
        assert result.exit_code == 0, result.output
        assert "Backed up" in result.output
        with closing(sqlite3.connect(target)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # Everything committed before the backup started is in it.
        assert events_in(target) >= 50 + writes_before
    assert not list(tmp_path.glob(".copy-*.partial-*"))


def test_backup_refuses_to_overwrite_unless_asked(live, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("an older backup")
    refused = cli(live, "db", "backup", str(target))
    assert refused.exit_code == 1
    assert "exists" in refused.output
    assert target.read_text() == "an older backup"

    assert cli(live, "db", "backup", str(target), "--overwrite").exit_code == 0
    assert events_in(target) == 0


def test_restore_puts_the_backup_back_and_rebuilds_search(live, tmp_path):
    add_events(live, 5)
    target = tmp_path / "copy.db"
    assert cli(live, "db", "backup", str(target)).exit_code == 0
    add_events(live, 7, label="after the backup")

    result = cli(live, "db", "restore", str(target), "--yes")

    assert result.exit_code == 0, result.output
    assert "Search index rebuilt from the restored data: 0 documents." in result.output
    assert events_in(tmp_path / "live.db") == 5


def test_restore_asks_first(live, tmp_path):
    add_events(live, 5)
    target = tmp_path / "copy.db"
    cli(live, "db", "backup", str(target))
    add_events(live, 1)

    declined = cli(live, "db", "restore", str(target), input="n\n")

    assert declined.exit_code == 1
    assert events_in(tmp_path / "live.db") == 6


def test_restore_refuses_a_file_that_is_not_a_credgroup_database(live, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE t (x)")

    for path in (junk, other):
        result = cli(live, "db", "restore", str(path), "--yes")
        assert result.exit_code == 1
        assert "not" in result.output
    assert (tmp_path / "live.db").stat().st_size > 0


def test_restore_refuses_while_a_worker_holds_the_lease(live, tmp_path):
    target = tmp_path / "copy.db"
    cli(live, "db", "backup", str(target))
    with live.app_context():
        assert Lease(holder="worker:1", seconds=60).acquire()

    result = cli(live, "db", "restore", str(target), "--yes")

    assert result.exit_code == 1
    assert "stop the worker" in result.output


def test_postgres_deployments_are_told_about_pg_dump_without_the_password(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
            "DATABASE_URL": "postgresql://credgroup:pa55word-secret@db.internal:5433/credgroup",
        }
    )
    for command in ("backup", "restore"):
        path = tmp_path / "dump.pgdump"
        path.write_text("")
        result = cli(app, "db", command, str(path))
        assert result.exit_code == 2
        assert "pg_dump --format=custom" in result.output
        assert "pg_restore --clean" in result.output
        assert "--host=db.internal --port=5433 --username=credgroup" in result.output
        assert "pa55word-secret" not in result.output
