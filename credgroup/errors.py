"""Domain errors raised by services; views and the API translate them to 4xx responses."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: something the user asked for cannot be done."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.__class__.__doc__ or self.code)
        self.message = message or (self.__class__.__doc__ or self.code).strip()


class NotFound(DomainError):
    """That does not exist, or you may not see it."""

    status_code = 404
    code = "not_found"


class PermissionDenied(DomainError):
    """You are not allowed to do that."""

    status_code = 403
    code = "forbidden"


class Conflict(DomainError):
    """That clashes with something that already exists."""

    status_code = 409
    code = "conflict"


class ValidationError(DomainError):
    """The input is not valid. ``field`` names the offending field when there is one."""

    status_code = 422
    code = "validation_error"

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field


class TooManyRequests(DomainError):
    """Too many attempts; try again later."""

    status_code = 429
    code = "too_many_requests"
