"""Migrations: one head, the migrated schema equals the models, and they go down and up again.

Runs against a database of its own (a fresh SQLite file, or a fresh PostgreSQL database next
to the test one), so it never disturbs the schema the rest of the suite uses.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from credgroup import create_app
from credgroup.extensions import db
from tests.fixtures.app import TEST_PSEUDONYM_KEY, TEST_SECRET


@pytest.fixture
def empty_database_url(tmp_path) -> Iterator[str]:
    base = os.environ.get("CREDGROUP_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"credgroup_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def migration_app(empty_database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
            "DATABASE_URL": empty_database_url,
        }
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def schema_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_migrations_have_a_single_head(migration_app):
    script = ScriptDirectory.from_config(migration_app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1


def test_migrated_schema_equals_the_models(migration_app):
    upgrade()
    assert schema_differences() == []
    assert table_names() == set(db.metadata.tables)


def test_migrations_downgrade_to_empty_and_upgrade_again(migration_app):
    upgrade()
    downgrade(revision="base")
    assert table_names() == set()
    upgrade()
    assert schema_differences() == []
