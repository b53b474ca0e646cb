"""Every session-state key shared between pages, declared once, with typed accessors.

- ``UNIT_KEY`` (str): the unit the user is looking at; every page reads and writes it (Tổng quan sets it when
  a row is clicked, Đơn vị / Mô phỏng / Lập kế hoạch / Số liệu pick it), and the address bar carries it.
- ``PENDING_SCENARIO`` (chiso.scenario.Scenario): a scenario to open in the simulator. Any page may set it and
  call ``st.switch_page(SIMULATE_PAGE)`` (``send_to_simulator`` does both); the simulator applies it on its
  next run (unit, lever values clamped to what is possible, name), removes the key and says so. Its
  ``rulebook`` must be the one selected in the sidebar, else it is refused with a message. Uploads and shared
  links go the same way.
- ``SCENARIOS`` (dict[str, Scenario]): scenarios saved in this session, by name.
- ``SOURCE``, ``RULEBOOK``, ``PERIOD`` (str): the sidebar's choices; the address bar carries them too.
- ``COLUMN_MAP`` (dict[str, str]): the user's meaning for unrecognised columns of an upload.
- ``LAST_UPLOAD`` (tuple of (name, bytes)): the files of the last upload, kept across page switches.
- ``SIM`` (dict): the simulator's working scenario (ui.sim_unit); its levers ride in the address of every page
  while its unit is open, so F5 anywhere and then Mô phỏng finds them again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from chiso.scenario import Scenario

UNIT_KEY = "unit_code"
PENDING_SCENARIO = "pending_scenario"
SCENARIOS = "scenarios"
COLUMN_MAP = "column_map"
SOURCE, RULEBOOK, PERIOD = "data_source", "rulebook_choice", "period_choice"
LAST_SOURCE = "_last_source"  # the source of the previous run: a newly chosen sample opens under its own rulebook
LAST_UPLOAD = "last_upload"
SIM = "sim"  # the simulator's working scenario (SimState)

SIMULATE_PAGE = "pages/simulate.py"
UNIT_PAGE = "pages/unit.py"


@dataclass
class SimState:
    """The simulator's working scenario: one unit under one rulebook, integer lever deltas by lever key, a
    name, and ``seq``, which changes whenever the scenario is replaced (the sliders re-sync to it). Lever
    callbacks change ``levers`` in place."""

    unit: str
    rb: str
    levers: dict[str, int] = field(default_factory=dict)
    name: str = "Kịch bản 1"
    seq: int = 0

    def scenario(self, period: str) -> Scenario:
        return Scenario(name=self.name, rulebook=self.rb, unit_code=self.unit, period=period,
                        levers={k: int(v) for k, v in self.levers.items() if v})


def sim_state() -> SimState | None:
    sim = st.session_state.get(SIM)
    return sim if isinstance(sim, SimState) else None


def unit_code() -> str | None:
    return st.session_state.get(UNIT_KEY)


def set_unit_code(code: str) -> None:
    st.session_state[UNIT_KEY] = code


def send_to_simulator(scenario: Scenario) -> None:
    """Hand a scenario (e.g. a plan) to the simulator and open it."""
    st.session_state[PENDING_SCENARIO] = scenario
    st.switch_page(SIMULATE_PAGE)


def saved_scenarios() -> dict[str, Scenario]:
    return st.session_state.setdefault(SCENARIOS, {})


def remembered(key: str, options: list | None = None, default=None, shadow: str | None = None):
    """Give the widget ``key`` back its last value, kept in a ``shadow`` entry of the session state (by
    default a private one): Streamlit forgets a widget's state after a run that does not draw it (a closed
    lazy tab, another page). ``options``: the values the widget accepts (None: any, e.g. a typed answer).
    Call before drawing the widget; returns the ``on_change`` that keeps the shadow up to date."""
    ss = st.session_state
    shadow = shadow or f"_kept_{key}"
    value = ss.get(shadow, ss.get(key, default))
    if options is not None and value not in options:
        value = default if default in options else options[0]
    if value is not None:
        ss[key] = ss[shadow] = value
    return lambda: ss.__setitem__(shadow, ss[key])


def bound_selectbox(where, label: str, options: list, state_key: str, **kw):
    """A selectbox whose value lives in ``state_key``, where the rest of the app reads it: survives page
    switches (widget ids are per page)."""
    widget_key = f"_w_{state_key}"
    return where.selectbox(label, options, key=widget_key,
                           on_change=remembered(widget_key, options, shadow=state_key), **kw)
