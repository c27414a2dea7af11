"""Entry point of the `xinyu` command: every command group registered on one Typer app.

A command loads only what it uses. The file commands (score, explain, validate, generate, framework,
report, template, ...) import their layers inside the command, and a process started as
`xinyu <file command>` does not even register the database commands, whose module imports the store
(SQLAlchemy, Alembic, argon2): `xinyu score` starts without the database or report layers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# One BLAS thread: the engine's matrix products are small and memory-bound, and on a two-core server
# OpenBLAS's extra threads only spin against pyarrow's reader (0.4 s of CPU at 100,000 schools).
# Set before anything imports numpy; a value the user set stands.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import typer

from cli import framework_cmds, report_cmds, score_cmds

FILE_MODULES = (score_cmds, framework_cmds, report_cmds)


def _one_malloc_arena() -> None:
    """glibc: every thread of a file command allocates from one malloc arena (unless MALLOC_ARENA_MAX is set).

    The reader's and the scoring's worker threads then reuse what the others freed instead of
    touching fresh pages of arenas of their own (28 MB less at 100,000 schools), and a fresh page is
    the dear part of a large district on a VM (see docs/benchmarks.md, issue 12). Only for a process
    started as a file command: long-lived servers and workers keep glibc's arenas per thread.
    """
    if "MALLOC_ARENA_MAX" in os.environ or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(-8, 1)  # M_ARENA_MAX (glibc's malloc.h); elsewhere there is no such call
    except (OSError, AttributeError):
        pass


def _new_app() -> typer.Typer:
    return typer.Typer(
        name="xinyu",
        help="学校心理健康工作自评与督导工具 / School mental-health self-assessment and inspection toolkit",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,  # plain help: rich's help formatter alone costs 0.2 s of start-up
    )


def file_command_names() -> set[str]:
    """The top-level names (commands and groups) of the file commands."""
    probe = _new_app()
    for module in FILE_MODULES:
        module.register(probe)
    names = {c.name or c.callback.__name__ for c in probe.registered_commands}
    return names | {g.name for g in probe.registered_groups}


def database_commands_needed(argv: list[str]) -> bool:
    """False only in a process started as `xinyu <file command> ...` (or `python -m cli.main <file command>`)."""
    started_as_cli = Path(argv[0]).stem in ("xinyu", "main") if argv else False
    return not (started_as_cli and len(argv) > 1 and argv[1] in file_command_names())


app = _new_app()
for _module in FILE_MODULES:
    _module.register(app)
if not database_commands_needed(sys.argv):
    _one_malloc_arena()
else:
    from cli import scale_cmds, security_cmds, store_cmds

    store_cmds.register(app)
    security_cmds.register(app)
    scale_cmds.register(app)

if __name__ == "__main__":
    app()
