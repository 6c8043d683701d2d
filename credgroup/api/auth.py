"""Bearer-token authentication for the API.

Every API endpoint requires ``Authorization: Bearer <token>`` unless its view is marked
with :func:`public`. Session cookies are deliberately ignored here: the API is exempt from
CSRF protection precisely because it does not authenticate by cookie, so accepting the
browser's session would let any web page make a signed-in member's browser call it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from flask import current_app, g, request

from credgroup.accounts.services import user_for_api_token
from credgroup.api.errors import Unauthorized

if TYPE_CHECKING:
    from credgroup.accounts.models import User

F = TypeVar("F", bound=Callable[..., object])

# Tokens are ~47 characters; anything far longer is not one of ours and is not worth hashing.
MAX_TOKEN_LENGTH = 256


def public(view: F) -> F:
    """Mark an API view as needing no token (for example the OpenAPI document)."""
    view.api_public = True  # type: ignore[attr-defined]
    return view


def is_public(endpoint: str | None) -> bool:
    view = current_app.view_functions.get(endpoint or "")
    return bool(getattr(view, "api_public", False))


def authenticate_request() -> None:
    """``before_request`` hook: resolve the bearer token to a person, or stop with 401."""
    if is_public(request.endpoint):
        return
    raw = bearer_token(request.headers.get("Authorization", ""))
    user = user_for_api_token(raw)
    if user is None:
        raise Unauthorized("That API token is not valid or has been revoked.", invalid_token=True)
    g.api_user = user


def bearer_token(header: str) -> str:
    """The raw token from an ``Authorization`` header value, or 401 if there is none."""
    if not header:
        raise Unauthorized("Send an API token in the header: Authorization: Bearer <token>.")
    scheme, _, raw = header.strip().partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw or " " in raw or len(raw) > MAX_TOKEN_LENGTH:
        raise Unauthorized("The Authorization header must be 'Bearer <token>'.", invalid_token=True)
    return raw


def api_user() -> User:
    """The person the current API request acts for."""
    return g.api_user
