"""Every bureau page: opens in Chinese and English without an error, titled as in the menu, every table
downloadable, and refused to other roles (the service layer refuses their data too)."""

from __future__ import annotations

import pytest
from appkit import goto, messages, signed_in

from i18n.catalog import MESSAGES
from store.errors import PermissionDenied
from store.records import SYSTEM, CycleStatus, Role
from ui import nav

BUREAU_PAGES = [p for p in nav.PAGES if p.roles == nav.BUREAU]


def test_every_bureau_page_opens_in_both_languages_with_every_table_downloadable(data_dir, sv):
    past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)
    at = signed_in("bureau")
    at.selectbox(key="app.cycle_widget").set_value(past.id).run()
    for lang in ("zh", "en"):
        at.radio(key="app.lang_widget").set_value(lang).run()
        for spec in BUREAU_PAGES:
            at = goto(at, spec.file)
            assert not at.exception, (spec.key, lang, at.exception)
            assert not messages(at, "error"), (spec.key, lang, messages(at, "error"))
            assert at.title[0].value == MESSAGES[spec.title][lang]
            tables = len(at.dataframe)
            assert len(at.download_button) >= tables, (spec.key, tables, len(at.download_button))


@pytest.mark.parametrize("user", ["cn001", "insp01"])
def test_other_roles_get_no_bureau_page_and_no_district_data(data_dir, sv, user):
    at = signed_in(user)
    for spec in BUREAU_PAGES:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(str(spec.path))
    who = sv.accounts.by_username(SYSTEM, user)
    assert who.role in (Role.SCHOOL, Role.INSPECTOR)
    with pytest.raises(PermissionDenied):
        sv.audit.entries(who, limit=1)  # the data version the bureau's caches are keyed by
