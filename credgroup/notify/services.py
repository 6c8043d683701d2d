"""Queueing email. Nothing is sent here: the worker drains the outbox after commit, so a
rolled-back change sends nothing and a crash loses nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app
from jinja2 import TemplateNotFound

from credgroup.extensions import db
from credgroup.notify.models import OutboxEmail


@dataclass(frozen=True)
class Attachment:
    """One text attachment, e.g. ``Attachment("meeting.ics", "text/calendar", ics_text)``."""

    filename: str
    mime_type: str
    text: str


def queue_email(
    to: str,
    subject: str,
    template: str,
    *,
    dedupe_key: str | None = None,
    attachment: Attachment | None = None,
    **context: Any,
) -> OutboxEmail | None:
    """Render ``templates/email/<template>.txt`` (and ``.html`` if present) into the outbox.

    With a ``dedupe_key`` that is already queued, nothing new is added and None is returned.
    ``attachment``: at most one text file sent along (a meeting's .ics).
    """
    if dedupe_key is not None and db.session.scalar(
        sa.select(OutboxEmail.id).where(OutboxEmail.dedupe_key == dedupe_key)
    ):
        return None
    context = {**_email_defaults(), **context}
    body_text = _render(f"email/{template}.txt", context)
    body_html = _render_optional(f"email/{template}.html", context)
    email = OutboxEmail(
        to_addr=to,
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        dedupe_key=dedupe_key,
    )
    if attachment is not None:
        email.attachment_name = attachment.filename[:200]
        email.attachment_type = attachment.mime_type[:100]
        email.attachment_text = attachment.text
    db.session.add(email)
    return email


def _email_defaults() -> dict[str, Any]:
    config = current_app.config
    return {"association_name": config["ASSOCIATION_NAME"], "base_url": config["BASE_URL"]}


def _render(name: str, context: dict[str, Any]) -> str:
    # Straight from the Jinja environment, not render_template: the page context processors
    # describe the signed-in user (who may not be the recipient) and need a request, which
    # jobs and CLI commands do not have.
    return current_app.jinja_env.get_template(name).render(context)


def _render_optional(name: str, context: dict[str, Any]) -> str | None:
    try:
        return _render(name, context)
    except TemplateNotFound:
        return None
