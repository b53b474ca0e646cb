"""A separate process holding its own open workspace (like one app server), driven line by line.

Commands on stdin (one JSON array per line), one JSON answer per line on stdout:
  ["save", name, n, version|null]   save a scenario (overwrite at ``version`` when given)
  ["list"]                          names and versions of the saved scenarios
  ["loop", n_from]                  save forever, printing each committed n (for the SIGKILL test)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from chiso.io.load import load_paths
from chiso.rulebook import load_rulebook
from chiso.samples import SAMPLE_DIR
from chiso.scenario import Scenario
from chiso.workspace import WorkspaceError, open_workspace

SOURCE = "sample:phu-tho"


def scenario(name: str, n: int) -> Scenario:
    return Scenario(name, "portal-2026", "H44", "2026-Q3", {"e_results": n})


def loop(ws, n: int) -> None:
    """Alternate a big transaction (a whole dataset) and a small one (a scenario), reporting commits."""
    rb = load_rulebook("portal-2026")
    path = Path(SAMPLE_DIR) / "portal" / "phu-tho-2026-q3"
    table = load_paths([path], rb, period="2026-Q3")
    version = None
    while True:
        ws.import_paths([path], table, rb.id)
        item = ws.save_scenario(scenario("vòng lặp", n), SOURCE, version=version, overwrite=version is not None)
        version = item.version
        print(json.dumps({"committed": n}), flush=True)
        n += 1


def main() -> None:
    ws = open_workspace(sys.argv[1])
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            if cmd[0] == "save":
                item = ws.save_scenario(scenario(cmd[1], cmd[2]), SOURCE, version=cmd[3], overwrite=cmd[3] is not None)
                out = {"saved": item.name, "version": item.version}
            elif cmd[0] == "list":
                out = {"items": [[i.name, i.version, i.body["levers"]] for i in ws.saved("scenario", SOURCE, "portal-2026")]}
            else:
                loop(ws, cmd[1])
                return
        except WorkspaceError as exc:
            out = {"error": type(exc).__name__, "message": exc.message}
        print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
