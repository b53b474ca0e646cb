"""A scenario file (JSON, as «Tải lên / tải về» writes it): read with the importers' bounds on size and depth,
then validated by chiso.scenario like any scenario."""
from __future__ import annotations

import json

from chiso.errors import DataError, Location
from chiso.io.limits import check_json_bounds
from chiso.io.userjson import loads_strict
from chiso.rulebook import Rulebook
from chiso.scenario import Scenario, scenario_from_dict

MAX_SCENARIO_BYTES = 64 * 1024


def scenario_from_json(data: bytes | str, rb: Rulebook, filename: str = "kịch bản") -> Scenario:
    """Parse and validate a scenario file; every problem is a DataError in Vietnamese."""
    loc = Location(file=filename)
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    check_json_bounds(raw, filename, MAX_SCENARIO_BYTES, "Tệp kịch bản")  # size and depth before parsing
    try:
        doc = loads_strict(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise DataError("Tệp kịch bản không phải JSON hợp lệ.", loc) from None
    except DataError as exc:  # NaN or a duplicate key: the parser does not know the file
        raise DataError(exc.message, loc) from None
    if not isinstance(doc, dict):
        raise DataError("Tệp kịch bản phải là một đối tượng JSON.", loc)
    return scenario_from_dict(doc, rb, loc)
