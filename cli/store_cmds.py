"""Database commands: db upgrade, demo, user add|passwd|disable|enable|list, schools/ratings import, export.

Every command migrates the database first and acts through the service layer. The acting user is
the built-in local operator `system` (may do what the bureau and an admin may; it cannot sign in to
the app), or an existing account named with `--as USER` (or XINYU_AS), whose role then applies.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from cli.common import EXIT_INVALID, LangOption, default_lang, reports_input_errors
from i18n.catalog import t
from i18n.problems import InputError, Problem
from settings import get_settings
from store.bootstrap import load_demo, open_services
from store.demo import demo_account_lines, demo_password
from store.errors import StoreError
from store.migrate import current_revision
from store.passwords import generate_password
from store.records import ACCOUNT_ROLES, SYSTEM, Cycle, DemoLoad, Role, User
from store.services import Services

P = ParamSpec("P")
R = TypeVar("R")

AsOption = Annotated[
    str,
    typer.Option("--as", envvar="XINYU_AS", help="Act as this account (default: the local operator 'system')"),
]
CycleOption = Annotated[str, typer.Option("--cycle", help="Cycle id or name")]
PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from standard input (else one is generated)"),
]


def register(app: typer.Typer) -> None:
    """Add the database commands to the main app."""
    db = typer.Typer(help="Database schema", no_args_is_help=True, rich_markup_mode=None)
    db.command("upgrade")(db_upgrade)
    app.add_typer(db, name="db")
    app.command("demo")(demo)
    users = typer.Typer(help="Accounts", no_args_is_help=True, rich_markup_mode=None)
    for name, command in (
        ("add", user_add),
        ("passwd", user_passwd),
        ("disable", user_disable),
        ("enable", user_enable),
        ("list", user_list),
        ("import", user_import),
        ("for-schools", user_for_schools),
        ("reset", user_reset),
    ):
        users.command(name)(command)
    app.add_typer(users, name="user")
    schools = typer.Typer(help="School register", no_args_is_help=True, rich_markup_mode=None)
    schools.command("import")(schools_import)
    app.add_typer(schools, name="schools")
    ratings = typer.Typer(help="Ratings", no_args_is_help=True, rich_markup_mode=None)
    ratings.command("import")(ratings_import)
    app.add_typer(ratings, name="ratings")
    app.command("export")(export)


def reports_store_errors(func: Callable[P, R]) -> Callable[P, R]:
    """A refused call (permission, conflict, state, busy) on stderr in the user's language, exit code 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except StoreError as error:
            print(error.render(str(kwargs.get("lang") or default_lang())), file=sys.stderr)
            raise typer.Exit(EXIT_INVALID) from None

    return wrapper


@contextmanager
def _services() -> Iterator[Services]:
    """Services over the migrated database, closed when the command ends."""
    services = open_services(get_settings())
    try:
        yield services
    finally:
        services.close()


def _actor(services: Services, name: str) -> User:
    """The local operator, or the named active account."""
    return services.accounts.by_username(SYSTEM, name) if name else SYSTEM


def _cycle(services: Services, actor: User, ref: str) -> Cycle:
    ref = ref.strip()
    return services.cycles.get(actor, int(ref)) if ref.isdigit() else services.cycles.by_name(actor, ref)


def _password(from_stdin: bool) -> tuple[str, bool]:
    """The password to set, and whether it was generated (and must be shown)."""
    if not from_stdin:
        return generate_password(), True
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InputError([Problem("store.cli.no_password", path="password")])
    return password, False


@reports_input_errors
@reports_store_errors
def db_upgrade(lang: LangOption = "") -> None:
    """Create or migrate the database to the newest schema."""
    with _services() as services:
        url = services.engine.url.render_as_string(hide_password=True)
        typer.echo(t("store.cli.revision", lang or default_lang(), revision=current_revision(services.engine), url=url))


@reports_input_errors
@reports_store_errors
def demo(lang: LangOption = "") -> None:
    """Load the demo district and demo accounts into an empty database; show the passwords once."""
    lang = lang or default_lang()
    with _services() as services:
        loaded = load_demo(services)
    if loaded is None:
        typer.echo(t("store.cli.demo_skipped", lang))
        return
    past = loaded.past_cycle_id if loaded.past_cycle_id is not None else "-"
    typer.echo(t("store.cli.demo_loaded", lang, schools=loaded.schools, cycle=loaded.cycle_id, past=past))
    _show_demo_accounts(loaded, lang)


def _show_demo_accounts(loaded: DemoLoad, lang: str) -> None:
    lines = demo_account_lines(loaded, lang)
    if demo_password():
        typer.echo(lines[0])
        return
    typer.echo("\n".join(lines[:2]), err=True)
    for line in lines[2:]:
        typer.echo(line)


@reports_input_errors
@reports_store_errors
def user_add(
    username: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[str, typer.Option("--role", help="school, inspector, bureau or admin")],
    school: Annotated[str, typer.Option("--school", help="School code (school accounts)")] = "",
    name: Annotated[str, typer.Option("--name", help="Name shown in the app")] = "",
    password_stdin: PasswordStdin = False,
    as_user: AsOption = "",
    lang: LangOption = "",
) -> None:
    """Add an account; without --password-stdin a random password is generated and shown once."""
    lang = lang or default_lang()
    if role not in {r.value for r in ACCOUNT_ROLES}:
        expected = ", ".join(r.value for r in ACCOUNT_ROLES)
        raise InputError([Problem("input.bad_role", {"expected": expected, "found": role}, path="--role")])
    with _services() as services:
        actor = _actor(services, as_user)
        school_id = services.schools.by_code(actor, school).id if school else None
        password, generated = _password(password_stdin)
        user = services.accounts.add_user(actor, username, Role(role), password, name, school_id)
        typer.echo(t("store.cli.user_added", lang, username=user.username, role=user.role.value))
        if generated:
            typer.echo(t("store.cli.new_password", lang, username=user.username, password=password))


@reports_input_errors
@reports_store_errors
def user_passwd(
    username: Annotated[str, typer.Argument(help="User name")],
    password_stdin: PasswordStdin = False,
    as_user: AsOption = "",
    lang: LangOption = "",
) -> None:
    """Set an account's password (it must be changed at next sign-in), lift a lockout and end its sessions."""
    lang = lang or default_lang()
    with _services() as services:
        actor = _actor(services, as_user)
        user = services.accounts.by_username(actor, username)
        password, generated = _password(password_stdin)
        services.accounts.set_password(actor, user.id, password)
        typer.echo(t("store.cli.password_set", lang, username=user.username))
        if generated:
            typer.echo(t("store.cli.new_password", lang, username=user.username, password=password))


@reports_input_errors
@reports_store_errors
def user_disable(
    username: Annotated[str, typer.Argument(help="User name")], as_user: AsOption = "", lang: LangOption = ""
) -> None:
    """Disable an account: it can no longer sign in, and its open sessions are refused at once."""
    _set_active(username, False, as_user, lang or default_lang())


@reports_input_errors
@reports_store_errors
def user_enable(
    username: Annotated[str, typer.Argument(help="User name")], as_user: AsOption = "", lang: LangOption = ""
) -> None:
    """Enable a disabled account again."""
    _set_active(username, True, as_user, lang or default_lang())


def _set_active(username: str, active: bool, as_user: str, lang: str) -> None:
    with _services() as services:
        actor = _actor(services, as_user)
        user = services.accounts.set_active(actor, services.accounts.by_username(actor, username).id, active)
        typer.echo(t("store.cli.user_enabled" if active else "store.cli.user_disabled", lang, username=user.username))


@reports_input_errors
@reports_store_errors
def user_list(
    role: Annotated[str, typer.Option("--role", help="Only this role")] = "",
    as_user: AsOption = "",
    lang: LangOption = "",
) -> None:
    """List the accounts (tab-separated)."""
    lang = lang or default_lang()
    with _services() as services:
        actor = _actor(services, as_user)
        schools = {s.id: s.code for s in services.schools.list_schools(actor)} if actor.role != Role.ADMIN else {}
        typer.echo(t("store.cli.users_header", lang))
        for user in services.accounts.list_users(actor, Role(role) if role else None):
            status = t("store.cli.active" if user.active else "store.cli.inactive", lang)
            school = schools.get(user.school_id, str(user.school_id)) if user.school_id else ""
            typer.echo(f"{user.username}\t{user.role.value}\t{user.display_name}\t{school}\t{status}")


@reports_input_errors
@reports_store_errors
def schools_import(
    file: Annotated[Path, typer.Argument(help="Register CSV (school_code, school_name, stages, ...) or facts CSV")],
    cycle: Annotated[str, typer.Option("--cycle", help="Also open the schools in this cycle (id or name)")] = "",
    as_user: AsOption = "",
    lang: LangOption = "",
) -> None:
    """Import schools; a bad row imports nothing and every bad row is listed with line and column."""
    lang = lang or default_lang()
    with _services() as services:
        actor = _actor(services, as_user)
        cycle_id = _cycle(services, actor, cycle).id if cycle else None
        result = services.imports.schools(actor, file, cycle_id=cycle_id)
        typer.echo(t("store.cli.imported", lang, rows=result.rows, created=result.created, updated=result.updated))


@reports_input_errors
@reports_store_errors
def ratings_import(
    file: Annotated[Path, typer.Argument(help="Ratings CSV in the format the scoring CLI reads")],
    cycle: CycleOption,
    as_user: AsOption = "",
    lang: LangOption = "",
) -> None:
    """Import ratings into a cycle, all or nothing."""
    lang = lang or default_lang()
    with _services() as services:
        actor = _actor(services, as_user)
        result = services.imports.ratings(actor, _cycle(services, actor, cycle).id, file)
        typer.echo(t("store.cli.imported", lang, rows=result.rows, created=result.created, updated=result.updated))


@reports_input_errors
@reports_store_errors
def export(
    cycle: CycleOption,
    out: Annotated[Path, typer.Option("--out", help="Folder for facts.csv and ratings.csv")],
    force: Annotated[bool, typer.Option("--force", help="Replace files that exist")] = False,
    as_user: AsOption = "",
    lang: LangOption = "",
) -> None:
    """Write a cycle's facts.csv and ratings.csv in the formats the scoring CLI reads."""
    lang = lang or default_lang()
    with _services() as services:
        actor = _actor(services, as_user)
        facts, ratings = services.exports.cycle_csv(actor, _cycle(services, actor, cycle).id, out, overwrite=force)
        typer.echo(t("store.cli.exported", lang, facts=facts, ratings=ratings))


SlipsOption = Annotated[Path, typer.Option("--slips", help="Credential slips to write: .docx (Word) or .xlsx (Excel)")]


def _check_slips_path(slips: Path) -> str:
    kind = slips.suffix.lower().lstrip(".")
    if kind not in ("docx", "xlsx"):
        raise InputError([Problem("accounts.cli.slips_kind", {"found": slips.name}, path="--slips")])
    if slips.exists():
        raise InputError([Problem("accounts.cli.slips_exist", {"found": str(slips)}, path="--slips")])
    return kind


def _write_slips(slips: Path, kind: str, credentials: list, lang: str) -> None:  # type: ignore[type-arg]
    from cli.common import atomic_output
    from reports.credential_slips import slips as make_slips

    data = make_slips(credentials, get_settings().app_url, kind, lang)
    with atomic_output(slips) as tmp:
        tmp.write_bytes(data)


@reports_input_errors
@reports_store_errors
def user_import(
    file: Annotated[
        Path, typer.Argument(help="Accounts CSV or .xlsx (username, display_name, role, school_code, ...)")
    ],
    slips: SlipsOption,
    as_user: AsOption = "",
    lang: LangOption = "",
) -> None:
    """Create every account of an accounts file (all or nothing) and write their credential slips."""
    lang = lang or default_lang()
    kind = _check_slips_path(slips)
    with _services() as services:
        actor = _actor(services, as_user)
        credentials = services.bulk_accounts.import_accounts(actor, file, file=file.name)
        _write_slips(slips, kind, credentials, lang)
    typer.echo(t("accounts.cli.created", lang, count=len(credentials), out=slips))


@reports_input_errors
@reports_store_errors
def user_for_schools(slips: SlipsOption, as_user: AsOption = "", lang: LangOption = "") -> None:
    """Create an account for every school of the register that has none, and write their credential slips."""
    lang = lang or default_lang()
    kind = _check_slips_path(slips)
    with _services() as services:
        actor = _actor(services, as_user)
        credentials = services.bulk_accounts.for_schools_without_account(actor)
        if credentials:
            _write_slips(slips, kind, credentials, lang)
    typer.echo(t("accounts.cli.created", lang, count=len(credentials), out=slips if credentials else "-"))


@reports_input_errors
@reports_store_errors
def user_reset(
    username: Annotated[str, typer.Argument(help="User name")],
    slips: SlipsOption,
    as_user: AsOption = "",
    lang: LangOption = "",
) -> None:
    """Give an account a new random password (ending its sessions) and write its credential slip."""
    lang = lang or default_lang()
    kind = _check_slips_path(slips)
    with _services() as services:
        actor = _actor(services, as_user)
        credential = services.bulk_accounts.reset_password(actor, services.accounts.by_username(actor, username).id)
        _write_slips(slips, kind, [credential], lang)
    typer.echo(t("accounts.cli.reset", lang, username=credential.username, out=slips))
