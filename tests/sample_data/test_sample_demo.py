"""The demo district: the committed CSV files load, are up to date, and show the promised cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from criteria import Framework, QuantitativeItem, Stage
from sample_data.demo import (
    DEMO_DIR,
    DEMO_INSPECTORS,
    DEMO_SCHOOLS,
    _main,
    build_demo,
    load_demo,
    write_demo,
)
from sample_data.generator import ASSIGNMENTS_FILE, FACTS_FILE, RATINGS_FILE, STREETS, District
from scoring.facts import FACT_BOUNDS, FACT_FIELDS
from scoring.inputs import read_facts, read_ratings

STAGES_OF_EVERY_KIND = {
    "primary",
    "junior",
    "primary;junior",
    "junior;senior",
    "senior",
    "vocational",
    "special",
}


def expected_counts(framework: Framework, facts: pd.DataFrame) -> pd.Series:
    """Number of rated items that apply to each school."""
    rated = [item for item in framework.items() if not isinstance(item, QuantitativeItem)]

    def count(stages: str) -> int:
        own = {Stage(s) for s in stages.split(";")}
        return sum(bool(own & set(item.applies_to)) for item in rated)

    return facts.set_index("school_code")["stages"].astype(str).map(count)


def codes_with(trait: str) -> set[str]:
    return {s.code for s in DEMO_SCHOOLS if trait in s.traits}


# ------------------------------------------------------------------------------ the committed files


def test_committed_demo_loads_and_passes_the_readers(bundled_framework: Framework) -> None:
    district = load_demo(bundled_framework)
    facts = read_facts(DEMO_DIR / FACTS_FILE)
    read_ratings(DEMO_DIR / RATINGS_FILE, bundled_framework, facts.index)
    assert len(district.facts) == len(DEMO_SCHOOLS) == 40
    assert set(district.assignments["school_code"].astype(str)) == set(facts.index)


def test_committed_demo_is_up_to_date(bundled_framework: Framework, tmp_path: Path) -> None:
    write_demo(bundled_framework, tmp_path)
    for name in (FACTS_FILE, RATINGS_FILE, ASSIGNMENTS_FILE):
        assert (tmp_path / name).read_bytes() == (DEMO_DIR / name).read_bytes(), (
            f"sample_data/demo/{name} is stale: run `python -m sample_data.demo --write`"
        )


def test_demo_command_writes_the_files(bundled_framework: Framework, tmp_path: Path) -> None:
    assert _main(["--write", "--out", str(tmp_path)]) == 0
    assert (tmp_path / FACTS_FILE).read_bytes() == (DEMO_DIR / FACTS_FILE).read_bytes()


def test_build_is_deterministic(framework: Framework) -> None:
    a, b = build_demo(framework), build_demo(framework)
    for name in ("facts", "ratings", "assignments"):
        left, right = getattr(a, name), getattr(b, name)
        assert left.astype(str).equals(right.astype(str)), name


# ------------------------------------------------------------------------------------ the variety


@pytest.fixture(scope="module")
def demo(framework: Framework) -> District:
    return build_demo(framework)


def test_demo_passes_the_readers(demo: District, framework: Framework) -> None:
    facts = read_facts(demo.facts)
    read_ratings(demo.ratings, framework, facts.index)


def test_schools_cover_stages_streets_and_ownership(demo: District) -> None:
    facts = demo.facts
    assert set(facts["stages"].astype(str)) == STAGES_OF_EVERY_KIND
    assert set(facts["street"].astype(str)) == {s[0] for s in STREETS}
    ownership = facts["ownership"].astype(str).value_counts()
    assert ownership["public"] > 30 and 2 <= ownership["private"] <= 6
    assert facts["school_name"].is_unique and facts["school_code"].is_unique
    suffixes = ("小学", "初级中学", "实验学校", "中学", "职业技术学校", "特殊教育学校", "辅读学校")
    assert facts["school_name"].str.endswith(suffixes).all()


def test_facts_are_valid_and_include_veto_failures(demo: District) -> None:
    facts = demo.facts.set_index("school_code")
    for fact in FACT_FIELDS:
        assert (facts[fact.name] >= fact.minimum).all(), fact.name
    for small, large in FACT_BOUNDS:
        assert (facts[small] <= facts[large]).all(), (small, large)
    no_psych = set(facts.index[facts["psych_fulltime"] == 0])
    no_room = set(facts.index[facts["room_area_m2"] == 0])
    assert no_psych == codes_with("no_psych") and len(no_psych) >= 2
    assert no_room == codes_with("no_room") and len(no_room) >= 2
    model = list(codes_with("model"))
    assert len(model) >= 3
    assert (facts.loc[model, "students"] / facts.loc[model, "mentors"] <= 15).all()
    assert (facts.loc[model, "screening_done"] == facts.loc[model, "screening_target"]).all()


def test_inspectors_and_leads(demo: District) -> None:
    assignments = demo.assignments.astype({"school_code": str, "inspector": str})
    assert set(assignments["inspector"]) == set(DEMO_INSPECTORS)
    team = assignments.groupby("school_code")["inspector"]
    assert team.nunique().between(2, 3).all()
    assert (team.nunique() == team.size()).all()
    assert (assignments.groupby("school_code")["lead"].sum() == 1).all()
    ratings = demo.ratings.astype(str)
    rated = set(zip(ratings["school_code"], ratings["rater"], strict=True))
    inspector_rows = ratings[ratings["role"] != "self"]
    assert set(zip(inspector_rows["school_code"], inspector_rows["rater"], strict=True)) <= set(
        zip(assignments["school_code"], assignments["inspector"], strict=True)
    )
    assert rated


def test_incomplete_self_assessments_and_inspections(demo: District, framework: Framework) -> None:
    ratings = demo.ratings.astype(str)
    expected = expected_counts(framework, demo.facts)
    self_count = ratings[ratings["role"] == "self"].groupby("school_code").size().reindex(expected.index, fill_value=0)
    drafts = set(expected.index[self_count < expected])
    assert drafts == codes_with("draft") and len(drafts) >= 3

    inspector_rows = ratings[ratings["role"] == "inspector"]
    counts = inspector_rows.groupby(["school_code", "rater"]).size()
    assigned = demo.assignments.astype(str).set_index(["school_code", "inspector"]).index
    counts = counts.reindex(assigned, fill_value=0)
    full = expected.reindex(counts.index.get_level_values(0)).to_numpy()
    short = set(counts.index.get_level_values(0)[counts.to_numpy() < full])
    assert short == codes_with("inspection_incomplete") | codes_with("not_inspected")
    assert len(short) >= 3
    not_started = codes_with("not_inspected")
    assert not_started and not (inspector_rows["school_code"].isin(not_started)).any()


def test_overraters_rate_themselves_well_above_the_inspectors(demo: District, framework: Framework) -> None:
    fraction = {(i.id, lv.id): lv.fraction for i in framework.items() for lv in i.levels}
    ratings = demo.ratings.astype(str)
    rated = ratings[ratings["level"] != "NA"]
    values = [fraction[key] for key in zip(rated["item_id"], rated["level"], strict=True)]
    mean = rated.assign(fraction=values).groupby(["school_code", "role"])["fraction"].mean().unstack()
    gap = (mean["self"] - mean["inspector"]).dropna()
    overraters = sorted(codes_with("overrater"))
    assert len(overraters) >= 3
    assert (gap[overraters] > 0.1).all()
    assert gap[overraters].mean() > gap.drop(overraters).mean() + 0.1


def test_consensus_on_disputed_items(demo: District) -> None:
    ratings = demo.ratings.astype(str)
    consensus = ratings[ratings["role"] == "consensus"]
    assert set(consensus["school_code"]) == codes_with("disputed")
    assert len(codes_with("disputed")) >= 3
    leads = demo.assignments[demo.assignments["lead"]].astype(str)
    lead_of = dict(zip(leads["school_code"], leads["inspector"], strict=True))
    assert (consensus["rater"] == consensus["school_code"].map(lead_of)).all()
    inspectors = ratings[ratings["role"] == "inspector"]
    spread = inspectors.groupby(["school_code", "item_id"])["level"].nunique()
    cells = set(zip(consensus["school_code"], consensus["item_id"], strict=True))
    assert all(spread[cell] > 1 for cell in cells)
    assert (consensus["finding"] != "").all()


def test_accounts_findings_and_hostile_text(demo: District) -> None:
    ratings = demo.ratings.astype(str)
    self_rows = ratings[ratings["role"] == "self"]
    assert (self_rows["account"] != "").all()
    assert self_rows["account"].str.contains(r"[\u4e00-\u9fff]").all()
    hostile = self_rows[self_rows["account"].str[:1].isin(["=", "+"])]
    assert len(hostile) >= 2
    assert {hostile["account"].str[:1].iloc[0], hostile["account"].str[:1].iloc[-1]} == {"=", "+"}
    findings = ratings.loc[ratings["role"] == "inspector", "finding"]
    assert (findings == "").any() and (findings != "").mean() > 0.5


def test_some_items_are_not_applicable_where_allowed(demo: District, framework: Framework) -> None:
    na_items = set(demo.ratings.loc[demo.ratings["level"] == "NA", "item_id"].astype(str))
    allowed = {item.id for item in framework.items() if item.allow_na}
    assert na_items <= allowed
    if allowed:
        assert na_items


def test_demo_tiers_show_the_cases(bundled_framework: Framework) -> None:
    from scoring import score_district

    district = load_demo(bundled_framework)
    facts = read_facts(district.facts)
    result = score_district(bundled_framework, facts, read_ratings(district.ratings, bundled_framework, facts.index))
    table = result.to_frame(reasons=False)
    tiers = table["inspection_tier"]
    assert (tiers[sorted(codes_with("model"))] == "model").all()
    assert (tiers[sorted(codes_with("no_psych") | codes_with("no_room"))] == "none").all()
    counts = tiers.value_counts()
    assert counts["model"] >= 5 and counts["standard"] >= 10 and counts["none"] >= 4
    overrating = table["overrating_points"]
    assert (overrating[sorted(codes_with("overrater"))] > 5).all()
    assert np.isnan(overrating[sorted(codes_with("not_inspected"))]).all()
