"""Account services: sign-in, sessions. (Invitations, resets, profile, tokens: see helpers.)"""

from __future__ import annotations

import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.extensions import db


def normalise_email(email: str) -> str:
    return email.strip().lower()


def load_user_from_session_id(session_id: str) -> User | None:
    """Flask-Login loader: ``<public_id>:<session_version>``; a stale version signs out."""
    public_id, _, version = session_id.partition(":")
    user = db.session.scalar(sa.select(User).where(User.public_id == public_id))
    if user is None or str(user.session_version) != version or not user.active:
        return None
    return user
