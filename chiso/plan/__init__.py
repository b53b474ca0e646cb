"""The planner: the smallest set of lever changes that reaches a target score.

``model`` is the exact integer model of the portal's rounding, ``solver`` solves it with scipy's milp
(HiGHS) and re-checks every plan with the engine, ``targets`` holds the target presets and ``setup``
the options the planner page offers.
"""
