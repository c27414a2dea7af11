"""The navigation table: which pages exist, who may use each, and in what order (no Streamlit here).

`app.py` turns the rows for the signed-in user into `st.navigation`; a page a role may not use is
never listed for it. Later pages (bureau cycles, comparison, targets) slot in as new rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from store.records import Role

ROOT = Path(__file__).resolve().parent.parent
PAGES_DIR = "ui/pages"


@dataclass(frozen=True)
class PageSpec:
    """One page: its URL path, file, catalog key of its title, icon, and the roles that use it."""

    key: str
    file: str
    title: str
    icon: str
    roles: frozenset[Role]
    lead_only: bool = False

    @property
    def path(self) -> Path:
        """The page's script, relative to the app's root (what `st.Page` and AppTest take)."""
        return Path(PAGES_DIR) / self.file


SCHOOL = frozenset({Role.SCHOOL})
INSPECTOR = frozenset({Role.INSPECTOR})
BUREAU = frozenset({Role.BUREAU})
ADMIN = frozenset({Role.ADMIN})
EVERYONE = frozenset({Role.SCHOOL, Role.INSPECTOR, Role.BUREAU, Role.ADMIN})

PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "school_home.py", "app.page.school_home", ":material/home:", SCHOOL),
    PageSpec("facts", "school_facts.py", "app.page.facts", ":material/table_chart:", SCHOOL),
    PageSpec("walk", "school_walk.py", "app.page.walk", ":material/checklist:", SCHOOL),
    PageSpec("submit", "school_submit.py", "app.page.submit", ":material/send:", SCHOOL),
    PageSpec("schools", "inspector_schools.py", "app.page.my_schools", ":material/school:", INSPECTOR),
    PageSpec("rate", "inspector_rate.py", "app.page.rate", ":material/rate_review:", INSPECTOR),
    PageSpec("lead", "inspector_lead.py", "app.page.lead", ":material/gavel:", INSPECTOR, lead_only=True),
    PageSpec("calibrate", "inspector_calibration.py", "calibration.page.inspector", ":material/tune:", INSPECTOR),
    PageSpec("district", "bureau_home.py", "app.page.district", ":material/dashboard:", BUREAU),
    PageSpec("cycles", "bureau_cycles.py", "bureau.page.cycles", ":material/event_note:", BUREAU),
    PageSpec("compare", "bureau_compare.py", "bureau.page.compare", ":material/compare_arrows:", BUREAU),
    PageSpec("targets", "bureau_targets.py", "bureau.page.targets", ":material/flag:", BUREAU),
    PageSpec("consistency", "bureau_consistency.py", "bureau.page.consistency", ":material/balance:", BUREAU),
    PageSpec("calibration", "bureau_calibration.py", "calibration.page.bureau", ":material/verified:", BUREAU),
    PageSpec("review", "quality_review.py", "quality.page", ":material/fact_check:", INSPECTOR | BUREAU),
    PageSpec("followup", "bureau_followup.py", "bureau.page.followup", ":material/task_alt:", BUREAU),
    PageSpec("frameworks", "bureau_frameworks.py", "bureau.page.frameworks", ":material/account_tree:", BUREAU),
    PageSpec("exports", "bureau_exports.py", "bureau.page.exports", ":material/download:", BUREAU),
    PageSpec("accounts", "admin_accounts.py", "app.page.accounts", ":material/manage_accounts:", ADMIN),
    PageSpec("audit", "admin_audit.py", "security.audit.title", ":material/policy:", ADMIN),
    PageSpec("me", "account.py", "app.page.account", ":material/person:", EVERYONE),
)

LOGIN = PageSpec("login", "login.py", "app.page.login", ":material/login:", frozenset())
BY_KEY: dict[str, PageSpec] = {p.key: p for p in (*PAGES, LOGIN)}
PASSWORD_PAGE = BY_KEY["me"]


def pages_for(role: Role | None, *, leads: bool = False, must_change_password: bool = False) -> list[PageSpec]:
    """The pages a user may use, in menu order (first one is the home page); only the login page when signed out.

    An inspector sees the lead page only when leading a school in the cycle; an account that must change
    its password sees only the account page until it does.
    """
    if role is None:
        return [LOGIN]
    if must_change_password:
        return [PASSWORD_PAGE]
    return [p for p in PAGES if role in p.roles and (leads or not p.lead_only)]


def hidden_for(visible: list[PageSpec]) -> list[PageSpec]:
    """Every other known page: their URLs lead to a refusal (or the login page), never to the page itself."""
    shown = {p.key for p in visible}
    return [p for p in (*PAGES, LOGIN) if p.key not in shown]
