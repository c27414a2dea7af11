"""Passwords: argon2id hashes, a policy for new passwords, and random passwords for new accounts."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from i18n.problems import Problem

MIN_LENGTH = 8
MAX_LENGTH = 128
ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I


class Passwords:
    """Hashing and checking with one argon2 configuration (tests may pass a cheaper one)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()

    @cached_property
    def _dummy_hash(self) -> str:
        return self.hasher.hash(secrets.token_hex(16))

    def hash(self, password: str) -> str:
        """The argon2id hash of `password`."""
        return self.hasher.hash(password)

    def hash_many(self, passwords: Iterable[str]) -> list[str]:
        """Hashes of many passwords, computed in parallel (argon2 releases the GIL)."""
        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(self.hash, passwords))

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """Whether `password` matches; with no stored hash, spends the same time and says no."""
        try:
            return self.hasher.verify(stored_hash or self._dummy_hash, password) and stored_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """Whether the hash was made with other parameters than the current ones."""
        return self.hasher.check_needs_rehash(stored_hash)


def password_problems(password: str, field: str = "password") -> list[Problem]:
    """What is wrong with a new password (length only: long passphrases beat composition rules)."""
    if len(password) < MIN_LENGTH:
        return [Problem("store.password_short", {"min": MIN_LENGTH}, path=field)]
    if len(password) > MAX_LENGTH:
        return [Problem("store.password_long", {"max": MAX_LENGTH}, path=field)]
    return []


def generate_password(length: int = 12) -> str:
    """A random password of unambiguous letters and digits."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
