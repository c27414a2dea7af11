"""Plain inputs of a school's reports, so that the writers work from files (CLI) and from the database alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from criteria.models import Framework
from i18n.problems import InputError, Problem
from scoring.engine import DistrictResult


@dataclass(frozen=True)
class TeamMember:
    """One inspector of the visiting team."""

    name: str
    lead: bool = False


@dataclass(frozen=True)
class ItemNotes:
    """What people wrote about one item: the school's account, the inspectors' finding, the evidence verdict."""

    account: str = ""
    finding: str = ""
    evidence_verified: bool | None = None  # None: not checked (yet)


@dataclass(frozen=True)
class EvidenceFile:
    """An evidence file the school attached: its name, content hash, size, the items it supports, the verdict."""

    filename: str
    sha256: str
    size: int
    item_ids: tuple[str, ...]
    verdict: bool | None = None  # True accepted, False insufficient, None not checked


@dataclass(frozen=True)
class ReportContext:
    """Everything a school's report shows beyond the scores; the optional parts are empty when not known."""

    result: DistrictResult
    school_code: str
    cycle: str
    team: tuple[TeamMember, ...] = ()
    visit_dates: tuple[date, ...] = ()
    notes: Mapping[str, ItemNotes] = field(default_factory=dict)
    evidence: tuple[EvidenceFile, ...] = ()
    district: str = ""
    issued: date | None = None
    final: bool = True  # False: the inspection is not finalized and every page says so
    reviewer: str = ""  # who confirmed the result as second reader (quality review); '' when nobody did
    office: str = ""  # the issuing office on the documents (default: settings.issuing_office)

    def __post_init__(self) -> None:
        """Refuse a school the result does not hold, in words."""
        if self.school_code not in self.result.schools:
            raise InputError([Problem("input.unknown_school", {"found": self.school_code})])

    @property
    def row(self) -> int:
        """The school's row in the result."""
        return self.result.row(self.school_code)

    @property
    def framework(self) -> Framework:
        """The framework the school was scored with."""
        return self.result.compiled.framework

    @property
    def school_name(self) -> str:
        """The school's name from its facts."""
        return str(self.result.facts["school_name"].iloc[self.row])

    @property
    def lead(self) -> TeamMember | None:
        """The lead inspector, if the team names one."""
        return next((m for m in self.team if m.lead), None)

    def note(self, item_id: str) -> ItemNotes:
        """The notes of one item (empty when there are none)."""
        return self.notes.get(item_id, ItemNotes())

    def evidence_for(self, item_id: str) -> list[EvidenceFile]:
        """The evidence files that support one item."""
        return [e for e in self.evidence if item_id in e.item_ids]

    def verdict(self, item_id: str) -> bool | None:
        """The inspectors' evidence verdict on an item: theirs where given, else from its files."""
        own = self.note(item_id).evidence_verified
        return own if own is not None else evidence_verdict(self.evidence_for(item_id))


def notes_by_school(ratings: pd.DataFrame) -> dict[str, dict[str, ItemNotes]]:
    """Per school and item, the school's account and the inspection finding.

    The finding is the lead's consensus finding where there is one, else every inspector's, each once.
    """
    empty = [""] * len(ratings)
    columns = [ratings[c].astype(str).tolist() if c in ratings else empty for c in ("account", "finding")]
    texts: dict[tuple[str, str], dict[str, list[str]]] = {}
    keys = [ratings[c].astype(str).tolist() for c in ("school_code", "item_id", "role")]
    rows = zip(*keys, *columns, strict=True)
    for code, item_id, role, account, finding in rows:
        entry = texts.setdefault((code, item_id), {"self": [], "consensus": [], "inspector": []})
        text = (account if role == "self" else finding).strip()
        if text and text != "nan" and text not in entry.get(role, []):
            entry.setdefault(role, []).append(text)
    out: dict[str, dict[str, ItemNotes]] = {}
    for (code, item_id), entry in texts.items():
        finding = "\n".join(entry["consensus"] or entry["inspector"])
        out.setdefault(code, {})[item_id] = ItemNotes(account="\n".join(entry["self"]), finding=finding)
    return out


def notes_from_ratings(ratings: pd.DataFrame, school_code: str) -> dict[str, ItemNotes]:
    """The notes of one school (see `notes_by_school`)."""
    rows = ratings[ratings["school_code"].astype(str) == school_code]
    return notes_by_school(rows).get(school_code, {})


def team_from_assignments(
    assignments: pd.DataFrame, school_code: str, names: Mapping[str, str] | None = None
) -> tuple[TeamMember, ...]:
    """The team of one school from an assignments frame (school_code, inspector, lead), lead first."""
    rows = assignments[assignments["school_code"].astype(str) == school_code]
    lead = rows["lead"].astype(str).str.strip().str.lower().isin(["1", "true"])
    members = [
        TeamMember((names or {}).get(str(i), str(i)), bool(is_lead))
        for i, is_lead in zip(rows["inspector"].astype(str), lead, strict=True)
    ]
    return tuple(sorted(members, key=lambda m: not m.lead))


def evidence_verdict(files: Iterable[EvidenceFile]) -> bool | None:
    """One verdict over several files: insufficient if any is, accepted if all are, else not checked."""
    verdicts = [f.verdict for f in files]
    if any(v is False for v in verdicts):
        return False
    if verdicts and all(v is True for v in verdicts):
        return True
    return None
