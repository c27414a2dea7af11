"""What every page needs for one run: the services, the signed-in user, the language and the cycle."""

from __future__ import annotations

from dataclasses import dataclass

from settings import Settings
from store.records import Cycle, CycleStatus, User
from store.services import Services
from ui import state


@dataclass(frozen=True)
class AppCtx:
    """One run's context; built by `app.py`, read by the pages."""

    services: Services
    settings: Settings
    user: User
    lang: str
    cycles: tuple[Cycle, ...]
    cycle: Cycle | None


def pick_cycle(cycles: list[Cycle], chosen: int | None) -> Cycle | None:
    """The cycle chosen in this session, else the newest open one, else the newest."""
    by_id = {c.id: c for c in cycles}
    if chosen in by_id:
        return by_id[chosen]
    open_ones = [c for c in cycles if c.status == CycleStatus.OPEN]
    return (open_ones or cycles or [None])[0]


def build(services: Services, settings: Settings, user: User) -> AppCtx:
    """The context of this run for a signed-in user (no cycle while the password must be changed first)."""
    cycles = [] if user.must_change_password else services.cycles.list_cycles(user)
    cycle = pick_cycle(cycles, state.session().get(state.CYCLE))
    ctx = AppCtx(services, settings, user, state.lang(settings.lang), tuple(cycles), cycle)
    state.session()[state.CTX] = ctx
    return ctx


def current() -> AppCtx:
    """The context `app.py` built for this run."""
    ctx = state.session().get(state.CTX)
    if not isinstance(ctx, AppCtx):
        raise RuntimeError("page run without app.py")
    return ctx
