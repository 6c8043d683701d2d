"""Browser fixtures: the real app on a loopback port with a real database holding the demo
association, the worker running beside it (mail and search indexing happen as in
production), and Debian's Chromium driven by Playwright.

One live server and one browser per session keep the suite fast; each person in a test
gets a fresh browser context (own cookies). Tests are marked ``@pytest.mark.browser`` and
skipped, with the reason in the summary, when Chromium or Playwright is missing.

The interface other browser tests build on:

- ``live_server``: ``.url`` (base, no trailing slash), ``live_server("/path")`` (absolute
  URL), ``.app`` (for ``with live_server.app.app_context():`` database checks),
  ``.mail_folder``, ``.wait_for_worker()`` (mail sent and search index up to date);
- ``chromium``: the session's Playwright ``Browser``;
- ``make_page(viewport=DESKTOP, **context_options)``: a new page in a new context;
- ``page``: one such page; ``page_as(email)``: a new page already signed in;
- helpers in ``tests.browser.support``: ``sign_in``, ``sign_in_by_keyboard``, ``tab_to``,
  ``press_on``, ``type_into``, ``choose_by_keyboard``, ``save_screenshot``,
  ``axe_violations``, ``horizontal_overflow``, ``expect``, ``wait_until`` and the demo
  people (``MEMBER``, ``OTHER_MEMBER``, ``FACILITATOR``, ``ADMIN``, ``GROUP``);
- ``support.Mouse(page)`` / ``support.Keyboard(page)``: the same ``follow(link)``,
  ``press(button)``, ``fill(field, text)``, ``choose(select, label)``, ``tick(box)``, so
  one journey runs with clicks and again keyboard-only.

A failing test leaves a screenshot of each of its pages in the screenshots folder.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from credgroup import create_app
from credgroup.db import utcnow
from credgroup.demo.load import load_demo_data
from credgroup.extensions import db
from tests.browser import support
from tests.fixtures.app import TEST_PSEUDONYM_KEY, TEST_SECRET, _fresh_postgres_database

READY_TIMEOUT = 120  # seconds for the worker to index the demo on a busy CI machine


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = support.missing_reason()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    # Kept on the item so that ``make_page`` can screenshot the pages of a failed test.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- the live server --------------------------------------------------------------------------


@dataclass
class LiveServer:
    app: Flask
    url: str
    mail_folder: Path

    def __call__(self, path: str = "/") -> str:
        return self.url + path

    def wait_for_worker(self, timeout: float = 30.0) -> None:
        """Wait until the worker has sent every due email and applied every index change."""
        support.wait_until(self._worker_idle, timeout, "the worker to catch up")

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


def _browser_database(tmp: Path) -> str:
    """SQLite file of its own, or a PostgreSQL database next to the suite's (suffix
    ``_browser``), so the main fixtures' per-test emptying never touches it."""
    base = os.environ.get("CREDGROUP_TEST_DATABASE_URL", "")
    if not base.startswith("postgres"):
        return f"sqlite:///{tmp / 'browser.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _fresh_postgres_database(base, "_browser" + (f"_{worker}" if worker else ""))


def _live_config(database_url: str, tmp: Path) -> dict[str, Any]:
    return {
        # A real, non-testing app: errors render the site's error pages, as in production.
        "ENV": "development",
        "TESTING": False,
        "SECRET_KEY": TEST_SECRET,
        "PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
        "DATABASE_URL": database_url,
        "MAIL_FOLDER": str(tmp / "mail"),
        "SEARCH_INDEX_DIR": str(tmp / "search-index"),
        # The worker's jobs every second, so a test waits seconds, not minutes, for them.
        "WORKER_OUTBOX_INTERVAL_SECONDS": 1,
        "SEARCH_APPLY_INTERVAL_SECONDS": 1,
    }


def _prepare_database(app: Flask) -> None:
    """Migrate a fresh database and load the demo association, as ``flask local`` does."""
    with app.app_context():
        flask_migrate.upgrade()
        load_demo_data()
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    reason = support.missing_reason()
    if reason is not None:
        pytest.skip(reason)
    from credgroup.worker.registry import collect_jobs
    from credgroup.worker.scheduler import Worker

    tmp = tmp_path_factory.mktemp("live")
    app = create_app(_live_config(_browser_database(tmp), tmp))
    _prepare_database(app)
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


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Any]:
    reason = support.missing_reason()
    if reason is not None:
        pytest.skip(reason)
    with support.playwright_api().sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_session: Any) -> Iterator[Any]:
    browser = playwright_session.chromium.launch(
        executable_path=str(support.CHROMIUM), headless=True, args=support.LAUNCH_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def make_page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """A new page in a new browser context (own cookies) per call: one per person."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None, **context_options: Any) -> Any:
        context = chromium.new_context(viewport=viewport or support.DESKTOP, **context_options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None)
    for number, context in enumerate(contexts):
        if failed is not None and failed.failed:
            for index, page in enumerate(context.pages):
                name = f"FAILED-{request.node.name}-{number}-{index}"
                support.save_screenshot(page, name)
        context.close()


@pytest.fixture
def page(make_page: Callable[..., Any]) -> Any:
    return make_page()


@pytest.fixture
def page_as(live_server: LiveServer, make_page: Callable[..., Any]) -> Callable[..., Any]:
    """``page_as(email, viewport=...)``: a new page of a new context, signed in."""

    def open_as(email: str, **options: Any) -> Any:
        new_page = make_page(**options)
        support.sign_in(new_page, live_server.url, email)
        return new_page

    return open_as
