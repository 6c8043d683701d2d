"""argon2id password hashing (argon2-cffi's defaults are RFC 9106's low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id
# Verified against when there is no such user, so a wrong email costs as long as a wrong
# password and response times do not reveal which emails have accounts.
_DUMMY_HASH = _hasher.hash("credgroup-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def use_fast_hashing_for_tests() -> None:
    """Cheap argon2id parameters so the test suite does not spend minutes hashing.

    Still argon2id, so every code path is the production one; only the cost differs.
    """
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    _DUMMY_HASH = _hasher.hash("credgroup-timing-equaliser")
