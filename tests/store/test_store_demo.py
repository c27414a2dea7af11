"""The demo district: last year's cycle kept as history, this year's open cycle with work to do for everyone."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from storekit import FAST_HASHER, Db

from scoring import score_district
from settings import Settings
from store.bootstrap import open_store
from store.demo import DEMO_PASSWORD_ENV, INSPECTION_DEADLINE_DAYS, SELF_DEADLINE_DAYS, demo_cycle_names
from store.records import SYSTEM, CycleStatus, RaterRole, Status
from store.services import Services


def _self_and_inspectors(sv: Services, aid: int) -> tuple[dict[str, str], dict[str, set[str]]]:
    """An assessment's self ratings by item, and each inspector's rated items."""
    own: dict[str, str] = {}
    inspectors: dict[str, set[str]] = {}
    for r in sv.ratings.list_ratings(SYSTEM, aid):
        if r.role == RaterRole.SELF:
            own[r.item_id] = r.level
        elif r.role == RaterRole.INSPECTOR:
            inspectors.setdefault(r.rater, set()).add(r.item_id)
    return own, inspectors


def test_the_demo_has_a_past_cycle_and_a_current_one_to_work_in(
    db: Db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DEMO_PASSWORD_ENV, "demo-pass-2025")
    opened = open_store(
        Settings(DATABASE_URL=db.full_url, data_dir=tmp_path / "data", load_demo=True), hasher=FAST_HASHER
    )
    sv, demo = opened.services, opened.demo
    assert demo is not None and demo.past_cycle_id is not None
    today = datetime.now(UTC).date()
    past, current = sv.cycles.get(SYSTEM, demo.past_cycle_id), sv.cycles.get(SYSTEM, demo.cycle_id)
    assert (past.name, current.name) == demo_cycle_names(today)
    assert past.status == CycleStatus.CLOSED and current.status == CycleStatus.OPEN
    assert sv.cycles.current(SYSTEM) == current and sv.cycles.list_cycles(SYSTEM)[0] == current
    assert current.self_deadline == today + timedelta(days=SELF_DEADLINE_DAYS)
    assert current.inspection_deadline == today + timedelta(days=INSPECTION_DEADLINE_DAYS)
    assert current.framework_version_id == past.framework_version_id == sv.frameworks.list_versions(SYSTEM)[0].id
    # the bundled history: 2024.1 kept (inactive), 2025.1 active and scoring both demo cycles
    stored = [(v.version, v.active) for v in sv.frameworks.list_versions(SYSTEM)]
    assert stored == [("2025.1", True), ("2024.1", False)]
    assert sv.frameworks.for_cycle(SYSTEM, past.id).version == "2025.1"

    history = {a.school_code: a for a in sv.assessments.list_assessments(SYSTEM, past.id)}
    now = {a.school_code: a for a in sv.assessments.list_assessments(SYSTEM, current.id)}
    assert Counter(a.status for a in history.values()) == {
        Status.FINALIZED: 34,
        Status.DRAFT: 3,
        Status.SUBMITTED: 1,
        Status.UNDER_INSPECTION: 2,
    }
    statuses = Counter(a.status for a in now.values())
    assert set(now) == set(history) and len(now) == 40
    # the bureau's first view tells the story: most schools finalized, some of each other step left
    assert statuses[Status.FINALIZED] > 20 and 5 <= statuses[Status.DRAFT] <= 10
    assert 3 <= statuses[Status.SUBMITTED] <= 8 and 3 <= statuses[Status.UNDER_INSPECTION] <= 8

    def pairs(cycle_id: int) -> set[tuple[str, str, bool]]:
        return {(a.school_code, a.inspector, a.lead) for a in sv.cycles.assignments(SYSTEM, cycle_id)}

    assert pairs(current.id) == pairs(past.id)

    facts = sv.frames.facts_frame(SYSTEM, current.id)
    assert not facts.isna().any().any()  # every fact filled in: the forecast works for every school
    result = score_district(
        sv.frameworks.for_cycle(SYSTEM, current.id), facts, sv.frames.ratings_frame(SYSTEM, current.id)
    )
    scores = result.to_frame(reasons=False)
    assert scores["self_score"].notna().sum() >= 38

    partial = 0
    for code, a in now.items():
        own, inspectors = _self_and_inspectors(sv, a.id)
        needed = int(scores.loc[code, "self_unrated"]) + len(own) - sum(level == "NA" for level in own.values())
        if a.status == Status.DRAFT:
            assert not inspectors, code
            partial += 0 < len(own) < needed
        else:
            assert a.stages == tuple(sv.schools.get(SYSTEM, a.school_id).stages)  # taken at submission
            assert int(scores.loc[code, "self_unrated"]) == 0, code
            assert bool(inspectors) == (a.status in (Status.UNDER_INSPECTION, Status.FINALIZED)), code
    assert partial >= 5  # drafts part-way through their self-assessment
    final = [c for c, a in now.items() if a.status == Status.FINALIZED]
    assert scores.loc[final, "inspection_unrated"].eq(0).all()  # finalized on complete inspections
    tiers = Counter(scores.loc[final, "inspection_tier"])
    assert tiers["standard"] >= 3 and tiers["model"] >= 3 and tiers["none"] >= 3  # standard, model, failing
    reasons = result.to_frame(reasons=True).loc[final, "reasons"].astype(str)
    assert reasons.str.contains("达标校：否决项").sum() >= 2  # some fail a veto of the standard tier

    moves = sv.audit.entries(SYSTEM, cycle_id=current.id, entity="assessment", action_prefix="assessment.", limit=500)
    moved = Counter(e.action for e in moves if e.before)
    assert moved == {f"assessment.{s.value}": n for s, n in statuses.items() if s != Status.DRAFT}

    # what the app's tests and the first demo rounds use in the current cycle
    assert now["CN004"].status == Status.DRAFT
    assert _self_and_inspectors(sv, now["CN004"].id)[0] == _self_and_inspectors(sv, history["CN004"].id)[0]
    assert now["CN016"].status == Status.SUBMITTED and not _self_and_inspectors(sv, now["CN016"].id)[1]
    assert now["CN024"].status == Status.UNDER_INSPECTION
    leads = {(a.school_code, a.inspector) for a in sv.cycles.assignments(SYSTEM, current.id) if a.lead}
    assert {("CN016", "insp08"), ("CN024", "insp08"), ("CN004", "insp04")} <= leads
    sv.close()
