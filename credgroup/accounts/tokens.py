"""Random secrets that travel in links or headers; only their SHA-256 is stored.

SHA-256 (not argon2) is right here: the secrets are 256-bit random, so there is nothing
to brute-force, and lookups must be by hash.
"""

from __future__ import annotations

import hashlib
import secrets

API_TOKEN_PREFIX = "cg_"  # noqa: S105 - a label, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_token(prefix: str = "") -> tuple[str, str]:
    """Return (raw secret to hand out once, hash to store)."""
    raw = prefix + secrets.token_urlsafe(32)
    return raw, hash_token(raw)
