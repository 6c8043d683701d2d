"""Jinja filters and globals shared by every feature's templates."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, has_request_context
from flask_login import current_user

from credgroup.markdown import render_markdown

DEFAULT_TZ = "America/New_York"


def viewer_timezone() -> ZoneInfo:
    name = getattr(current_user, "timezone", None) or DEFAULT_TZ
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def local_datetime(value: datetime | None, fmt: str = "%d %b %Y, %H:%M %Z") -> str:
    """A UTC datetime shown in the viewer's time zone."""
    if value is None:
        return ""
    return value.astimezone(viewer_timezone()).strftime(fmt)


def local_date(value: datetime | None) -> str:
    return local_datetime(value, "%d %b %Y")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["local_date"] = local_date

    @app.context_processor
    def layout_context():
        from credgroup.groups.access import visible_groups

        signed_in = has_request_context() and current_user.is_authenticated
        groups = visible_groups(current_user) if signed_in else []
        return {"nav_groups": groups, "association_name": app.config["ASSOCIATION_NAME"]}
