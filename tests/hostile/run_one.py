"""Load one hostile file in a fresh process; print time, peak memory growth and the outcome as JSON.

    python tests/hostile/run_one.py FILE

A fresh process per file, so that ``ru_maxrss`` (a high-water mark) measures this file alone; the
baseline is taken after every import, so only the work on the file counts.
"""
from __future__ import annotations

import json
import resource
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from chiso.errors import ChisoError  # noqa: E402
from chiso.io.upload import load_uploaded  # noqa: E402
from chiso.rulebook import load_rulebook  # noqa: E402
from chiso.io.scenario_file import scenario_from_json  # noqa: E402


def main(path: Path) -> dict:
    rb = load_rulebook("portal-2026")
    data = path.read_bytes()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    out: dict = {"outcome": "result"}
    try:
        if "scenario" in path.name:
            scenario_from_json(data, rb, path.name)
        else:
            table = load_uploaded([(path.name, data)], rb)
            out["units"] = len(table.frame)
    except ChisoError as exc:
        out = {"outcome": "error", "message": str(exc), "file": exc.location.file}
    except BaseException:  # noqa: BLE001 - the point is to report it, not to hide it
        out = {"outcome": "traceback", "message": traceback.format_exc()}
    out["seconds"] = time.perf_counter() - t0
    out["rss_growth_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
    return out


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), ensure_ascii=False))
