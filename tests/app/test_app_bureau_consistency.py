"""Bureau inspector consistency: the figures on screen are the core's agreement over the stored ratings
(the core matches the `krippendorff` package: tests/scoring), per domain and per inspector, and overrating."""

from __future__ import annotations

import numpy as np
from appkit import goto, messages, signed_in

from scoring import inspector_profile, inspector_values, score_district
from scoring.agreement import agreement
from store.records import SYSTEM, CycleStatus


def test_agreement_per_domain_and_inspector_and_the_schools_that_overrate(data_dir, sv):
    past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)
    result = score_district(
        sv.frameworks.for_cycle(SYSTEM, past.id),
        sv.frames.facts_frame(SYSTEM, past.id),
        sv.frames.ratings_frame(SYSTEM, past.id),
    )
    values = inspector_values(result)
    overall = agreement(values)
    at = signed_in("bureau")
    at.selectbox(key="app.cycle_widget").set_value(past.id).run()
    at = goto(at, "bureau_consistency.py")
    assert not at.exception and not messages(at, "error")
    shown = {m.label: m.value for m in at.metric}
    assert shown["完全一致率（%）"] == f"{100 * overall.exact:.1f}%"
    assert shown["Krippendorff α"] == f"{overall.alpha:.3f}"
    assert shown["评分单元数"] == str(overall.units)
    frames = [d.value for d in at.dataframe]  # a list of inspectors to calibrate may come before the last
    domains, inspectors, matrix, overrating = (*frames[:3], frames[-1])
    assert len(domains) == 7 and domains["评分单元数"].sum() == overall.units
    profile = inspector_profile(values)
    assert len(inspectors) == len(profile)
    assert np.allclose(inspectors["平均偏差（百分点）"], (100 * profile["bias"]).round(1))
    higher = inspectors[inspectors["平均偏差（百分点）"] >= 5]
    assert set(higher["评分倾向"]) <= {"系统性偏高"}
    assert matrix.shape == (len(profile), 7)
    gaps = result.overrating
    top = int(np.nanargmax(gaps))
    assert overrating["学校代码"].iloc[0] == result.schools[top]
    assert overrating["自评高出（分）"].iloc[0] == round(float(gaps[top]), 1)
