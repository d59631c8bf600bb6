"""argon2id password hashes with the cost from settings.

A hash records the cost it was made with; a login whose stored hash was made with
other parameters gets a fresh hash (``needs_rehash``), so raising the cost upgrades
every account as its owner logs in.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from aggregator.settings import get_settings


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib,
                          parallelism=parallelism, type=Type.ID)


def hasher() -> PasswordHasher:
    settings = get_settings()
    return _hasher(settings.password_time_cost, settings.password_memory_kib,
                   settings.password_parallelism)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_kib, parallelism).hash("not a password of anyone")


def waste_time(password: str) -> None:
    """Verify against a hash of nobody's password: an unknown e-mail then costs what a
    known one does, so response times do not tell which addresses have accounts."""
    settings = get_settings()
    dummy = _dummy_hash(settings.password_time_cost, settings.password_memory_kib,
                        settings.password_parallelism)
    verify_password(dummy, password)
