"""One school's scores as the pages show them: the scoring engine over the frames the store gives the user.

The frames hold only what the signed-in user may see (a school sees its own ratings, an inspector
their own and the school's), so a forecast is computed per user and never cached across users.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from criteria.models import QuantitativeItem
from i18n import t
from scoring import DistrictResult, ImprovementPath, improvement_path, score_district
from scoring.compiled import NOT_APPLICABLE, RATED_NA, UNRATED
from scoring.decision import Decision, decide
from scoring.metrics import METRICS
from store.records import User
from store.services import Services
from ui.scope import Scope
from ui.services import FrameworkBundle


@dataclass(frozen=True)
class DomainScore:
    """A domain's points and percentage in one view."""

    domain_id: str
    title: str
    earned: float
    possible: float
    pct: float | None


@dataclass(frozen=True)
class Computed:
    """An item computed from the facts: the metric's value and the level it gives."""

    item_id: str
    title: str
    metric: str
    value: float | None
    level: str
    earned: float
    points: float


@dataclass(frozen=True)
class Forecast:
    """One school in one view ('self' or 'inspection') of a scored result."""

    result: DistrictResult
    code: str
    view: str

    @property
    def row(self) -> int:
        """The school's row in the result."""
        return self.result.row(self.code)

    @property
    def present(self) -> bool:
        """Whether the view has any rating."""
        return bool(self.result.view(self.view).present[self.row])

    @property
    def score(self) -> float | None:
        """Score out of 100 (full precision), None when nothing applies."""
        value = float(self.result.view(self.view).score_100[self.row])
        return None if np.isnan(value) else value

    def tier(self, lang: str) -> str:
        """The tier reached, in words."""
        return self.result.tier_name(int(self.result.view(self.view).tier_index[self.row]), lang)

    def reasons(self, lang: str) -> list[str]:
        """The next tier's failed conditions, in words (达标校's when not reached, else 示范校's)."""
        return self.result.reasons(self.code, self.view, lang, first_only=True)

    def decision(self, lang: str) -> Decision:
        """The decision and its reason in one sentence, the distance to the next tier, the deductions."""
        return decide(self.result, self.code, self.view, lang)

    def unrated(self) -> int:
        """Applicable items without a level in this view."""
        return int(self.result.view(self.view).unrated[self.row].sum())

    def path(self) -> ImprovementPath | None:
        """The fewest one-level raises to the next tier (None at the top or out of reach)."""
        return improvement_path(self.result.view(self.view), self.row)

    def domains(self, lang: str) -> list[DomainScore]:
        """Every domain's points and percentage."""
        v, n = self.result.view(self.view), self.row
        fw = self.result.compiled.framework
        return [
            DomainScore(
                d.id,
                d.title.get(lang),
                float(v.domain_earned[n, k]),
                float(v.domain_possible[n, k]),
                _num(v.domain_pct[n, k]),
            )
            for k, d in enumerate(fw.domains)
        ]

    def level_of(self, item_id: str, lang: str) -> str:
        """The item's level in this view, in words (unrated, N/A, not for the school's stages)."""
        compiled = self.result.compiled
        pos = compiled.item_position[item_id]
        return level_word(compiled.level_ids[pos], int(self.result.view(self.view).levels[self.row, pos]), lang)

    def computed(self, lang: str) -> list[Computed]:
        """The items computed from the facts, with the metric value and level each gives now."""
        compiled = self.result.compiled
        items = compiled.framework.items()
        v, n = self.result.view(self.view), self.row
        out = []
        for q, pos in enumerate(compiled.quantitative):
            item = items[pos]
            assert isinstance(item, QuantitativeItem)
            metric = METRICS[item.rule.metric]
            out.append(
                Computed(
                    item.id,
                    item.title.get(lang),
                    metric.zh if lang == "zh" else metric.en,
                    _num(self.result.metric_values[n, q]),
                    level_word(compiled.level_ids[pos], int(v.levels[n, pos]), lang),
                    float(v.earned_items[n, pos]),
                    float(compiled.points[pos]),
                )
            )
        return out


def level_word(level_ids: tuple[str, ...], code: int, lang: str) -> str:
    """A level code in words."""
    if code >= 0:
        return level_ids[code]
    key = {UNRATED: "level.unrated", RATED_NA: "level.na", NOT_APPLICABLE: "explain.not_applicable"}[code]
    return t(key, lang)


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def school_forecast(
    services: Services, user: User, bundle: FrameworkBundle, cycle_id: int, school_id: int, code: str, view: str
) -> Forecast:
    """Score one school from the facts and ratings the user may see."""
    facts = services.frames.facts_frame(user, cycle_id, school_id)
    ratings = services.frames.ratings_frame(user, cycle_id, school_id)
    overrides = services.overrides.frame(user, cycle_id, school_id)
    return Forecast(score_district(bundle.compiled, facts, ratings, overrides=overrides), code, view)


def of_scope(scope: Scope, view: str = "self") -> Forecast:
    """The forecast of the school a page works on."""
    ctx, school = scope.ctx, scope.school
    return school_forecast(ctx.services, ctx.user, scope.bundle, scope.cycle.id, school.id, school.code, view)
