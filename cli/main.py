"""Entry point of the `xinyu` command: every command group registered on one Typer app."""

from __future__ import annotations

import typer

from cli import framework_cmds, report_cmds, scale_cmds, score_cmds, security_cmds, store_cmds

app = typer.Typer(
    name="xinyu",
    help="学校心理健康工作自评与督导工具 / School mental-health self-assessment and inspection toolkit",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
score_cmds.register(app)
framework_cmds.register(app)
report_cmds.register(app)
store_cmds.register(app)
security_cmds.register(app)
scale_cmds.register(app)

if __name__ == "__main__":
    app()
