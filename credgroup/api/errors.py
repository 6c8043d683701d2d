"""JSON errors for the API: one shape, stable codes, nothing internal leaked.

Every error the API returns looks like ``{"error": {"code": ..., "message": ...}}``, plus
``"field"`` for a validation error that names the offending input. Clients branch on
``code`` (stable) and show ``message`` (human, may change).

The handlers here are registered on the API blueprint, so they take precedence over the
site-wide handlers in ``web/errors.py`` for everything raised inside an API view. Errors
raised before a view is found (unknown URL, wrong method) go through the site-wide
handlers, which already answer in the same JSON shape under ``/api/``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from credgroup.errors import DomainError
from credgroup.extensions import db

# Stable error codes by HTTP status. Documented in the OpenAPI ``Error`` schema.
CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
}

NOT_FOUND_MESSAGE = "There is nothing at this address, or you do not have access to it."
INTERNAL_MESSAGE = (
    "Something went wrong on our side. Nothing was saved; please try again in a moment."
)


class BadRequest(DomainError):
    """The request could not be understood."""

    status_code = 400
    code = "bad_request"


class Unauthorized(DomainError):
    """A valid API token is required."""

    status_code = 401
    code = "unauthorized"

    def __init__(self, message: str = "", *, invalid_token: bool = False) -> None:
        super().__init__(message)
        # RFC 6750 section 3.1: a token was sent but is not (or no longer) valid.
        self.invalid_token = invalid_token


class UnsupportedMediaType(DomainError):
    """Send the request body as JSON with ``Content-Type: application/json``."""

    status_code = 415
    code = "unsupported_media_type"


def error_json(
    status: int,
    message: str,
    *,
    code: str | None = None,
    field: str | None = None,
    invalid_token: bool = False,
) -> Response:
    """Build the API's error response."""
    body: dict[str, Any] = {"code": code or CODES.get(status, "error"), "message": message}
    if field is not None:
        body["field"] = field
    response = jsonify(error=body)
    response.status_code = status
    if status == 401:
        # RFC 6750: tell the client which scheme to use (and, if it sent one, that it is bad).
        challenge = 'Bearer realm="credgroup"'
        if invalid_token:
            challenge += ', error="invalid_token"'
        response.headers["WWW-Authenticate"] = challenge
    return response


def json_body() -> dict[str, Any]:
    """The JSON object sent to a write endpoint: 415 if it is not JSON, 400 if malformed."""
    if not request.is_json:
        raise UnsupportedMediaType()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    return data


def register_error_handlers(bp: Blueprint) -> None:
    """Attach the JSON error handlers to the API blueprint."""
    bp.register_error_handler(DomainError, _domain_error)
    bp.register_error_handler(HTTPException, _http_error)
    bp.register_error_handler(Exception, _unexpected_error)


def _domain_error(error: DomainError) -> Response:
    db.session.rollback()  # nothing half-saved
    return error_json(
        error.status_code,
        error.message,
        code=error.code,
        field=getattr(error, "field", None),
        invalid_token=getattr(error, "invalid_token", False),
    )


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status >= 500:
        return _unexpected_error(error)
    message = NOT_FOUND_MESSAGE if status == 404 else (error.description or "")
    response = error_json(status, message)
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods or ()))
    return response


def _unexpected_error(error: Exception) -> Response:
    # Logged with its traceback, shown to nobody.
    current_app.logger.exception("Unhandled API error on %s %s", request.method, request.path)
    db.session.rollback()
    return error_json(500, INTERNAL_MESSAGE)
