"""Pure scoring over criteria frameworks, school facts and ratings (no Streamlit, no database).

The names below are loaded on first use (PEP 562), so that a command importing one module of the
package (`xinyu score` needs the engine and the readers) does not load agreement, explain and the
improvement path as well.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Agreement": "scoring.agreement",
    "agreement": "scoring.agreement",
    "agreement_by": "scoring.agreement",
    "inspector_profile": "scoring.agreement",
    "inspector_values": "scoring.agreement",
    "CompiledFramework": "scoring.compiled",
    "compile_framework": "scoring.compiled",
    "DistrictResult": "scoring.engine",
    "ViewScores": "scoring.engine",
    "score_district": "scoring.engine",
    "explain": "scoring.explain",
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
    "agreement",
    "agreement_by",
    "compile_framework",
    "explain",
    "improvement_path",
    "inspector_profile",
    "inspector_values",
    "read_facts",
    "read_ratings",
    "render_explain",
    "score_district",
]

if TYPE_CHECKING:
    from scoring.agreement import Agreement, agreement, agreement_by, inspector_profile, inspector_values
    from scoring.compiled import CompiledFramework, compile_framework
    from scoring.engine import DistrictResult, ViewScores, score_district
    from scoring.explain import explain, render_explain
    from scoring.improvement import ImprovementPath, Raise, improvement_path
    from scoring.inputs import read_facts, read_ratings


def __getattr__(name: str) -> Any:
    """Load an exported name's module on first use."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'scoring' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
