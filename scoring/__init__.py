"""Pure scoring over criteria frameworks, school facts and ratings (no Streamlit, no database).

The names below are loaded on first use (PEP 562), so that `xinyu score` imports only the modules
it runs (and not pandas, which the comparison and agreement modules need). `agreement` and
`explain` are also the names of their modules: import those functions from `scoring.agreement`
and `scoring.explain`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_WHERE = {
    "Agreement": "scoring.agreement",
    "agreement_by": "scoring.agreement",
    "inspector_profile": "scoring.agreement",
    "inspector_values": "scoring.agreement",
    "CompiledFramework": "scoring.compiled",
    "compile_framework": "scoring.compiled",
    "DistrictResult": "scoring.engine",
    "ViewScores": "scoring.engine",
    "score_district": "scoring.engine",
    "render_explain": "scoring.explain",
    "ImprovementPath": "scoring.improvement",
    "Raise": "scoring.improvement",
    "improvement_path": "scoring.improvement",
    "read_facts": "scoring.inputs",
    "read_ratings": "scoring.inputs",
}

__all__ = [
    "Agreement",
    "CompiledFramework",
    "DistrictResult",
    "ImprovementPath",
    "Raise",
    "ViewScores",
    "agreement_by",
    "compile_framework",
    "improvement_path",
    "inspector_profile",
    "inspector_values",
    "read_facts",
    "read_ratings",
    "render_explain",
    "score_district",
]

if TYPE_CHECKING:
    from scoring.agreement import Agreement, agreement_by, inspector_profile, inspector_values
    from scoring.compiled import CompiledFramework, compile_framework
    from scoring.engine import DistrictResult, ViewScores, score_district
    from scoring.explain import render_explain
    from scoring.improvement import ImprovementPath, Raise, improvement_path
    from scoring.inputs import read_facts, read_ratings


def __getattr__(name: str) -> object:
    """A public name, imported from its module on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module 'scoring' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
