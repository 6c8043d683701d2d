"""Personal API tokens. The secret is shown once; only its SHA-256 is stored."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from credgroup.accounts.models import ApiToken, User
from credgroup.accounts.rules import MAX_ACTIVE_API_TOKENS, TOKEN_NAME_MAX
from credgroup.accounts.tokens import API_TOKEN_PREFIX, hash_token, new_token
from credgroup.db import utcnow
from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db

LAST_USED_RESOLUTION = timedelta(minutes=1)


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token; the raw secret is returned once and never stored."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("name", "Give the token a name, such as the tool that will use it.")
    if len(name) > TOKEN_NAME_MAX:
        raise ValidationError("name", f"A token name has at most {TOKEN_NAME_MAX} characters.")
    if len(list_api_tokens(user)) >= MAX_ACTIVE_API_TOKENS:
        raise ValidationError(
            "name", f"You already have {MAX_ACTIVE_API_TOKENS} tokens; revoke one first."
        )
    raw, token_hash = new_token(API_TOKEN_PREFIX)
    token = ApiToken(user=user, name=name, token_hash=token_hash, prefix=raw[:10])
    db.session.add(token)
    db.session.flush()
    return token, raw


def list_api_tokens(user: User) -> list[ApiToken]:
    """A person's unrevoked tokens, newest first."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_api_token(user: User, token_public_id: str) -> None:
    """Revoke one of one's own tokens (someone else's is reported as not found)."""
    token = db.session.scalar(
        sa.select(ApiToken).where(
            ApiToken.public_id == token_public_id, ApiToken.user_id == user.id
        )
    )
    if token is None:
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


def user_for_api_token(raw: str) -> User | None:
    """The active owner of an unrevoked token, or None. Records when the token was used.

    ``last_used_at`` is written in its own short transaction, so API reads need not commit,
    and at most once a minute per token, so a busy script does not write on every call.
    """
    if not raw or not raw.startswith(API_TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = db.session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == hash_token(raw), ApiToken.revoked_at.is_(None)
        )
    )
    if token is None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        with db.engine.begin() as connection:
            connection.execute(
                sa.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
            )
        set_committed_value(token, "last_used_at", now)
    return token.user
