"""What a school's report says, as plain data built once from the scores; the Word and Excel writers only lay it out."""

from __future__ import annotations

import math
from dataclasses import dataclass

from criteria.models import QuantitativeItem
from i18n.catalog import t
from reports.context import ReportContext
from reports.findings import problems, recommendations, strengths
from reports.text import fmt_points
from scoring.compiled import NOT_APPLICABLE, RATED_NA, UNRATED
from scoring.decision import Decision, decide
from scoring.engine import DistrictResult
from scoring.facts import STAGE_LABELS
from scoring.inputs import parse_stages
from scoring.levels import ROLE_CODES
from settings import get_settings


@dataclass(frozen=True)
class ViewSummary:
    """One view (self or inspection) of the school: total, tier and every failed condition."""

    name: str
    present: bool
    score: float
    earned: float
    possible: float
    tier_index: int
    tier: str
    failed: tuple[str, ...]  # the conditions of the next tier not met: 达标校's when failed, else 示范校's
    unrated: int
    decision: Decision


@dataclass(frozen=True)
class DomainRow:
    """One domain in both views."""

    domain_id: str
    title: str
    self_earned: float
    self_possible: float
    self_pct: float
    insp_earned: float
    insp_possible: float
    insp_pct: float

    @property
    def label(self) -> str:
        """Id and title, e.g. `A1 组织管理`."""
        return f"{self.domain_id} {self.title}"


@dataclass(frozen=True)
class ItemRow:
    """One applicable item in both views, with what people wrote about it."""

    domain_id: str
    item_id: str
    title: str
    clause: str
    method: str
    points: float
    self_level: str
    insp_level: str
    self_earned: float
    insp_earned: float
    insp_possible: float
    gap: float
    evidence: str
    evidence_files: int
    account: str
    finding: str
    votes: str


@dataclass(frozen=True)
class SchoolReport:
    """Everything a school's report shows, in one language."""

    lang: str
    school_code: str
    school_name: str
    stages: str
    cycle: str
    district: str
    framework: str
    framework_version: str
    team: str
    lead: str
    visit_dates: str
    issued: str
    final: bool
    self_view: ViewSummary
    inspection: ViewSummary
    overrating: float
    domains: tuple[DomainRow, ...]
    items: tuple[ItemRow, ...]
    strengths: tuple[str, ...]
    problems: tuple[str, ...]
    recommendations: tuple[str, ...]


def build_report(ctx: ReportContext, lang: str = "zh", view: str = "inspection") -> SchoolReport:
    """The report's content for one school; `view` chooses whose ratings the findings are drawn from."""
    result, n, fw = ctx.result, ctx.row, ctx.framework
    team = ", ".join(m.name + (t("report.lead_mark", lang) if m.lead else "") for m in ctx.team)
    return SchoolReport(
        lang=lang,
        school_code=ctx.school_code,
        school_name=ctx.school_name,
        stages=stage_words(str(result.facts["stages"].iloc[n]), lang),
        cycle=ctx.cycle or "—",
        district=ctx.district or district_name(lang),
        framework=fw.name.get(lang),
        framework_version=f"{fw.id} {fw.version}",
        team=team or "—",
        lead=ctx.lead.name if ctx.lead else "",
        visit_dates=dates_text(ctx, lang),
        issued=ctx.issued.isoformat() if ctx.issued else "",
        final=ctx.final,
        self_view=view_summary(result, ctx.school_code, "self", lang),
        inspection=view_summary(result, ctx.school_code, "inspection", lang),
        overrating=float(result.overrating[n]),
        domains=domain_rows(result, n, lang),
        items=item_rows(ctx, lang),
        strengths=tuple(strengths(result, n, view, lang)),
        problems=tuple(problems(ctx, view, lang)),
        recommendations=tuple(recommendations(result, n, view, lang)),
    )


def district_name(lang: str) -> str:
    """The district's name from the settings, in the report's language."""
    settings = get_settings()
    return settings.district_name_en if lang == "en" else settings.district_name


def stage_words(stages: str, lang: str) -> str:
    """Stages in words, e.g. `小学、初中`."""
    parsed = parse_stages(stages) or ()
    sep = ", " if lang == "en" else "、"
    return sep.join(STAGE_LABELS[s][1 if lang == "en" else 0] for s in parsed) or stages


def dates_text(ctx: ReportContext, lang: str) -> str:
    """The visit dates, first to last."""
    if not ctx.visit_dates:
        return "—"
    days = sorted(ctx.visit_dates)
    if days[0] == days[-1]:
        return days[0].isoformat()
    return t("report.date_range", lang, start=days[0].isoformat(), end=days[-1].isoformat())


def view_summary(result: DistrictResult, code: str, name: str, lang: str) -> ViewSummary:
    """Total, tier and failed conditions of one view of one school."""
    n = result.row(code)
    view = result.view(name)
    present = bool(view.present[n])
    tier_index = int(view.tier_index[n]) if present else -1
    return ViewSummary(
        name=name,
        present=present,
        score=float(view.score_100[n]) if present else math.nan,
        earned=float(view.earned[n]),
        possible=float(view.possible[n]),
        tier_index=tier_index,
        tier=result.tier_name(tier_index, lang) if present else t("result.no_ratings", lang),
        failed=tuple(result.reasons(code, name, lang, first_only=True)) if present else (),
        unrated=int(view.unrated[n].sum()) if present else 0,
        decision=decide(result, code, name, lang),
    )


def domain_rows(result: DistrictResult, n: int, lang: str) -> tuple[DomainRow, ...]:
    """Every domain of the framework in both views."""
    s, i = result.self_view, result.inspection
    fw = result.compiled.framework
    return tuple(
        DomainRow(
            domain_id=d.id,
            title=d.title.get(lang),
            self_earned=float(s.domain_earned[n, k]),
            self_possible=float(s.domain_possible[n, k]),
            self_pct=float(s.domain_pct[n, k]) if s.present[n] else math.nan,
            insp_earned=float(i.domain_earned[n, k]),
            insp_possible=float(i.domain_possible[n, k]),
            insp_pct=float(i.domain_pct[n, k]) if i.present[n] else math.nan,
        )
        for k, d in enumerate(fw.domains)
    )


def level_word(result: DistrictResult, pos: int, code: int, lang: str) -> str:
    """A level in words: `B 基本达到`, or unrated / not applicable."""
    if code >= 0:
        item = result.compiled.framework.items()[pos]
        level = item.levels[code]
        return f"{level.id} {level.label.get(lang)}"
    key = {UNRATED: "judgement.unrated", RATED_NA: "level.na", NOT_APPLICABLE: "explain.not_applicable"}[code]
    return t(key, lang)


def evidence_word(verified: bool | None, lang: str) -> str:
    """Accepted, insufficient or not checked."""
    key = {True: "report.evidence.accepted", False: "report.evidence.insufficient", None: "report.evidence.unchecked"}
    return t(key[verified], lang)


def item_rows(ctx: ReportContext, lang: str) -> tuple[ItemRow, ...]:
    """The items that apply to the school, in framework order."""
    result, n = ctx.result, ctx.row
    items = ctx.framework.items()
    domain_of = ctx.framework.domain_of()
    rows = []
    for pos, item in enumerate(items):
        s_code = int(result.self_view.levels[n, pos])
        i_code = int(result.inspection.levels[n, pos])
        if s_code == NOT_APPLICABLE:
            continue
        note = ctx.note(item.id)
        files = ctx.evidence_for(item.id)
        rows.append(
            ItemRow(
                domain_id=domain_of[item.id],
                item_id=item.id,
                title=item.title.get(lang),
                clause=item.clause,
                method=item.method,
                points=float(item.points),
                self_level=level_word(result, pos, s_code, lang),
                insp_level=level_word(result, pos, i_code, lang)
                + (t("judgement.override.tag", lang) if result.override(ctx.school_code, item.id) else ""),
                self_earned=float(result.self_view.earned_items[n, pos]),
                insp_earned=float(result.inspection.earned_items[n, pos]),
                insp_possible=float(result.inspection.possible_items[n, pos]),
                gap=float(result.gap_items[n, pos]),
                evidence=evidence_word(ctx.verdict(item.id), lang),
                evidence_files=len(files),
                account=note.account,
                finding=_with_override(result, ctx.school_code, item.id, note.finding, lang),
                votes=_votes(result, n, pos, isinstance(item, QuantitativeItem), lang),
            )
        )
    return tuple(rows)


def _with_override(result: DistrictResult, code: str, item_id: str, finding: str, lang: str) -> str:
    """The inspectors' finding, led by the on-site override and its reason where the team set one."""
    override = result.override(code, item_id)
    if override is None:
        return finding
    computed = override.computed or t("judgement.override.none_computed", lang)
    mark = t("judgement.override.mark", lang, computed=computed, reason=override.reason)
    return f"{mark}{'；' if lang == 'zh' else '; '}{finding}" if finding else mark


def _votes(result: DistrictResult, n: int, pos: int, computed: bool, lang: str) -> str:
    """The inspectors' levels of one item, e.g. `insp01 B; insp02 C`; the metric for a computed item.

    A computed item the inspection team overrode on site says so, with the facts' level and the reason.
    """
    if computed:
        q = result.compiled.quantitative.index(pos)
        text = t("report.computed", lang, value=fmt_points(float(result.metric_values[n, q])))
        override = result.override(str(result.schools[n]), result.compiled.item_ids[pos])
        if override is not None:
            computed_level = override.computed or t("judgement.override.none_computed", lang)
            text += "；" if lang == "zh" else "; "
            text += t("judgement.override.mark", lang, computed=computed_level, reason=override.reason)
        return text
    enc = result.ratings
    rows = (enc.school == n) & (enc.item == pos) & (enc.role != ROLE_CODES["self"])
    parts = []
    for r in rows.nonzero()[0]:
        code = int(enc.level[r])
        level = result.compiled.level_ids[pos][code] if code >= 0 else t("level.na", lang)
        mark = t("report.consensus_mark", lang) if enc.role[r] == ROLE_CODES["consensus"] else ""
        parts.append(f"{enc.raters[enc.rater[r]]}{mark} {level}")
    return "; ".join(parts)
