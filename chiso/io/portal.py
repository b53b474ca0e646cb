"""Importer for the portal's evaluation API responses (the six JSON files of one period).

Files are recognised by their content, not their names, so renamed downloads still load. Which raw
count comes from which JSON field is read from the rulebook's ``[[inputs]] portal`` entries, so the
mapping lives in one place. Portal nulls count as 0, as the portal itself counts them.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from chiso.errors import DataError, Location
from chiso.fmt import fmt_exact, fmt_int
from chiso.identifiers import clean_code, code_problem, name_problem
from chiso.io.limits import MAX_JSON_BYTES, MAX_UNITS, check_json_bounds
from chiso.io.userjson import loads_strict
from chiso.rulebook import DEFAULT_RULEBOOK, Rulebook, load_rulebook
from chiso.units import (
    PUBLISHED_TOTAL,
    UnitTable,
    empty_provenance,
    published_column,
    published_group_column,
)

# endpoint → (group code in portal-2026, report code of a single-score group or None)
ENDPOINTS: dict[str, tuple[str, str | None]] = {
    "transparency": ("TRANSPARENCY", None),
    "dvc-progress-tree": ("PROGRESS", "PROGRESS_ON_TIME"),
    "provide-online-tree": ("ONLINE_SERVICES", "ONLINE_SERVICES_GROUP"),
    "dossier-digitized": ("DIGITISATION", None),
    "handling-satisfaction": ("SATISFACTION", None),
    "formality-online-payment-tree": ("ONLINE_PAYMENT", "ONLINE_PAYMENT_GROUP"),
}
ENDPOINT_NAMES_VI = {
    "transparency": "Công khai, minh bạch (transparency)",
    "dvc-progress-tree": "Tiến độ giải quyết (dvc-progress-tree)",
    "provide-online-tree": "Dịch vụ công trực tuyến (provide-online-tree)",
    "dossier-digitized": "Số hóa hồ sơ (dossier-digitized)",
    "handling-satisfaction": "Mức độ hài lòng (handling-satisfaction)",
    "formality-online-payment-tree": "Thanh toán trực tuyến (formality-online-payment-tree)",
}
LEVEL_OF_TYPE = {
    "PROVINCE": "province",
    "PROVINCIAL_DEPARTMENT": "department",
    "COMMUNE_PEOPLE_COMMITTEE": "commune",
}
LEVEL_OF_TREE = {"PROVINCE": "department", "COMMUNE": "commune"}
_METRIC_SIGNATURE = {
    "PUBLISH_ON_TIME": "transparency",
    "ORIGINAL_RESULT_AVAILABLE": "dossier-digitized",
    "DOSSIER_RECEIVING_SATISFACTION": "handling-satisfaction",
}
_TREE_SIGNATURE = {
    "totalReceived": "dvc-progress-tree",
    "authorityCount": "provide-online-tree",
    "totalDossierOnlinePaymentSuccess": "formality-online-payment-tree",
}
MAX_BYTES = MAX_JSON_BYTES


@dataclass
class _Row:
    """One unit as seen by one endpoint."""

    key: str
    name: str
    code: str | None
    level: str
    counts: dict[str, float]
    published: dict[str, float]


MANIFEST = "manifest.json"  # beside the responses (the collector's evidence): says which period they are


def load_portal(paths: list[str | Path] | str | Path, period: str = "", rulebook: Rulebook | None = None) -> UnitTable:
    """Read a folder, or the six files given one by one, into a UnitTable.

    Without ``period`` it comes from a ``manifest.json`` beside the responses, else stays empty (storing then
    asks for one): a folder's name is never a period."""
    named = [(p.name, _read_bytes(p)) for p in _expand(paths)]
    return load_portal_bytes(named, period, rulebook)


def load_portal_bytes(
    files: list[tuple[str, bytes]], period: str = "", rulebook: Rulebook | None = None
) -> UnitTable:
    """Same as :func:`load_portal` for (file name, content) pairs, e.g. from an upload widget."""
    rb = rulebook or load_rulebook(DEFAULT_RULEBOOK)
    by_endpoint: dict[str, list[_Row]] = {}
    docs: dict[str, list[tuple[str, dict]]] = {}
    for name, data in files:
        if name == MANIFEST:
            period = period or manifest_period(data)
            continue
        doc = parse_response(name, data)
        docs.setdefault(detect_endpoint(doc, name), []).append((name, doc))
    for endpoint, found in docs.items():
        name, doc = _join_pages(endpoint, found)
        rows = _rows(endpoint, doc, name, rb)
        _check_unique(rows, name)
        by_endpoint[endpoint] = rows
    if not by_endpoint:
        raise DataError("Không có tệp JSON nào của Cổng DVCQG.")
    missing = [e for e in ENDPOINTS if e not in by_endpoint]
    table = _merge(by_endpoint, period, rb)
    if missing:
        names = "; ".join(ENDPOINT_NAMES_VI[e] for e in missing)
        table.warnings.append(
            f"Thiếu {len(missing)}/6 tệp của Cổng DVCQG: {names}. Các chỉ tiêu của nhóm này không được tính lại."
        )
    return table


def detect_endpoint(doc: dict, name: str) -> str:
    """Which of the six endpoints a parsed response comes from, by its structure."""
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, dict):
        raise DataError("Không phải phản hồi đánh giá của Cổng DVCQG (thiếu khóa «data»).", Location(file=name))
    if isinstance(data.get("overview"), dict):
        metrics = data["overview"].get("metrics")
        metrics = metrics if isinstance(metrics, list) else []
        codes = {m.get("code") for m in metrics if isinstance(m, dict) and isinstance(m.get("code"), str)}
        for code, endpoint in _METRIC_SIGNATURE.items():
            if code in codes:
                return endpoint
    if isinstance(data.get("parent"), dict):
        for key, endpoint in _TREE_SIGNATURE.items():
            if key in data["parent"]:
                return endpoint
    raise DataError("Không nhận ra loại dữ liệu đánh giá (không thuộc 6 nhóm của Cổng DVCQG).", Location(file=name))


# ---------------------------------------------------------------- reading


def _expand(paths: list[str | Path] | str | Path) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob("*.json"))
            if not found:
                raise DataError("Thư mục không có tệp .json nào.", Location(file=str(p)))
            files.extend(found)
        else:
            files.append(p)
    return files


def _read_bytes(p: Path) -> bytes:
    try:
        if p.stat().st_size > MAX_BYTES:
            raise DataError(
                f"Tệp lớn hơn giới hạn {MAX_BYTES // (1024 * 1024)} MB của một tệp JSON; hãy chia nhỏ tệp.",
                Location(file=p.name),
            )
        return p.read_bytes()
    except FileNotFoundError:
        raise DataError("Không tìm thấy tệp.", Location(file=str(p))) from None
    except OSError as exc:
        raise DataError(f"Không đọc được tệp ({exc.strerror}).", Location(file=str(p))) from None


def _join_pages(endpoint: str, found: list[tuple[str, dict]]) -> tuple[str, dict]:
    """One response per endpoint: several files of one endpoint are accepted only as the pages 1…n of one
    paged answer (``pagination``), joined in page order; anything else is two files of the same kind."""
    if len(found) == 1:
        p = found[0][1]["data"].get("pagination")
        total = p.get("totalPages") if isinstance(p, dict) else None
        if isinstance(total, int) and not isinstance(total, bool) and total > 1:  # units would be missing silently
            raise DataError(f"Phản hồi «{endpoint}» có {total} trang nhưng chỉ có một tệp; hãy thêm các trang còn lại.",
                            Location(file=found[0][0]))
        return found[0]
    pages = {}
    for name, doc in found:
        p = doc["data"].get("pagination")
        page, total = (p.get("currentPage"), p.get("totalPages")) if isinstance(p, dict) else (None, None)
        if not isinstance(doc["data"].get("evaluation"), list) or page in pages:
            page = None
        pages[page] = (name, doc, total)
    if set(pages) != set(range(1, len(found) + 1)) or {t for _, _, t in pages.values()} != {len(found)}:
        raise DataError(f"Có hai tệp cùng loại «{endpoint}»; mỗi loại chỉ được một tệp (hoặc đủ các trang "
                        "1…n của một phản hồi nhiều trang).", Location(file=found[1][0]))
    name, first, _ = pages[1]
    rows = [row for k in sorted(pages) for row in pages[k][1]["data"]["evaluation"]]
    return name, {**first, "data": {**first["data"], "evaluation": rows}}


def manifest_period(data: bytes) -> str:
    """The ``period`` a manifest.json records ("" when it has none)."""
    doc = _strict(MANIFEST, data)
    period = doc.get("period") if isinstance(doc, dict) else None
    if period is not None and (not isinstance(period, str) or not 0 < len(period.strip()) <= 100):
        raise DataError("Trường «period» của manifest.json phải là kỳ đánh giá, ví dụ «2026-Q3».", Location(file=MANIFEST))
    return (period or "").strip()


def parse_response(name: str, data: bytes) -> dict:
    """One response's bytes, parsed strictly (size, depth, UTF-8, duplicate keys, NaN) and checked to be
    the portal's «OK» envelope; the collector verifies what it downloads with exactly this."""
    doc = _strict(name, data)
    if isinstance(doc, dict) and doc.get("code") not in (None, "OK"):
        raise DataError(f"Cổng DVCQG trả về lỗi «{_short(doc.get('code'))}»: {_short(doc.get('message', ''))}.",
                        Location(file=name))
    return doc


def _strict(name: str, data: bytes) -> object:
    check_json_bounds(data, name, MAX_BYTES, "Tệp JSON")  # before the parser allocates or recurses
    if not data.strip():
        raise DataError("Tệp rỗng.", Location(file=name))
    try:
        doc = loads_strict(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DataError("Tệp không phải văn bản UTF-8.", Location(file=name)) from None
    except DataError as exc:  # NaN or a duplicate key: the parser does not know the file
        raise DataError(exc.message, Location(file=name)) from None
    except json.JSONDecodeError as exc:
        raise DataError(
            f"JSON không hợp lệ hoặc bị cắt cụt ở dòng {exc.lineno}, cột {exc.colno}.",  # exc.msg is English
            Location(file=name, row=exc.lineno),
        ) from None
    return doc


def _portal_fields(rb: Rulebook) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, list[str]]]]:
    """From the rulebook: metric fields ``CODE.numerator`` and tree fields ``endpoint.a + b``."""
    metric, tree = {}, {}
    for inp in rb.inputs:
        head, _, rest = inp.portal.partition(".")
        if not rest:
            continue
        if head in ENDPOINTS:
            tree[inp.key] = (head, [f.strip() for f in rest.split("+")])
        else:
            metric[inp.key] = (head, rest)
    return metric, tree


def _num(value: object, where: Location, what: str = "Giá trị") -> float:
    """A count or score of the portal: finite, non-negative (null counts as 0, as on the portal)."""
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataError(f"{what} «{_short(value)}» không phải số.", where)
    try:
        x = float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise DataError(f"{what} «{_short(value)}» quá lớn, không phải số liệu hợp lệ.", where) from None
    if not math.isfinite(x):
        raise DataError(f"{what} «{value}» không phải số hữu hạn.", where)
    if x < 0:
        raise DataError(f"{what} âm ({_short(value)}) không hợp lệ.", where)
    return x


def _score(value: object, where: Location) -> float:
    """A published score: a number from 0 to 100 (null = 0)."""
    x = _num(value, where, "Điểm công bố")
    if x > 100:
        raise DataError(f"Điểm công bố «{_short(value)}» lớn hơn 100.", where)
    return x


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _check_units(items: object, name: str) -> list:
    """The list of units of one response, bounded before any row is built."""
    if not isinstance(items, list):
        raise DataError("Cấu trúc dữ liệu không đúng mẫu của Cổng DVCQG (danh sách đơn vị không phải mảng).",
                        Location(file=name))
    if len(items) > MAX_UNITS:
        raise DataError(
            f"Tệp có {fmt_int(len(items))} đơn vị, vượt giới hạn {fmt_int(MAX_UNITS)} đơn vị của một nguồn; "
            "hãy tải từng tỉnh hoặc từng kỳ.",
            Location(file=name),
        )
    return items


def _check_unique(rows: list[_Row], name: str) -> None:
    """Two rows with one departmentId would be merged into one unit without a word: refuse them."""
    seen: dict[str, str] = {}
    for row in rows:
        if row.key in seen:
            raise DataError(
                f"Mã đơn vị (departmentId) «{_short(row.key)}» xuất hiện hai lần: «{_short(seen[row.key])}» và "
                f"«{_short(row.name)}». Mỗi đơn vị chỉ được một dòng; hãy tải lại tệp từ Cổng DVCQG.",
                Location(file=name),
            )
        seen[row.key] = row.name


def _rows(endpoint: str, doc: dict, name: str, rb: Rulebook) -> list[_Row]:
    data = doc["data"]
    try:
        if endpoint in ("transparency", "dossier-digitized", "handling-satisfaction"):
            raw = [(data["overview"], True)] + [(r, False) for r in _check_units(data["evaluation"], name)]
            return [_evaluation_row(endpoint, r, name, rb) for r, _ in raw]
        raw = [(data["parent"], True)] + [(r, False) for r in _check_units(data["children"], name)]
        return [_tree_row(endpoint, r, is_root, name, rb) for r, is_root in raw]
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(
            f"Cấu trúc dữ liệu không đúng mẫu của Cổng DVCQG (thiếu hoặc sai kiểu {_short(exc)}).", Location(file=name)
        ) from None


def _evaluation_row(endpoint: str, r: dict, name: str, rb: Rulebook) -> _Row:
    metric_fields, _ = _portal_fields(rb)
    metrics = {m["code"]: m for m in r["metrics"]}
    where = Location(file=name, column=r.get("departmentName"))
    counts = {
        key: _num(metrics[code].get(part), where)
        for key, (code, part) in metric_fields.items()
        if code in metrics
    }
    _check_on_time(counts, where, rb)
    published = {
        published_column(code): _score(m.get("score"), where) for code, m in metrics.items() if m.get("maxScore")
    }
    group, _ = ENDPOINTS[endpoint]
    published[published_group_column(group)] = _score(r.get("totalScore"), where)
    return _Row(
        key=_identity(r["departmentId"], "departmentId", where, code_problem),
        name=_identity(r["departmentName"], "departmentName", where, name_problem),
        code=_optional_code(r.get("departmentCode"), where),
        level=LEVEL_OF_TYPE.get(_optional_text(r.get("departmentType"), "departmentType", where), "department"),
        counts=counts,
        published=published,
    )


def _tree_row(endpoint: str, r: dict, is_root: bool, name: str, rb: Rulebook) -> _Row:
    _, tree_fields = _portal_fields(rb)
    where = Location(file=name, column=r.get("departmentName"))
    counts = {}
    for key, (ep, fields) in tree_fields.items():
        if ep == endpoint and all(f in r for f in fields):
            counts[key] = sum(_num(r[f], where) for f in fields)
    if endpoint == "dvc-progress-tree" and "totalOnTime" not in r and "totalOverdue" in r:
        # child rows satisfy totalOnTime = totalReceived − totalOverdue; some captures carry only the latter
        counts["dossiers_on_time"] = _num(r.get("totalReceived"), where) - _num(r["totalOverdue"], where)
    _check_on_time(counts, where, rb)
    group, report = ENDPOINTS[endpoint]
    score = _score(r.get("totalScore", r.get("score")), where)
    published = {published_group_column(group): score}
    if report:
        published[published_column(report)] = score
    return _Row(
        key=_identity(r["departmentId"], "departmentId", where, code_problem),
        name=_identity(r["departmentName"], "departmentName", where, name_problem),
        code=_optional_code(r.get("departmentCode"), where),
        level="province" if is_root else LEVEL_OF_TREE.get(_optional_text(r.get("level"), "level", where), "department"),
        counts=counts,
        published=published,
    )


def _text(value: object, field: str, where: Location) -> str:
    """An id or a name: text or an integer id, never a list, an object or empty."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value).strip() == "":
        raise DataError(f"Trường «{field}» phải là văn bản, đang là «{_short(value)}».", where)
    return str(value)


def _identity(value: object, field: str, where: Location, problem: Callable[[str], str | None]) -> str:
    """A code or a name checked by the importers' one rule (chiso.identifiers); codes come back NFKC."""
    text = _text(value, field, where)
    why = problem(text)
    if why:
        raise DataError(f"Trường «{field}»: {why}.", where)
    return clean_code(text) if problem is code_problem else text


def _optional_code(value: object, where: Location) -> str | None:
    return None if value is None or value == "" else _identity(value, "departmentCode", where, code_problem)


def _optional_text(value: object, field: str, where: Location) -> str | None:
    return None if value is None or value == "" else _text(value, field, where)


def _check_on_time(counts: dict[str, float], where: Location, rb: Rulebook) -> None:
    """A numerator never exceeds its denominator (on-time ≤ received), as the CSV importer checks."""
    for ind in rb.indicators:
        num, den = counts.get(ind.numerator), counts.get(ind.denominator)
        if num is not None and den is not None and num > den * (1 + 1e-9) + 1e-9:
            raise DataError(
                f"«{rb.input(ind.numerator).name_vi}» ({_short(_plain(num))}) lớn hơn "
                f"«{rb.input(ind.denominator).name_vi}» ({_short(_plain(den))}) — tử số không được lớn hơn mẫu số.",
                where,
            )


def _plain(x: float) -> str:
    return fmt_exact(x)


def _merge(by_endpoint: dict[str, list[_Row]], period: str, rb: Rulebook) -> UnitTable:
    """One row per unit (joined on departmentId), in the order the portal lists them."""
    units: dict[str, dict] = {}
    for endpoint, rows in by_endpoint.items():
        for row in rows:
            u = units.setdefault(row.key, {"_name": row.name, "_level": row.level, "_code": None})
            u["_code"] = u["_code"] or row.code
            if row.level == "province":
                u["_level"] = "province"
            u.update(row.counts)
            u.update(row.published)
    province = next((k for k, u in units.items() if u["_level"] == "province"), None)
    records = []
    for key, u in units.items():
        rec = {
            "unit_code": u["_code"] or key,
            "unit_name": u["_name"],
            "level": u["_level"],
            "parent_code": "" if key == province or province is None else (units[province]["_code"] or province),
            "period": period,
        }
        rec.update({k: v for k, v in u.items() if not k.startswith("_")})
        records.append(rec)
    frame = pd.DataFrame.from_records(records)
    for key in rb.input_keys:
        if key not in frame:
            frame[key] = np.nan
    group_cols = [published_group_column(e[0]) for e in ENDPOINTS.values()]
    if all(c in frame for c in group_cols):
        frame[PUBLISHED_TOTAL] = frame[group_cols].sum(axis=1, min_count=len(group_cols)).round(2)
    return UnitTable(frame, empty_provenance(frame, rb.input_keys), source="Cổng DVCQG (JSON)")
