"""Keyed pseudonyms for people and member companies."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app

# A scope keeps pseudonyms of the same person unlinkable across groups (and across the
# association-wide scope used by knowledge-base articles).
ASSOCIATION_SCOPE = "association"


def group_scope(group_id: int) -> str:
    return f"group:{group_id}"


def _hmac(kind: str, scope: str, subject_id: int) -> str:
    key = current_app.config["PSEUDONYM_KEY"].encode("utf-8")
    message = f"credgroup/v1/{kind}/{scope}/{subject_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def person_pseudonym(user_id: int, scope: str) -> str:
    """Stable within a scope, unrelated across scopes, meaningless without the key."""
    return _hmac("person", scope, user_id)


def company_pseudonym(company_id: int, scope: str) -> str:
    """The company behind a contribution, for "one confirmation per company" and for counting
    distinct companies behind an aggregate."""
    return _hmac("company", scope, company_id)
