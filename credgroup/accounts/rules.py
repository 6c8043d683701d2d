"""Shared rules for account services: input cleaning, column sizes, link building.

Services in ``services``, ``invitations`` and ``api_tokens`` build on these; the forms use
the same sizes so that both reject the same over-long input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app

from credgroup.accounts.models import Role, User
from credgroup.errors import Conflict, DomainError, ValidationError
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, FacilitatorAssignment, MemberCompany

# Column sizes, shared with the forms so both reject the same over-long input.
EMAIL_MAX = 254
NAME_MAX = 120
PASSWORD_MAX = 256  # argon2 takes any length; the cap stops multi-megabyte "passwords"
TOKEN_NAME_MAX = 100
MAX_ACTIVE_API_TOKENS = 20
BAD_CREDENTIALS = "Email or password is incorrect."
DUPLICATE_EMAIL = "An account with this email address already exists."


class EmailTaken(Conflict):
    """Another account already uses this email address."""

    field = "email"

    def __init__(self) -> None:
        super().__init__(DUPLICATE_EMAIL)


class LinkGone(DomainError):
    """This link has expired or has already been used."""

    status_code = 410
    code = "gone"


# --- small helpers -------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return email.strip().lower()


def clean_email(email: str, field: str = "email") -> str:
    """The normalised address, or ValidationError when it is not a usable email address."""
    email = normalise_email(email or "")
    if not email:
        raise ValidationError(field, "Enter an email address.")
    if len(email) > EMAIL_MAX:
        raise ValidationError(field, f"An email address has at most {EMAIL_MAX} characters.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationError(field, f"That is not a valid email address: {error}") from None
    return email


def clean_name(name: str, field: str = "name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(field, "Enter a name.")
    if len(name) > NAME_MAX:
        raise ValidationError(field, f"A name has at most {NAME_MAX} characters.")
    return name


def check_new_password(password: str, field: str = "password") -> str:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        raise ValidationError(field, f"Choose a password of at least {minimum} characters.")
    if len(password) > PASSWORD_MAX:
        raise ValidationError(field, f"A password has at most {PASSWORD_MAX} characters.")
    return password


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def ensure_email_free(email: str, *, except_user: User | None = None) -> None:
    existing = user_by_email(email)
    if existing is not None and existing is not except_user:
        raise EmailTaken()


def absolute_link(endpoint: str, **values: Any) -> str:
    """Absolute URL for emails: BASE_URL plus the route's path (works without a request)."""
    path = current_app.url_map.bind("").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def audit_label(user: User) -> str:
    return f"{user.name} <{user.email}>"


def new_user(
    *,
    email: str,
    name: str,
    role: Role,
    company: MemberCompany | None,
    groups: Sequence[CreditGroup],
) -> User:
    """Add the account row for ``role``: a member in ``company``, or staff facilitating
    ``groups``. Inputs are already cleaned; the caller sets the password and flushes."""
    if role is Role.MEMBER:
        if company is None:
            raise ValidationError("company", "A member must belong to a member company.")
        user = User(email=email, name=name, company=company)
    else:
        if company is not None:
            raise ValidationError("company", "Association staff do not belong to a company.")
        user = User(email=email, name=name, is_staff=True, is_admin=role is Role.ADMIN)
    db.session.add(user)
    for group in groups if role is not Role.MEMBER else ():
        db.session.add(FacilitatorAssignment(group=group, user=user))
    return user
