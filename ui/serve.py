"""Start the app warm: the heavy imports (pandas, scipy, SQLAlchemy, plotly) and every bundled sample are
loaded and scored before the server accepts anyone. Otherwise the first visitor of a freshly started server
pays for them all (about 6 s on the 2-core machine) — typically the official who opens the link sent before a
meeting.

    .venv/bin/python -m ui.serve [streamlit run options, e.g. --server.port=8501]

``scripts/run_app.sh`` (the README's start command) runs this; ``streamlit run app.py`` still works, cold.
"""
from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def warm() -> None:
    """Fill the same ``st.cache_resource`` the pages read (one process: the server runs in this one)."""
    import plotly.graph_objects  # noqa: F401  (imported by the pages' charts)

    from ui.state import warm_samples  # imports Streamlit, which sets its loggers' levels

    # outside a session Streamlit warns, once per cached call, that there is no script context
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        warm_samples()
    finally:
        quiet.setLevel(level)
    gc.freeze()  # what is loaded now lives as long as the server: later collections need not scan it again


def main(argv: list[str]) -> None:
    warm()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
