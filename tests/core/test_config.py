"""Configuration order and the secrets rules."""

from __future__ import annotations

import json

import pytest

from credgroup import create_app
from credgroup.config import ConfigurationError

STRONG = "x" * 48


def test_local_run_generates_secrets_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CREDGROUP_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    from flask import Flask

    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path / "inst"))
    first = create_app()
    second = create_app()
    stored = json.loads((tmp_path / "inst" / "secrets.json").read_text())
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == stored["SECRET_KEY"]
    assert first.config["PSEUDONYM_KEY"] == stored["PSEUDONYM_KEY"]
    assert len(stored["PSEUDONYM_KEY"]) >= 32
    assert (tmp_path / "inst" / "secrets.json").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"SECRET_KEY": STRONG},
        {"PSEUDONYM_KEY": STRONG},
        {"SECRET_KEY": "dev", "PSEUDONYM_KEY": STRONG},
        {"SECRET_KEY": STRONG, "PSEUDONYM_KEY": "short"},
    ],
)
def test_production_refuses_missing_or_weak_secrets(overrides):
    config = {"ENV": "production", "DATABASE_URL": "sqlite://", **overrides}
    with pytest.raises(ConfigurationError):
        create_app(config)


def test_production_requires_a_database_url():
    with pytest.raises(ConfigurationError):
        create_app({"ENV": "production", "SECRET_KEY": STRONG, "PSEUDONYM_KEY": STRONG})


def test_production_turns_on_secure_cookies():
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": STRONG,
            "PSEUDONYM_KEY": STRONG,
            "DATABASE_URL": "sqlite://",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_variables_override_defaults_and_arguments_override_both(monkeypatch):
    monkeypatch.setenv("CREDGROUP_ASSOCIATION_NAME", "From the environment")
    monkeypatch.setenv("CREDGROUP_LOGIN_MAX_FAILURES_PER_ACCOUNT", "9")
    app = create_app({"SECRET_KEY": STRONG, "PSEUDONYM_KEY": STRONG, "DATABASE_URL": "sqlite://"})
    assert app.config["ASSOCIATION_NAME"] == "From the environment"
    assert app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 9
    app = create_app(
        {
            "SECRET_KEY": STRONG,
            "PSEUDONYM_KEY": STRONG,
            "DATABASE_URL": "sqlite://",
            "ASSOCIATION_NAME": "From the argument",
        }
    )
    assert app.config["ASSOCIATION_NAME"] == "From the argument"


def test_short_postgres_urls_use_psycopg_3():
    app = create_app(
        {"SECRET_KEY": STRONG, "PSEUDONYM_KEY": STRONG, "DATABASE_URL": "postgresql://u@h/db"}
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_postgres_sessions_run_without_parallel_workers_unless_configured():
    base = {"SECRET_KEY": STRONG, "PSEUDONYM_KEY": STRONG, "DATABASE_URL": "postgresql://u@h/db"}
    options = create_app(base).config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is True
    assert options["connect_args"] == {"options": "-c max_parallel_workers_per_gather=0"}
    given = {"connect_args": {"connect_timeout": 2, "options": "-c work_mem=16MB"}}
    app = create_app({**base, "SQLALCHEMY_ENGINE_OPTIONS": given, "DATABASE_PARALLEL_WORKERS": 2})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {
        "connect_timeout": 2,
        "options": "-c work_mem=16MB -c max_parallel_workers_per_gather=2",
    }
    assert given == {"connect_args": {"connect_timeout": 2, "options": "-c work_mem=16MB"}}
    sqlite = create_app({**base, "DATABASE_URL": "sqlite://"})
    assert "connect_args" not in sqlite.config["SQLALCHEMY_ENGINE_OPTIONS"]
