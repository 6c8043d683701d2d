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

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import support
from tests.browser.live import LiveServer, demo_site, launch_chromium
from tests.fixtures.app import _fresh_postgres_database


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Under pytest-xdist (`--dist loadgroup`) every browser test goes to the same worker, so
    # the suite starts one live server and one Chromium, not one per worker.
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("browser"))
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


def _browser_database(tmp: Path) -> str:
    """SQLite file of its own, or a PostgreSQL database next to the suite's (suffix
    ``_browser``), so the main fixtures' per-test emptying never touches it."""
    base = os.environ.get("CREDGROUP_TEST_DATABASE_URL", "")
    if not base.startswith("postgres"):
        return f"sqlite:///{tmp / 'browser.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _fresh_postgres_database(base, "_browser" + (f"_{worker}" if worker else ""))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    reason = support.missing_reason()
    if reason is not None:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("live")
    with demo_site(_browser_database(tmp), tmp) as live:
        yield live


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
    browser = launch_chromium(playwright_session)
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
