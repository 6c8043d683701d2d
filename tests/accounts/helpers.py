"""Helpers for the account tests: reading queued emails, comparing pages."""

from __future__ import annotations

import re

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.notify.models import OutboxEmail


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
