"""Pure scoring over criteria frameworks, school facts and ratings (no Streamlit, no database)."""

from scoring.agreement import Agreement, agreement, agreement_by, inspector_profile, inspector_values
from scoring.compiled import CompiledFramework, compile_framework
from scoring.engine import DistrictResult, ViewScores, score_district
from scoring.explain import explain, render_explain
from scoring.improvement import ImprovementPath, Raise, improvement_path
from scoring.inputs import read_facts, read_ratings

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
