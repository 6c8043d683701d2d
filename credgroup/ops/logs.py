"""Log lines as JSON or plain text, each carrying the id of the request (or job) it
belongs to, and one line per request.

**What a log line may say.** A request line records what the server did, never who asked:
method, endpoint, route *template* (``/g/<slug>/reports/<public_id>``, not the path),
status and duration. No user id, email, client address, session, query string or raw
path: together with the moment of a ``POST`` that creates a report, comment or
confirmation, any of them would say who wrote it (the redirect that follows carries the
new report's id). This holds for every request, so no list of "sensitive" endpoints can
fall out of date. Operators follow one request through the logs by its id, which the
response returns in ``X-Request-ID`` and error pages show.

Request ids come from the trusted reverse proxy's ``X-Request-ID`` (only when
``TRUSTED_PROXIES`` says there is one, and only if it looks like an id), else are made
here. Worker jobs get an id per run (``job-<job>-<random>``).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and a few separators: nothing that could forge or break a log line.
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:@-]{8,128}")
NO_REQUEST = "-"
REQUEST_LOGGER = "credgroup.request"
# Load balancers ask every few seconds; their lines are kept out of the INFO log.
QUIET_ENDPOINTS = frozenset({"health.healthz", "health.readyz"})

_request_id: ContextVar[str] = ContextVar("credgroup_request_id", default=NO_REQUEST)
request_log = logging.getLogger(REQUEST_LOGGER)


def current_request_id() -> str:
    """The id of the request or job this code runs for ("-" outside of both)."""
    return _request_id.get()


def new_request_id() -> str:
    return secrets.token_hex(16)


# --- formatting ---------------------------------------------------------------------------


class RequestIdFilter(logging.Filter):
    """Stamps every record with the current request (or job) id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message, fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", NO_REQUEST),
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """``time level logger [request id] message key=value...`` for people at a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = getattr(record, "request_id", NO_REQUEST)
        text = super().format(record)
        fields = getattr(record, "fields", {})
        if not fields:
            return text
        return text + " " + " ".join(f"{key}={value}" for key, value in fields.items())


FORMATTERS = {"json": JsonFormatter, "plain": PlainFormatter}


def configure(app: Flask) -> None:
    """Send every log record to stderr in ``LOG_FORMAT``; set credgroup's ``LOG_LEVEL``.

    The handler sits on the root logger (gunicorn's own loggers do not propagate there),
    replacing the one an earlier app in this process installed. The root level stays at
    WARNING so chatty libraries (APScheduler logs every run at INFO) stay quiet.
    """
    name = str(app.config.get("LOG_FORMAT") or "plain").lower()
    if name not in FORMATTERS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATTERS)}, not {name!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(FORMATTERS[name]())
    handler.addFilter(RequestIdFilter())
    handler._credgroup = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_credgroup", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    level = getattr(logging, str(app.config["LOG_LEVEL"]).upper(), logging.INFO)
    logging.getLogger("credgroup").setLevel(level)
    _install_request_hooks(app)


# --- requests ----------------------------------------------------------------------------


def _install_request_hooks(app: Flask) -> None:
    trust_header = int(app.config.get("TRUSTED_PROXIES") or 0) > 0
    # First of all before_request hooks (CSRF's included), so even a refused request has
    # an id; after_request hooks run in reverse, so this one sees the final response.
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: _start(trust_header))
    app.after_request(_finish)
    app.teardown_request(_forget)


def _start(trust_header: bool) -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "") if trust_header else ""
    request_id = given if REQUEST_ID_RE.fullmatch(given) else new_request_id()
    g.request_id = request_id
    g.request_started = time.perf_counter()
    request.environ["credgroup.request_id_token"] = _request_id.set(request_id)


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or current_request_id()
    if request_id == NO_REQUEST:  # a hook before ours answered: still give it an id
        _start(False)
        request_id = g.request_id
    response.headers[REQUEST_ID_HEADER] = request_id
    endpoint = request.endpoint or ""
    started = g.get("request_started", time.perf_counter())
    fields = {
        "method": request.method,
        "endpoint": endpoint or None,
        "route": request.url_rule.rule if request.url_rule is not None else None,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    level = logging.DEBUG if endpoint in QUIET_ENDPOINTS else logging.INFO
    request_log.log(level, "request", extra={"fields": fields})
    return response


def _forget(error: BaseException | None) -> None:
    token = request.environ.pop("credgroup.request_id_token", None)
    if token is not None:
        _request_id.reset(token)


# --- worker jobs -------------------------------------------------------------------------


@contextmanager
def job_context(job_id: str) -> Iterator[str]:
    """Give one run of a worker job an id of its own, for every line it logs."""
    run_id = f"job-{job_id}-{secrets.token_hex(4)}"
    token = _request_id.set(run_id)
    try:
        yield run_id
    finally:
        _request_id.reset(token)
