"""Errors of the service layer, each with a catalog key: pages and the CLI show them in the user's language.

Bad input (a CSV, a level, a fact) is `i18n.problems.InputError`, with every problem located.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from i18n.catalog import t


@dataclass(frozen=True)
class Msg:
    """A catalog key used as a message parameter, translated when the message is rendered."""

    key: str


class StoreError(Exception):
    """A refused or failed call; nothing was written."""

    key = "store.error"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or type(self).key
        self.params: Mapping[str, Any] = params
        super().__init__(self.render("en"))

    def render(self, lang: str = "zh") -> str:
        """The message in `lang`."""
        params = {k: t(v.key, lang) if isinstance(v, Msg) else v for k, v in self.params.items()}
        return t(self.key, lang, **params)


class PermissionDenied(StoreError):
    """The acting user may not do this; `action` names what was asked (a `store.action.*` key)."""

    key = "store.denied"

    def __init__(self, action: str = "store.action.any", key: str | None = None) -> None:
        self.action = action
        super().__init__(key, action=Msg(action))


class PasswordChangeRequired(PermissionDenied):
    """The account must change its password first; until then it may only do that and read its own account."""

    key = "store.password_change_required"

    def __init__(self) -> None:
        super().__init__("store.action.any", key=self.key)


class NotFound(StoreError):
    """No such thing (or the actor may not know of it)."""

    key = "store.not_found"


class InvalidState(StoreError):
    """The step does not fit where the assessment or cycle is (e.g. submitting a finalized one)."""

    key = "store.invalid_state"


class ReadOnlyError(PermissionDenied):
    """A change to a finalized assessment; refused, and the attempt is logged."""

    key = "store.read_only"

    def __init__(self, entity: str, entity_id: str, action: str, school_id: int | None, cycle_id: int | None) -> None:
        self.entity, self.entity_id, self.action = entity, entity_id, action
        self.school_id, self.cycle_id = school_id, cycle_id
        StoreError.__init__(self)


class ConflictError(StoreError):
    """The thing changed since it was read: who changed it and when."""

    key = "store.conflict"

    def __init__(self, what: str, who: str, when: datetime | None) -> None:
        self.what, self.who, self.when = what, who, when
        stamp = when.strftime("%Y-%m-%d %H:%M:%S UTC") if when else "?"
        super().__init__(what=what, who=who or "?", when=stamp)


class LoginFailed(StoreError):
    """Wrong user name or password, unknown, disabled or locked account: one answer for all."""

    key = "store.login_failed"


class BusyError(StoreError):
    """The database stayed busy through every retry; the user may simply try again."""

    key = "store.busy"


class IntegrityViolation(StoreError):
    """The change contradicts stored data (a duplicate, or a reference to something that is gone); not retried."""

    key = "store.integrity"
