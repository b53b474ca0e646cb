"""The unit open in the simulator: its read-only baseline row, the scenario in session state, and what
the results, exports and links are built from (always from the levers as they stand when asked)."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import streamlit as st

from chiso.calibration import published_group_points
from chiso.what_if import Outcome, UnitCase, simulate_unit
from chiso.cohort import rank_among
from chiso.reports.meta import ExportMeta
from chiso.reports.unit_report import UnitReport, UnitScenario
from chiso.scenario import Scenario, fit_levers, lever_rooms, scenario_to_query, score_scenarios
from ui.safe_md import md
from ui.address import link_source
from ui.data_source import AppData
from ui.session import PENDING_SCENARIO, SIM, UNIT_KEY, SimState, sim_state


@dataclass
class UnitView:
    data: AppData
    i: int

    def __post_init__(self) -> None:
        data, i = self.data, self.i
        self.rb = data.rb
        self.code = str(data.codes[i])
        self.level = data.level(i)
        self.held = float(data.base.held[i])
        self.x_row = data.x[i]
        self.rooms = lever_rooms(self.x_row, self.level, self.rb)  # bounds at the read-only baseline
        self.keys = [lv.key for lv in self.rb.levers]
        self.others = data.cohort_totals(i, exclude_self=True)
        self.rank_now = int(data.rank[i])
        self.cohort_n = len(self.others) + 1

        self.case = UnitCase(self.rb, data.base, i, self.x_row, self.level, self.held, self.others, self.rank_now,
                             published_group_points(data.frame, self.rb, i))
        # the scenario object itself, not a session-state lookup: downloads build their file after the
        # run, where st.session_state cannot be read (callbacks change this same object)
        self.sim: SimState = ensure_scenario(self.code, self.rb.id)

    def outcome(self, deltas: np.ndarray) -> Outcome:
        """Everything the simulator shows for these deltas (chiso.what_if: computed once per change)."""
        return simulate_unit(self.case, deltas)

    def deltas(self) -> np.ndarray:
        return np.array([float(self.sim.levers.get(k, 0)) for k in self.keys])

    def current_scenario(self) -> Scenario:
        """The scenario as the levers stand now (read when a button is pressed, never stale)."""
        return self.sim.scenario(self.data.period)

    def link_params(self, sc: Scenario) -> dict[str, str]:
        return {**scenario_to_query(sc), **link_source(self.data)}

    def score(self, deltas: np.ndarray):
        return score_scenarios(self.x_row, self.level, self.rb, self.held, deltas, self.code)

    def unit_scenario(self, sc: Scenario) -> UnitScenario:
        scores = self.score(sc.deltas(self.rb))
        return UnitScenario(sc.name, sc.levers, scores, rank_among(float(scores.total[0]), self.others))

    def report(self, saved: list[Scenario]) -> UnitReport:
        """Everything the exports print, from the levers as they are when the download is clicked."""
        data, sc = self.data, self.current_scenario()
        meta = ExportMeta(rb=self.rb, source_label=data.source_label, period=data.period,
                          synthetic=data.table.synthetic)
        same = [s for s in saved if s.unit_code == self.code and s.rulebook == self.rb.id]
        # just saved: the name box already offers the next name («… 2»), but the levers are the saved scenario's
        twin = next((s for s in reversed(same) if np.array_equal(s.deltas(self.rb), sc.deltas(self.rb))), None)
        sc = replace(sc, name=twin.name) if twin is not None else sc
        same = [s for s in same if s.name != sc.name]
        return UnitReport(
            meta=meta, unit_code=self.code, unit_name=str(data.names[self.i]), level=self.level,
            official_total=float(data.official[self.i]), base=self.score(np.zeros(len(self.keys))),
            base_rank=self.rank_now, cohort_size=self.cohort_n, rooms=self.rooms,
            current=self.unit_scenario(sc), saved=[self.unit_scenario(s) for s in same],
            official_groups=published_group_points(data.frame, self.rb, self.i),
        )


def apply_pending(data: AppData) -> None:
    """Open a scenario handed over by the planner, an uploaded file or a shared link (then forget it)."""
    ss = st.session_state
    pending = ss.pop(PENDING_SCENARIO, None)
    if not isinstance(pending, Scenario):
        return
    rb = data.rb
    if pending.rulebook != rb.id:
        st.error(f"Kịch bản «{md(pending.name)}» dùng bộ quy tắc «{md(pending.rulebook)}», đang chọn «{rb.id}».")
    elif pending.unit_code not in set(data.codes):
        st.error(f"Không có đơn vị mã «{md(pending.unit_code)}» trong dữ liệu đang mở.")
    else:
        j = data.index_of(pending.unit_code)
        rooms_j = lever_rooms(data.x[j], data.level(j), rb)
        asked = {k: int(v) for k, v in pending.levers.items() if v}
        kept = fit_levers(asked, rooms_j)
        ss[UNIT_KEY] = pending.unit_code
        ss["_sim_seq"] = ss.get("_sim_seq", 0) + 1
        ss[SIM] = SimState(pending.unit_code, rb.id, kept, pending.name, ss["_sim_seq"])
        if kept != asked:
            st.warning("Một số giá trị vượt quá giới hạn có thể của đơn vị hoặc không làm đổi điểm: đã điều chỉnh.")
        st.success(f"Đã áp dụng kịch bản «{md(pending.name)}» vào mô phỏng.")


def ensure_scenario(code: str, rb_id: str) -> SimState:
    """A scenario belongs to one unit and rulebook: start an empty one when either changes."""
    ss = st.session_state
    sim = sim_state()
    if sim is None or sim.unit != code or sim.rb != rb_id:
        ss["_sim_seq"] = ss.get("_sim_seq", 0) + 1
        sim = ss[SIM] = SimState(code, rb_id, seq=ss["_sim_seq"])
    return sim
