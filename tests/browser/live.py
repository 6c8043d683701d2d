"""The whole site for a browser: the real app on a free loopback port, a fresh database
migrated and filled with the demo association, and the worker running beside it (mail and
search indexing happen as in production). Used by the browser tests' ``live_server``
fixture and by the README's screenshot command.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask_migrate
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from credgroup import create_app
from credgroup.db import utcnow
from credgroup.demo.load import load_demo_data
from credgroup.extensions import db

READY_TIMEOUT = 120  # seconds for the worker to index the demo on a busy CI machine
# Fixed keys: the database is thrown away with the run.
SECRET_KEY = "browser-test-secret-key-that-is-long-enough-0123456789"
PSEUDONYM_KEY = "browser-test-pseudonym-key-that-is-long-enough-0123456789"


@dataclass
class LiveServer:
    app: Flask
    url: str
    mail_folder: Path

    def __call__(self, path: str = "/") -> str:
        return self.url + path

    def wait_for_worker(self, timeout: float = 30.0) -> None:
        """Wait until the worker has sent every due email and applied every index change."""
        from tests.browser.support import wait_until

        wait_until(self._worker_idle, timeout, "the worker to catch up")

    def _worker_idle(self) -> bool:
        from credgroup.notify.models import OutboxEmail, OutboxStatus
        from credgroup.search.models import SearchOutbox

        with self.app.app_context():
            try:
                waiting_index = db.session.scalar(sa.select(sa.func.count(SearchOutbox.id)))
                waiting_mail = db.session.scalar(
                    sa.select(sa.func.count(OutboxEmail.id)).where(
                        OutboxEmail.status == OutboxStatus.PENDING,
                        OutboxEmail.next_attempt_at <= utcnow(),
                    )
                )
            finally:
                db.session.remove()
        return waiting_index == 0 and waiting_mail == 0


class QuietHandler(WSGIRequestHandler):
    """Request lines only at DEBUG: a page's 40 requests would bury a failure's output."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        logging.getLogger("tests.browser.server").debug('"%s" %s %s', self.requestline, code, size)


def live_config(database_url: str, tmp: Path) -> dict[str, Any]:
    return {
        # A real, non-testing app: errors render the site's error pages, as in production.
        "ENV": "development",
        "TESTING": False,
        "SECRET_KEY": SECRET_KEY,
        "PSEUDONYM_KEY": PSEUDONYM_KEY,
        "DATABASE_URL": database_url,
        "MAIL_FOLDER": str(tmp / "mail"),
        "SEARCH_INDEX_DIR": str(tmp / "search-index"),
        # The worker's jobs every second, so a test waits seconds, not minutes, for them.
        "WORKER_OUTBOX_INTERVAL_SECONDS": 1,
        "SEARCH_APPLY_INTERVAL_SECONDS": 1,
    }


def prepare_database(app: Flask) -> None:
    """Migrate a fresh database and load the demo association, as ``flask local`` does."""
    with app.app_context():
        flask_migrate.upgrade()
        load_demo_data()
        db.session.commit()
        db.session.remove()


@contextmanager
def demo_site(
    database_url: str, tmp: Path, config: dict[str, Any] | None = None
) -> Iterator[LiveServer]:
    """Serve the demo association from an empty database at ``database_url`` until the
    block ends; ``tmp`` holds its mail folder and search index; ``config`` overrides."""
    from credgroup.worker.registry import collect_jobs
    from credgroup.worker.scheduler import Worker

    app = create_app({**live_config(database_url, tmp), **(config or {})})
    prepare_database(app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url  # emailed links point at this server
    serving = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    serving.start()
    worker = Worker(app, collect_jobs())
    working = threading.Thread(target=worker.run_forever, name="live-worker", daemon=True)
    working.start()
    live = LiveServer(app=app, url=url, mail_folder=tmp / "mail")
    try:
        live.wait_for_worker(timeout=READY_TIMEOUT)  # the demo indexed before any search
        yield live
    finally:
        worker.stop()
        working.join(timeout=30)
        server.shutdown()
        serving.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def launch_chromium(playwright: Any) -> Any:
    from tests.browser import support

    return playwright.chromium.launch(
        executable_path=str(support.CHROMIUM), headless=True, args=support.LAUNCH_ARGS
    )
