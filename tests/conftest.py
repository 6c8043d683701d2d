"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when
CREDGROUP_TEST_DATABASE_URL is set (for example
postgresql+psycopg://postgres@127.0.0.1:5432/test)."""

pytest_plugins = ["tests.fixtures.app", "tests.fixtures.factories"]
pytest_plugins += ["tests.fixtures.mail"]
