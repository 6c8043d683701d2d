"""JSON API at /api/v1 with bearer tokens and an OpenAPI 3 document."""

import importlib

from flask import Flask, Response, request
from werkzeug.exceptions import MethodNotAllowed

from credgroup.extensions import csrf

# Each feature's endpoints live in its own module and join ``views.bp`` when imported.
ENDPOINT_MODULES = ("reports", "kb", "search", "trends", "meetings", "meeting_records")


def init_app(app: Flask) -> None:
    for name in ENDPOINT_MODULES:
        importlib.import_module(f"credgroup.api.{name}")
    from credgroup.api import views

    # No cookies are accepted by the API (bearer tokens only), so there is nothing to forge.
    csrf.exempt(views.bp)
    app.register_blueprint(views.bp)
    app.after_request(_allow_header_on_405)


def _allow_header_on_405(response: Response) -> Response:
    """A wrong method fails before any API view runs, so the site-wide JSON error handler
    answers; add the ``Allow`` header it leaves out (RFC 9110 requires it on 405)."""
    error = request.routing_exception
    if (
        isinstance(error, MethodNotAllowed)
        and request.path.startswith("/api/")
        and error.valid_methods
    ):
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response
