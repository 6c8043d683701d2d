"""Helpers for the account tests: reading queued emails, and a fresh ``g`` per request."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask, g, request_started

from credgroup.extensions import db
from credgroup.notify.models import OutboxEmail


@pytest.fixture(autouse=True)
def _fresh_g_per_request(app: Flask) -> Iterator[None]:
    """Give every test-client request an empty ``g``, as a real server does.

    The shared ``app`` fixture keeps an application context pushed, and Flask reuses it
    for test-client requests, so ``g`` would carry Flask-Login's cached user and
    Flask-WTF's CSRF token from one request (and one browser) to the next. Sign-out and
    session-revocation tests would then pass for the wrong reason.
    """

    def clear_g(sender: Flask, **extra: object) -> None:
        g.__dict__.clear()

    request_started.connect(clear_g, app)
    yield
    request_started.disconnect(clear_g, app)


def emails_to(address: str) -> list[OutboxEmail]:
    query = sa.select(OutboxEmail).where(OutboxEmail.to_addr == address).order_by(OutboxEmail.id)
    return list(db.session.scalars(query))


def link_in(email: OutboxEmail, path_prefix: str) -> str:
    """The site-relative path of the first link in the email under ``path_prefix``."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]+)", email.body_text)
    assert match, f"no {path_prefix} link in: {email.body_text}"
    return match.group(1)


def page_text(response) -> str:
    return response.get_data(as_text=True)


def without_csrf(html: str) -> str:
    """Page HTML with the per-request CSRF tokens blanked, to compare two responses."""
    return re.sub(r'name="csrf_token"[^>]*value="[^"]+"', 'name="csrf_token"', html)


def in_request(service, *args, **kwargs):
    """Call a service that queues email inside a request context.

    Rendering an email runs the site's context processors, and ``web.templating``'s
    ``layout_context`` reads ``current_user``, which is None outside a request.
    """
    from flask import current_app

    with current_app.test_request_context():
        return service(*args, **kwargs)
