"""Several processes (like gunicorn workers) post reports and apply the outbox at once,
while an operator rebuilds the index: no LockError escapes, nothing is lost, and
``verify`` finds index and database agreeing."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.search.maintenance import verify
from tests.fixtures.app import base_config
from tests.search.conftest import index_now, search

PROCESSES = 4
REPORTS_EACH = 5


def _post_and_apply(config: dict[str, Any], email: str, slug: str, worker: int) -> dict[str, int]:
    """One "gunicorn worker": post reports and drain the outbox after each, like a busy
    deployment where every process also runs ``search apply``."""
    from credgroup import create_app
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup
    from credgroup.reports import authoring
    from credgroup.search.outbox import drain

    app = create_app(config)
    tally = {"applied": 0, "busy": 0}
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        group = db.session.scalar(sa.select(CreditGroup).where(CreditGroup.slug == slug))
        for n in range(REPORTS_EACH):
            data = {
                "portal": "Coupa",
                "category": "rejected_format",
                "title": f"Concurrent report {worker} {n}",
                "body": "Posted while other workers post too: concurrency marker.",
            }
            authoring.publish_report(user, group, data)
            db.session.commit()
            result = drain()
            tally["applied"] += result.applied
            tally["busy"] += int(result.busy)
        db.session.remove()
        db.engine.dispose()
    return tally


def _reindex_meanwhile(config: dict[str, Any], rounds: int) -> dict[str, int]:
    """An operator running ``flask search reindex`` while the workers post."""
    import time

    from credgroup import create_app
    from credgroup.search.maintenance import reindex

    app = create_app(config)
    with app.app_context():
        for _ in range(rounds):
            time.sleep(0.3)
            reindex()
        db.session.remove()
        db.engine.dispose()
    return {"applied": 0, "busy": 0}


def test_concurrent_posting_from_several_processes_loses_nothing(
    world, database_url: str, instance_dir: Path, app_config: dict[str, Any]
):
    config = {**base_config(database_url, instance_dir), **app_config, "SEARCH_LOCK_TIMEOUT": 1.0}
    people = [world.alice.email, world.bob.email] * (PROCESSES // 2)
    jobs = [(config, email, world.group.slug, n) for n, email in enumerate(people)]
    with multiprocessing.get_context("spawn").Pool(PROCESSES + 1) as pool:
        rebuilding = pool.apply_async(_reindex_meanwhile, (config, 2))
        tallies = pool.starmap(_post_and_apply, jobs)  # re-raises anything a worker raised
        rebuilding.get()
    assert sum(t["applied"] for t in tallies) > 0
    db.session.rollback()
    index_now()  # whatever a busy worker left behind
    drift = verify()
    assert drift.clean, drift
    assert drift.checked == 6 + PROCESSES * REPORTS_EACH
    assert search(world.alice, "concurrency marker", per_page=50).total == PROCESSES * REPORTS_EACH
