"""Plain frozen records of calibration and quality review, as pages and the CLI see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from i18n import t
from scoring.calibration import CertificationRule, ConsistencyLimits, RoundResult


@dataclass(frozen=True, slots=True)
class CaseItem:
    """What the case shows of one item: the school's level and account (identity removed)."""

    level: str = ""
    account: str = ""


@dataclass(frozen=True, slots=True)
class CaseFile:
    """An evidence file of a case, under a neutral name; `index` names it for downloading."""

    index: int
    item_id: str
    filename: str
    size: int
    kind: str


@dataclass(frozen=True, slots=True)
class MasterLevel:
    """The panel's level for one item of a case, and why."""

    level: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class CalibrationCase:
    """A calibration case as the actor may see it: `master` is empty while hidden from them."""

    id: int
    title: str
    framework_version_id: int
    stages: tuple[str, ...]
    facts: dict[str, float]
    items: dict[str, CaseItem]
    evidence: tuple[CaseFile, ...]
    master: dict[str, MasterLevel]
    master_hidden: bool
    panel_lead_id: int | None = None
    panel_lead: str = ""
    from_school: bool = False
    version: int = 1


@dataclass(frozen=True, slots=True)
class CalibrationRound:
    """A calibration round of a cycle."""

    id: int
    cycle_id: int
    name: str
    deadline: date | None
    status: str
    case_ids: tuple[int, ...]
    inspector_ids: tuple[int, ...]
    inspectors: tuple[str, ...]
    closed_at: datetime | None = None

    @property
    def closed(self) -> bool:
        """Whether the round is closed (results and master levels shown to the inspectors)."""
        return self.status == "closed"


@dataclass(frozen=True, slots=True)
class CalibrationRating:
    """One inspector's level for one item of a case in a round."""

    round_id: int
    case_id: int
    item_id: str
    inspector: str
    level: str
    finding: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class Certification:
    """The bureau's decision on an inspector after a round; `valid_until` only when certified."""

    inspector_id: int
    inspector: str
    round_id: int
    round_name: str
    certified: bool
    exact: float
    adjacent: float
    min_domain: float | None
    valid_until: date | None
    decided_at: datetime

    def valid_on(self, day: date) -> bool:
        """Whether the certification holds on `day`."""
        return self.certified and self.valid_until is not None and day <= self.valid_until

    def in_words(self, day: date, lang: str) -> str:
        """The certification as it stands on `day`, in words (valid until, expired, or not passed)."""
        if self.valid_on(day):
            return t("calibration.cert.valid", lang, until=self.valid_until.isoformat() if self.valid_until else "")
        if self.certified and self.valid_until is not None:
            return t("calibration.cert.expired", lang, until=self.valid_until.isoformat())
        return t("calibration.cert.failed", lang)


@dataclass(frozen=True)
class RoundResults:
    """A round compared with the master levels, as the actor may see it.

    For an inspector: only their own rows (`result.pairs` of theirs), and nothing before the round closes
    (the service refuses). `master` (case, item, level, reason) and `titles` (case id → title).
    """

    round: CalibrationRound
    result: RoundResult
    master: pd.DataFrame
    titles: dict[int, str]
    framework_version_id: int
    certifications: dict[str, Certification] = field(default_factory=dict)
    missed: pd.DataFrame | None = None


@dataclass(frozen=True, slots=True)
class CycleQuality:
    """A cycle's quality settings."""

    cycle_id: int
    require_review: bool = False
    refuse_uncertified_lead: bool = False


@dataclass(frozen=True, slots=True)
class QualityReview:
    """The second reader's review of an assessment's proposed result."""

    id: int
    assessment_id: int
    status: str
    reviewer_id: int
    reviewer: str
    reviewer_name: str
    proposed_by: str
    proposed_at: datetime
    proposed_version: int
    decided_at: datetime | None
    notes: dict[str, str]
    note: str
    version: int
    school_code: str = ""
    school_name: str = ""
    cycle_id: int = 0
    team: dict[str, str] = field(default_factory=dict)
    """The school's inspectors in the cycle: user name → display name (to name them on the review page)."""


@dataclass(frozen=True, slots=True)
class Reviewer:
    """An account that may review an assessment: a bureau account, or a lead of another team."""

    id: int
    username: str
    display_name: str
    bureau: bool


@dataclass(frozen=True, slots=True)
class CalibrationSettings:
    """The bureau's certification rule and consistency limits."""

    rule: CertificationRule = field(default_factory=CertificationRule)
    limits: ConsistencyLimits = field(default_factory=ConsistencyLimits)
