"""The offline template: download it pre-filled with what is saved, and upload it filled, all or nothing.

A school's template holds its self ratings, accounts and facts; an inspector's their own ratings and
findings (with the school's levels shown beside them). An upload is checked in full against the
expected identity (this school, this cycle, the cycle's framework version and hash, the role and
rater) and saved in one service call, so that a template is taken whole or not at all.
"""

from __future__ import annotations

import functools
import json

import streamlit as st

from criteria.models import Stage
from i18n.problems import InputError, reading
from reports.template_export import write_template
from reports.template_import import TemplateImport, read_template
from reports.template_layout import Filled, Role, TemplateIdentity
from reports.text import safe_filename
from store.errors import ConflictError, StoreError
from store.records import RaterRole, Rating, RatingEdit
from ui import state
from ui.scope import Scope
from ui.text import error_lines, tr
from ui.widgets import guarded

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD = "template.upload"


def identity(scope: Scope, role: Role) -> TemplateIdentity:
    """The template's identity: this school and cycle, the cycle's framework, the role (and the inspector)."""
    rater = scope.ctx.user.username if role == "inspector" else ""
    return TemplateIdentity.of(scope.bundle.framework, scope.school.code, scope.cycle.name, role, rater)


def _filled(ratings: list[Rating], role: RaterRole, rater: str | None) -> dict[str, Filled]:
    text = "account" if role == RaterRole.SELF else "finding"
    return {
        r.item_id: Filled(r.level, getattr(r, text))
        for r in ratings
        if r.role == role and (rater is None or r.rater == rater)
    }


def template_bytes(scope: Scope, role: Role) -> bytes:
    """The template of the scope's school for `role`, pre-filled with what is saved now."""
    ctx = scope.ctx
    assessment = ctx.services.assessments.get(ctx.user, scope.aid)
    ratings = ctx.services.ratings.list_ratings(ctx.user, scope.aid)
    stages = tuple(s for s in Stage if s in scope.stages)
    versions = {"assessment_version": str(assessment.version)}
    if role == "self":
        own, beside = _filled(ratings, RaterRole.SELF, None), {}
        facts = dict(assessment.facts)
    else:
        own = _filled(ratings, RaterRole.INSPECTOR, ctx.user.username)
        beside, facts = _filled(ratings, RaterRole.SELF, None), None
        mine = {r.item_id: r.version for r in ratings if r.role == RaterRole.INSPECTOR and r.rater == ctx.user.username}
        versions["rating_versions"] = json.dumps(mine, sort_keys=True)
    return write_template(
        scope.bundle.framework,
        identity(scope, role),
        scope.school.name,
        stages,
        ctx.lang,
        facts=facts,
        prefill=own,
        school_view=beside,
        versions=versions,
    )


def read_upload(scope: Scope, role: Role, data: bytes, filename: str) -> TemplateImport:
    """The filled template checked against the expected identity, or InputError with every problem."""
    return read_template(data, identity(scope, role), scope.bundle.framework, scope.ctx.lang, file=filename)


def import_self(scope: Scope, data: bytes, filename: str) -> int:
    """Save a school's filled template: facts and every self rating in one call (all or nothing); the ratings saved."""
    ctx = scope.ctx
    imported = read_upload(scope, "self", data, filename)
    edits = [
        RatingEdit(str(r.item_id), str(r.level), account=_text(r.account))
        for r in imported.ratings.itertuples(index=False)
    ]
    exported = _int(imported.versions.get("assessment_version"))
    expected = exported if exported is not None else ctx.services.assessments.get(ctx.user, scope.aid).version
    try:
        ctx.services.assessments.save_self_assessment(ctx.user, scope.aid, expected, imported.facts, edits)
    except ConflictError as error:  # changed online after the export: the template is stale, not the winner
        raise StaleTemplate(error.what, error.who, error.when) from None
    return len(edits)


def import_inspector(scope: Scope, data: bytes, filename: str) -> int:
    """Save an inspector's filled template: their own ratings and findings in one call (all or nothing)."""
    ctx = scope.ctx
    imported = read_upload(scope, "inspector", data, filename)
    mine = {
        r.item_id: r
        for r in ctx.services.ratings.list_ratings(ctx.user, scope.aid)
        if r.role == RaterRole.INSPECTOR and r.rater == ctx.user.username
    }
    exported = _exported_versions(imported.versions.get("rating_versions"))
    edits = []
    for row in imported.ratings.itertuples(index=False):
        stored = mine.get(str(row.item_id))
        # the version each rating had at the export (None: not rated then); an older template: the stored one
        expected = exported.get(str(row.item_id)) if exported is not None else (stored.version if stored else None)
        edits.append(
            RatingEdit(
                str(row.item_id),
                str(row.level),
                evidence_verified=stored.evidence_verified if stored else None,  # the template does not carry it
                finding=_text(row.finding),
                expected_version=expected,
            )
        )
    try:
        ctx.services.ratings.save(ctx.user, scope.aid, RaterRole.INSPECTOR, edits)
    except ConflictError as error:
        raise StaleTemplate(error.what, error.who, error.when) from None
    return len(edits)


class StaleTemplate(ConflictError):
    """The template was exported before an online edit of what it would overwrite."""

    key = "security.template_stale"


def _int(text: str | None) -> int | None:
    try:
        return int(str(text))
    except ValueError:
        return None


def _exported_versions(text: str | None) -> dict[str, int] | None:
    """The rating versions a template carried (item to version), or None for a template without them."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return {str(k): v for k, v in data.items() if isinstance(v, int)}


def _text(value: object) -> str:
    text = "" if value is None else str(value)
    return "" if text == "nan" else text


def forget_widgets(role: RaterRole, aid: int) -> None:
    """Drop this session's widget values and drafts of the role's items, so the pages show what was saved."""
    session, drafts = state.session(), state.bucket(state.DRAFTS)
    for store in (session, drafts):
        for key in [k for k in list(store.keys()) if _of(str(k), role, aid)]:
            store.pop(key, None)


def _of(key: str, role: RaterRole, aid: int) -> bool:
    parts = key.split(".")
    return len(parts) >= 4 and parts[0] == role.value and parts[2] == str(aid)


def upload_key(scope: Scope, role: Role) -> str:
    """The uploader's key (a fresh one after each successful import)."""
    base = f"{UPLOAD}.{role}.{scope.aid}"
    return f"{base}.{state.nonce(base)}"


def take_upload(scope: Scope, role: Role, key: str) -> None:
    """Button callback: check and save the uploaded template; every problem listed, nothing written on any."""
    upload = state.session().get(key)
    if upload is None:
        state.flash("warning", tr("app.template.no_file"))
        return
    importer = import_self if role == "self" else import_inspector
    try:
        with reading(upload.name, passthrough=(StoreError,)):
            n = importer(scope, upload.getvalue(), upload.name)
    except InputError as error:
        state.flash("error", tr("app.template.refused", n=len(error.problems), file=upload.name))
        for line in error_lines(error):
            state.flash("error", line)
        return
    forget_widgets(RaterRole.SELF if role == "self" else RaterRole.INSPECTOR, scope.aid)
    state.bump(f"{UPLOAD}.{role}.{scope.aid}")
    state.flash("success", tr("app.template.saved", file=upload.name, n=n))


def template_section(scope: Scope, role: Role, editable: bool) -> None:
    """Download the pre-filled template; upload it back filled while the assessment takes changes."""
    st.subheader(tr("app.template.title"))
    st.caption(tr(f"app.template.help.{role}"))
    name = safe_filename(f"{scope.school.code}_{tr('app.template.file')}_{scope.cycle.school_year}") + ".xlsx"
    st.download_button(
        tr("app.template.download"),
        data=functools.partial(template_bytes, scope, role),
        file_name=name,
        mime=XLSX,
        key=f"template.download.{role}.{scope.aid}",
        on_click="ignore",
        icon=":material/download:",
    )
    if not editable:
        st.caption(tr("app.template.locked"))
        return
    key = upload_key(scope, role)
    st.file_uploader(
        tr("app.template.upload"), type=["xlsx"], key=key, max_upload_size=int(scope.ctx.settings.upload_max_mb)
    )
    st.button(
        tr("app.template.import"),
        key=f"template.import.{role}.{scope.aid}",
        on_click=guarded(take_upload),
        args=(scope, role, key),
        icon=":material/upload_file:",
    )
