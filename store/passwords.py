"""Passwords: argon2id hashes, the password policy (等保 2.0 level 2), and random passwords for new accounts."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PasswordPolicy:
    """What a new password must satisfy, and how long a password lasts (settings XINYU_PASSWORD_*).

    `min_kinds` of the four kinds (lower-case letters, upper-case letters, digits, anything else);
    never the user name; none of the account's last `history` passwords; older than `max_age_days`
    (0: never) it must be changed at sign-in.
    """

    min_length: int = MIN_LENGTH
    min_kinds: int = 3
    history: int = 5
    max_age_days: int = 180


DEFAULT_POLICY = PasswordPolicy()


def kinds_of(password: str) -> int:
    """How many of the four kinds of character the password has."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def password_problems(
    password: str, field: str = "password", *, username: str = "", policy: PasswordPolicy = DEFAULT_POLICY
) -> list[Problem]:
    """What is wrong with a new password under the policy (length, kinds, not the user name)."""
    problems: list[Problem] = []
    if len(password) < policy.min_length:
        problems.append(Problem("store.password_short", {"min": policy.min_length}, path=field))
    if len(password) > MAX_LENGTH:
        problems.append(Problem("store.password_long", {"max": MAX_LENGTH}, path=field))
    if kinds_of(password) < policy.min_kinds:
        problems.append(Problem("accounts.password_kinds", {"kinds": policy.min_kinds}, path=field))
    name = username.strip().lower()
    if name and name in password.lower():
        problems.append(Problem("accounts.password_username", path=field))
    return problems


def generate_password(length: int = 12, policy: PasswordPolicy = DEFAULT_POLICY) -> str:
    """A random password that satisfies the policy: unambiguous letters and digits (and a sign if four kinds)."""
    length = max(length, policy.min_length, 4)
    while True:
        password = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if policy.min_kinds >= 4:
            password = password[:-1] + secrets.choice("#%+=")
        if not password_problems(password, policy=policy):
            return password
