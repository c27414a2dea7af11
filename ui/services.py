"""The one cached engine and service layer per database, and framework objects cached by version.

`st.cache_resource` holds one `Services` per database URL for every session of the process (it owns
an engine and its pool, never a session or a user's data). Frameworks are public criteria, immutable
per stored version: parsed and compiled once per (database, version). Nothing per user is cached here.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass

import streamlit as st

from criteria import Framework
from jobs.queue import close_runners, runner
from scoring import CompiledFramework, compile_framework
from settings import Settings, get_settings
from store.bootstrap import Opened, open_store
from store.demo import demo_account_lines
from store.records import DemoLoad, User
from store.services import Services


@dataclass
class Store:
    """The opened store and, until one session has shown them, the demo accounts of its first start."""

    opened: Opened
    lock: threading.Lock

    @property
    def services(self) -> Services:
        """The service layer."""
        return self.opened.services

    @property
    def loaded_demo(self) -> bool:
        """Whether this start loaded the demo district (its passwords were printed in the terminal)."""
        return self.opened.demo is not None

    def take_demo(self) -> DemoLoad | None:
        """The demo accounts created at start-up, handed out once (the terminal has shown them)."""
        with self.lock:
            demo, self.opened = self.opened.demo, Opened(self.opened.services, None)
            return demo


@dataclass(frozen=True)
class FrameworkBundle:
    """A framework version and its compiled arrays."""

    version_id: int
    framework: Framework
    compiled: CompiledFramework


def settings() -> Settings:
    """The deployment's settings (environment variables or `.env`)."""
    return get_settings()


_OPENED: list[Store] = []


@st.cache_resource(show_spinner=False)
def _store(url: str, configuration: str, _settings: Settings) -> Store:
    """Open (create, migrate, load the demo into an empty database) once per database and configuration."""
    opened = Store(open_store(_settings), threading.Lock())
    _OPENED.append(opened)
    runner(_settings, opened.services)  # without a broker: take up the jobs a stopped app process left
    if opened.opened.demo is not None:  # the demo passwords go to the terminal that started the app, never a page
        print("\n".join(demo_account_lines(opened.opened.demo, _settings.lang)), file=sys.stderr, flush=True)
    return opened


def store() -> Store:
    """The store of the configured database."""
    s = settings()
    return _store(s.sqlalchemy_url, s.model_dump_json(), s)


def services() -> Services:
    """The service layer of the configured database."""
    return store().services


@st.cache_resource(show_spinner=False, max_entries=32)
def _bundle(url: str, version_id: int, _services: Services, _user: User) -> FrameworkBundle:
    framework = _services.frameworks.get(_user, version_id)
    return FrameworkBundle(version_id, framework, compile_framework(framework))


def framework(sv: Services, user: User, version_id: int) -> FrameworkBundle:
    """The framework of a stored version, parsed and compiled once per database and version."""
    return _bundle(str(sv.engine.url), version_id, sv, user)


def close_all() -> None:
    """Forget every cached store and close its connections (tests and benchmarks switch databases)."""
    _store.clear()
    _bundle.clear()
    close_runners()
    while _OPENED:
        _OPENED.pop().services.close()
