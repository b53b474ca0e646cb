"""A period as the portal asks for it: ``2026-08`` (month), ``2026-Q3`` (quarter), ``2026`` (year).

The responses do not echo the period, so the label the user gave is what gets stored. Which periods exist
on a given day (Vietnam time): a month only after its last day; the current quarter and year to date, and
earlier ones; never a future one. A period that does not exist is refused before any request.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from chiso.errors import DataError

VIETNAM = timezone(timedelta(hours=7))
_FORMS = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$")


@dataclass(frozen=True)
class Period:
    label: str  # as stored: 2026-08, 2026-Q3, 2026
    year: int
    quarter: int | None = None
    month: int | None = None

    @property
    def first_day(self) -> date:
        month = self.month or (3 * self.quarter - 2 if self.quarter else 1)
        return date(self.year, month, 1)

    @property
    def last_day(self) -> date:
        month = self.month or (3 * self.quarter if self.quarter else 12)
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def body(self, root_id: str, page: int, page_size: int, by_dates: bool) -> dict[str, object]:
        """The request body; ``by_dates`` for handling-satisfaction, which takes a date range instead."""
        if by_dates:
            when: dict[str, object] = {"fromDate": self.first_day.isoformat(), "toDate": self.last_day.isoformat()}
        elif self.month:
            when = {"timeType": "month", "year": self.year, "month": self.month}
        elif self.quarter:
            when = {"timeType": "quarter", "year": self.year, "quarter": self.quarter}
        else:
            when = {"timeType": "year", "year": self.year}
        return {**when, "rootDepartmentId": root_id, "currentPage": page, "pageSize": page_size}


def today_in_vietnam() -> date:
    return datetime.now(VIETNAM).date()


def parse_period(text: str, today: date | None = None) -> Period:
    """The period of ``text``, refused (Vietnamese DataError) when malformed or not on the portal yet."""
    m = _FORMS.match(text.strip().upper())
    if not m:
        raise DataError(f"Kỳ «{text[:40]}» không đúng dạng. Hãy ghi tháng (2026-08), quý (2026-Q3) hoặc năm (2026).")
    year, quarter, month = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    period = Period(m[0], year, quarter or None, month or None)
    _check_exists(period, today or today_in_vietnam())
    return period


def _check_exists(p: Period, today: date) -> None:
    if p.first_day > today:
        raise DataError(f"Kỳ {p.label} chưa bắt đầu (hôm nay {today:%d/%m/%Y}): Cổng DVCQG chưa có số liệu của kỳ này.")
    if p.month and p.last_day >= today:
        raise DataError(f"Tháng {p.month:02d}/{p.year} chưa kết thúc (hôm nay {today:%d/%m/%Y}): Cổng DVCQG chỉ có "
                        "số liệu của một tháng sau ngày cuối tháng. Có thể tải quý hoặc năm hiện tại (tính đến nay).")


def recent_periods(today: date, months: int = 6, quarters: int = 4, years: int = 2) -> list[Period]:
    """The periods a user may pick on ``today``, newest first: the last finished months, the current and
    past quarters, the current and past years (every one exists on the portal by the rule above)."""
    labels, month = [], today.replace(day=1)
    for _ in range(months):
        month = (month - timedelta(days=1)).replace(day=1)
        labels.append(f"{month:%Y-%m}")
    q, y = (today.month - 1) // 3 + 1, today.year
    for _ in range(quarters):
        labels.append(f"{y}-Q{q}")
        q, y = (q - 1, y) if q > 1 else (4, y - 1)
    labels += [str(today.year - k) for k in range(years)]
    return [parse_period(p, today) for p in labels]
