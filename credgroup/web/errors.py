"""Error pages and JSON errors that say what went wrong and leak nothing internal."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from credgroup.errors import DomainError

TITLES = {
    400: "That request could not be understood",
    401: "Please sign in",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not allowed here",
    409: "That clashes with something that already exists",
    413: "That upload is too large",
    422: "Please check what you entered",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify(error={"code": code, "message": message}), status
    title = TITLES.get(status, "Error")
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(
            400,
            "csrf_failed",
            "The form had expired or did not come from this site. "
            "Go back, reload the page and try again; nothing was saved.",
        )

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return error_response(error.status_code, error.code, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        code = (error.name or "error").lower().replace(" ", "_")
        message = error.description if status < 500 else TITLES[500] + "."
        if status == 404:
            message = "There is nothing at this address, or you do not have access to it."
        return error_response(status, code, message or TITLES.get(status, "Error"))

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # Logged with its traceback, shown to nobody.
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        from credgroup.extensions import db

        db.session.rollback()
        return error_response(
            500,
            "internal_error",
            "Something went wrong on our side. Nothing you entered was saved; "
            "please try again in a moment.",
        )

    _ = InternalServerError  # imported for type readers: 500s go through unexpected_error
