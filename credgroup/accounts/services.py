"""Account services: sign-in, people, password resets, profile, deactivation.

Every service changes the session and flushes; the caller (view, CLI command, job)
commits once. Emails go through the outbox, and their links are built from ``BASE_URL``,
never from the request's Host header, so a forged Host cannot redirect a reset link.
Invitation and API token services live in their own modules and are re-exported here,
so that other features find every account service in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from credgroup.accounts import throttle
from credgroup.accounts.api_tokens import (
    create_api_token,
    list_api_tokens,
    revoke_api_token,
    user_for_api_token,
)
from credgroup.accounts.invitations import (
    accept_invitation,
    invitation_for_token,
    invite_person,
    pending_invitations,
    revoke_invitation,
)
from credgroup.accounts.models import PasswordResetToken, Role, User
from credgroup.accounts.passwords import hash_password, needs_rehash, verify_password
from credgroup.accounts.rules import (
    BAD_CREDENTIALS,
    EMAIL_MAX,
    LinkGone,
    absolute_link,
    audit_label,
    check_new_password,
    clean_email,
    clean_name,
    ensure_email_free,
    new_user,
    normalise_email,
    user_by_email,
)
from credgroup.accounts.tokens import hash_token, new_token
from credgroup.audit.services import record
from credgroup.db import utcnow
from credgroup.errors import NotFound, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import require_admin
from credgroup.groups.models import (
    CreditGroup,
    FacilitatorAssignment,
    GroupMembership,
    MemberCompany,
)
from credgroup.groups.validation import clean_timezone
from credgroup.notify.services import queue_email

__all__ = [
    "accept_invitation",
    "authenticate",
    "change_password",
    "create_api_token",
    "create_user",
    "deactivate_user",
    "invitation_for_token",
    "invite_person",
    "list_api_tokens",
    "load_user_from_session_id",
    "normalise_email",
    "pending_invitations",
    "reactivate_user",
    "request_password_reset",
    "reset_password",
    "reset_token_user",
    "revoke_api_token",
    "revoke_invitation",
    "update_profile",
    "user_for_api_token",
]


# --- people ----------------------------------------------------------------------------


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    role: Role,
    company: MemberCompany | None = None,
    password: str | None = None,
    groups: Sequence[CreditGroup] = (),
) -> User:
    """Create an account directly (admins, or the command line when ``actor`` is None).

    Members need a company (their groups follow from its memberships, so ``groups`` is
    ignored); facilitators are staff assigned to ``groups``; admins are staff with every
    right. Without a password the person sets one through "Forgot your password?".
    """
    if actor is not None:
        require_admin(actor)
    email, name = clean_email(email), clean_name(name)
    password_hash = hash_password(check_new_password(password)) if password is not None else None
    ensure_email_free(email)
    user = new_user(email=email, name=name, role=role, company=company, groups=groups)
    user.password_hash = password_hash
    db.session.flush()
    record(
        actor, "user.created", target_type="user", target_label=audit_label(user), role=role.value
    )
    return user


# --- signing in ------------------------------------------------------------------------


def load_user_from_session_id(session_id: str) -> User | None:
    """Flask-Login loader: ``<public_id>:<session_version>``; a stale version signs out."""
    public_id, _, version = session_id.partition(":")
    user = db.session.scalar(sa.select(User).where(User.public_id == public_id))
    if user is None or str(user.session_version) != version or not user.active:
        return None
    return user


def authenticate(email: str, password: str, ip: str) -> User:
    """The active account with this email and password, or a generic error.

    Raises TooManyRequests while the address or IP is throttled, and otherwise the same
    ValidationError for an unknown address, a wrong password and a deactivated account.
    Upgrades the stored hash when argon2's parameters have changed.
    """
    key = throttle.account_key(email)
    throttle.check(key, ip)
    user = user_by_email(email) if len(email or "") <= EMAIL_MAX else None
    # verify_password checks against a dummy hash when there is no user: equal timing.
    ok = verify_password(user.password_hash if user else None, password or "")
    ok = ok and user is not None and user.active
    throttle.record_attempt(key, ip, succeeded=ok)
    if not ok:
        raise ValidationError(None, BAD_CREDENTIALS)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


# --- password reset --------------------------------------------------------------------


def request_password_reset(email: str, *, ip: str = "") -> None:
    """Email a single-use reset link if an active account has this address.

    Does nothing visible for unknown addresses, so callers always show the same message.
    Requests are throttled per address and per IP whether or not the account exists.
    """
    email = clean_email(email)
    key = throttle.account_key(email, throttle.RESET)
    throttle.check(key, ip)
    # Every request counts towards the limit: it caps the mail one can make us send.
    throttle.record_attempt(key, ip, succeeded=False)
    user = user_by_email(email)
    if user is None or not user.active:
        return
    raw, token_hash = new_token()
    minutes = current_app.config["PASSWORD_RESET_TTL_MINUTES"]
    db.session.add(
        PasswordResetToken(
            user=user, token_hash=token_hash, expires_at=utcnow() + timedelta(minutes=minutes)
        )
    )
    db.session.flush()
    queue_email(
        user.email,
        "Reset your credgroup password",
        "password_reset",
        user=user,
        link=absolute_link("accounts.reset_password", token=raw),
        minutes=minutes,
        association=current_app.config["ASSOCIATION_NAME"],
    )


def reset_token_user(raw_token: str) -> User:
    """The person a reset link belongs to, or a 404/410 error that says what is wrong."""
    token = db.session.scalar(
        sa.select(PasswordResetToken).where(
            PasswordResetToken.token_hash == hash_token(raw_token or "")
        )
    )
    if token is None or not token.user.active:
        raise NotFound("This password reset link is not valid. Check that you copied all of it.")
    if token.used_at is not None:
        raise LinkGone("This password reset link has already been used. Ask for a new one.")
    if token.expires_at <= utcnow():
        raise LinkGone("This password reset link has expired. Ask for a new one.")
    return token.user


def reset_password(raw_token: str, new_password: str) -> User:
    """Set a new password from a reset link.

    Uses up this link and every other outstanding one, signs the person out everywhere
    (session_version) and lifts the sign-in throttle for their address.
    """
    user = reset_token_user(raw_token)
    check_new_password(new_password)
    now = utcnow()
    db.session.execute(
        sa.update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    _set_password(user, new_password)
    throttle.lift(throttle.account_key(user.email))
    db.session.flush()
    return user


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.session_version += 1


# --- profile ---------------------------------------------------------------------------

DIGEST_VALUES = ("immediate", "daily", "weekly", "off")


def update_profile(
    user: User,
    *,
    name: str,
    email: str,
    timezone: str,
    meeting_reminders: bool,
    digest: str,
    trends_digest: bool | None = None,
    current_password: str | None = None,
) -> User:
    """Change a person's own details. A new email address needs the current password.
    ``trends_digest`` turns the weekly trends email on or off (None: leave it as it is)."""
    name, email = clean_name(name), clean_email(email)
    if email != user.email:
        if not verify_password(user.password_hash, current_password or ""):
            raise ValidationError(
                "current_password", "Enter your current password to change your email address."
            )
        ensure_email_free(email, except_user=user)
        _queue_email_changed(user, old_email=user.email, new_email=email)
    timezone = clean_timezone(timezone)
    if digest not in DIGEST_VALUES:
        raise ValidationError("digest", "Choose how often to receive email from the list.")
    user.name, user.email, user.timezone = name, email, timezone
    # A new dict, so SQLAlchemy sees the JSON column change.
    prefs = {
        **(user.notification_prefs or {}),
        "meeting_reminders": bool(meeting_reminders),
        "digest": digest,
    }
    if trends_digest is not None:
        prefs["trends_digest"] = bool(trends_digest)
    user.notification_prefs = prefs
    db.session.flush()
    return user


def _queue_email_changed(user: User, *, old_email: str, new_email: str) -> None:
    # Told at the old address: if someone else made the change, the owner learns of it.
    queue_email(
        old_email,
        "Your credgroup email address was changed",
        "email_changed",
        user=user,
        old_email=old_email,
        new_email=new_email,
        association=current_app.config["ASSOCIATION_NAME"],
    )


def change_password(user: User, current_password: str, new_password: str) -> User:
    """Change one's own password; every other session of this person ends."""
    if not verify_password(user.password_hash, current_password or ""):
        raise ValidationError("current_password", "Your current password is not correct.")
    _set_password(user, check_new_password(new_password))
    db.session.flush()
    return user


# --- deactivation ----------------------------------------------------------------------


def deactivate_user(actor: User, user: User) -> User:
    """Stop someone signing in and end their sessions; their API tokens stop working."""
    _require_may_manage(actor, user)
    if user.id == actor.id:
        raise ValidationError(None, "You cannot deactivate your own account.")
    if user.active:
        user.active = False
        user.session_version += 1
        db.session.flush()
        record(actor, "user.deactivated", target_type="user", target_label=audit_label(user))
    return user


def reactivate_user(actor: User, user: User) -> User:
    """Let a deactivated person sign in again (with their existing password)."""
    _require_may_manage(actor, user)
    if not user.active:
        user.active = True
        db.session.flush()
        record(actor, "user.reactivated", target_type="user", target_label=audit_label(user))
    return user


def _require_may_manage(actor: User, user: User) -> None:
    """Admins manage everyone; facilitators the members of companies in their groups."""
    if actor.is_admin:
        return
    if actor.is_staff and not user.is_staff and user.company_id is not None:
        facilitated = sa.select(FacilitatorAssignment.group_id).where(
            FacilitatorAssignment.user_id == actor.id
        )
        seat = db.session.scalar(
            sa.select(GroupMembership.id).where(
                GroupMembership.company_id == user.company_id,
                GroupMembership.group_id.in_(facilitated),
            )
        )
        if seat is not None:
            return
    raise PermissionDenied("You can only manage the people of companies in your groups.")
