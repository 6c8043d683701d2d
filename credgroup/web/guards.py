"""Input the whole site refuses before any view runs."""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from credgroup.web.errors import error_response

NUL = "\x00"


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def refuse_nul_characters():
    """PostgreSQL cannot store or even compare text with a NUL character, so a request
    carrying one (address, query, form or JSON body) gets a clear 400 everywhere instead of
    a database error deep in some service."""
    values: list[Any] = [request.path, *request.args.values(), *request.args.keys()]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        values += [*request.form.values(), *request.form.keys()]
        if request.is_json:
            values.append(request.get_json(silent=True))
    if any(_contains_nul(value) for value in values):
        return error_response(
            400, "bad_request", "The request contains a NUL character, which is not allowed."
        )
    return None


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
