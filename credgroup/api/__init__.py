"""JSON API at /api/v1 with bearer tokens and an OpenAPI 3 document."""

from flask import Flask, Response, request
from werkzeug.exceptions import MethodNotAllowed

from credgroup.extensions import csrf


def init_app(app: Flask) -> None:
    import credgroup.api.kb  # noqa: F401  (its endpoints join views.bp)
    import credgroup.api.meeting_records  # (its endpoints join views.bp)
    import credgroup.api.meetings  # noqa: F401  (its endpoints join views.bp)
    import credgroup.api.reports  # noqa: F401  (its endpoints join views.bp)
    import credgroup.api.search  # noqa: F401  (its endpoint joins views.bp)
    import credgroup.api.trends  # noqa: F401  (its endpoints join views.bp)
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
