"""The school a page works on, with its assessment, framework and what the user may do with it now.

Everything is read through the service layer with the signed-in user, so the store's permission
checks decide: a school gets its own assessment; an inspector one of their assigned schools, picked
in the page or through the URL (`?school=CN001`), and a refusal in words for any other.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from criteria import Stage
from store.records import Assessment, Capabilities, Cycle, School
from ui.context import AppCtx
from ui.progress import stages_of
from ui.services import FrameworkBundle, framework
from ui.text import tr

SCHOOL_PARAM = "school"


@dataclass(frozen=True)
class Scope:
    """One school's assessment in the current cycle, as the user may see it."""

    ctx: AppCtx
    cycle: Cycle
    school: School
    assessment: Assessment
    bundle: FrameworkBundle
    caps: Capabilities

    @property
    def stages(self) -> frozenset[Stage]:
        """The stages the assessment is checked with: as submitted (a snapshot), else the register's."""
        return stages_of(self.assessment.stages or self.school.stages)

    @property
    def aid(self) -> int:
        """The assessment's id."""
        return self.assessment.id


def load(ctx: AppCtx, school_id: int) -> Scope | None:
    """The school's assessment in the current cycle (None when there is no cycle); refusals raise."""
    cycle = ctx.cycle
    if cycle is None:
        return None
    sv, user = ctx.services, ctx.user
    assessment = sv.assessments.find(user, cycle.id, school_id)
    school = sv.schools.get(user, school_id)
    caps = sv.assessments.capabilities(user, assessment.id)
    return Scope(ctx, cycle, school, assessment, framework(sv, user, cycle.framework_version_id), caps)


def own_school(ctx: AppCtx) -> Scope | None:
    """A school account's own assessment."""
    if ctx.user.school_id is None:
        return None
    return load(ctx, ctx.user.school_id)


def school_from_url() -> str | None:
    """The school code asked for in the URL, if any."""
    value = st.query_params.get(SCHOOL_PARAM)
    text = str(value).strip() if value else ""
    return text or None


def chosen_school(ctx: AppCtx, code: str) -> Scope | None:
    """An inspector's school by its code (from the URL or the picker); the store refuses others."""
    school = ctx.services.schools.by_code(ctx.user, code)
    return load(ctx, school.id)


def pick_school(choices: dict[str, str], key: str, label: str) -> str | None:
    """The school to work on: the URL's `?school=`, else the last one picked, else the first.

    A code in the URL that is not among the choices is returned as it is, so that the store refuses
    it with a message; the picker then offers the schools the user may open.
    """
    asked = school_from_url()
    if not choices:
        return asked
    session = st.session_state
    kept = session.get(key)
    current = asked if asked in choices else kept if kept in choices else next(iter(choices))
    session[key] = current
    st.selectbox(
        label,
        options=list(choices),
        format_func=choices.__getitem__,
        key=key,
        on_change=_to_url,
        args=(key,),
        placeholder=tr("app.choose"),
    )
    if asked is not None and asked not in choices:
        return asked
    if asked != current:
        st.query_params[SCHOOL_PARAM] = current
    return current


def _to_url(key: str) -> None:
    st.query_params[SCHOOL_PARAM] = st.session_state[key]
