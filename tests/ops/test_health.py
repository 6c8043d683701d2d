"""/healthz answers without the database; /readyz checks database, schema and search,
reports the worker's lease, and never caches, sets a cookie or says anything secret."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from credgroup import create_app
from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.ops.health import migration_heads
from credgroup.worker.lease import Lease
from tests.fixtures.app import TEST_PSEUDONYM_KEY, TEST_SECRET

UNREACHABLE = "postgresql+psycopg://credgroup:pa55word-secret@127.0.0.1:9/nowhere"


@pytest.fixture
def app_config(tmp_path):
    return {"SEARCH_INDEX_DIR": str(tmp_path / "index")}


@pytest.fixture
def at_head(app):
    """The test schema comes from the models; say it is at the latest migration."""
    (head,) = migration_heads(app)
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
    yield head
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def unreachable_app():
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
            "DATABASE_URL": UNREACHABLE,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
        }
    )


def test_healthz_answers_without_the_database():
    response = unreachable_app().test_client().get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_readyz_is_ready_at_head_and_reports_a_missing_worker(client, at_head):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ready"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"] == {"ok": True, "current": [at_head], "head": [at_head]}
    assert body["checks"]["search"] == {"ok": True, "backend": "whoosh"}
    # No worker: reported (monitoring alerts on it), but the web host can still serve.
    assert body["checks"]["worker"] == {"ok": False, "lease": "none"}


def test_readyz_reports_a_fresh_and_a_lapsed_worker_lease(app, client, at_head):
    lease = Lease(holder="worker-host:123:abcd", seconds=60)
    assert lease.acquire()
    fresh = client.get("/readyz").json["checks"]["worker"]
    assert fresh["ok"] is True and 0 < fresh["lease_expires_in_seconds"] <= 60

    assert lease.acquire(now=utcnow() - timedelta(seconds=120))
    lapsed = client.get("/readyz")
    assert lapsed.status_code == 200
    assert lapsed.json["checks"]["worker"]["ok"] is False
    assert "worker-host" not in lapsed.get_data(as_text=True)  # no host names


def test_readyz_is_not_ready_behind_the_migrations(client, at_head):
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json["status"] == "not_ready"
    assert response.json["checks"]["migrations"]["ok"] is False
    assert response.json["checks"]["migrations"]["current"] == ["0001"]


def test_readyz_is_not_ready_when_search_fails(client, at_head, monkeypatch):
    from credgroup.search import backend

    def broken(app=None):
        raise OSError("/srv/credgroup/search-index: permission denied")

    monkeypatch.setattr(backend, "get_backend", broken)
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json["checks"]["search"] == {"ok": False, "error": "OSError"}
    assert "/srv/credgroup" not in response.get_data(as_text=True)


def test_readyz_without_the_database_says_which_check_failed_and_nothing_secret():
    response = unreachable_app().test_client().get("/readyz")

    assert response.status_code == 503
    checks = response.json["checks"]
    assert checks["database"]["ok"] is False
    assert checks["database"]["error"] == "OperationalError"
    text = response.get_data(as_text=True)
    for secret in ("pa55word-secret", "credgroup:", "nowhere", "127.0.0.1"):
        assert secret not in text


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints_are_never_cached_and_set_no_cookie(client, at_head, path):
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert response.mimetype == "application/json"
