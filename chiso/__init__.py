"""chiso — what-if simulator and planner for Vietnam's 766 public-service index (QĐ 766/QĐ-TTg).

Streamlit-free domain package: rulebooks (data files), a vectorised scoring engine, importers,
scenarios and the planner. Pages and the CLI only call into it.
"""
from chiso.errors import ChisoError, DataError, RulebookError
from chiso.rulebook import Rulebook, available_rulebooks, load_rulebook
from chiso.engine import Scores, score

__all__ = [
    "ChisoError",
    "DataError",
    "RulebookError",
    "Rulebook",
    "Scores",
    "available_rulebooks",
    "load_rulebook",
    "score",
]
