"""Docs stay honest: every CLI command is documented in README, and README's Quick start is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from cli.main import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_paths(typer_app: typer.Typer, prefix: str = "") -> list[str]:
    """Every command as typed after `xinyu`, groups included (e.g. `user add`)."""
    paths = [f"{prefix}{c.name or c.callback.__name__}".strip() for c in typer_app.registered_commands]
    for group in typer_app.registered_groups:
        paths += command_paths(group.typer_instance, f"{prefix}{group.name} ")
    return paths


def test_every_command_is_documented():
    missing = [path for path in command_paths(app) if f"xinyu {path}" not in README]
    assert missing == []


def test_ci_runs_readmes_test_command():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick_start, flags=re.S)
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1].strip() in ci
