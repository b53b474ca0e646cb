"""Reports for meetings and the command line (no Streamlit here): Excel workbooks, the one-page print
summary and the long-format score rows. Import from the module that holds what you need, so that the CLI's
``score`` does not load openpyxl, Jinja2 or the planner:

- ``meta``: ``ExportMeta``, what every export names (rulebook version, source, period, synthetic data).
- ``unit_report``: ``UnitReport`` / ``UnitScenario``, one unit's baseline and scenarios, and its group rows.
- ``workbook``: sheet helpers shared by the workbooks; ``safe_text`` neutralises formula injection.
- ``unit_workbook``, ``policy_workbook``, ``plans_workbook``: one Excel workbook each.
- ``summary``: the printable page, rendered from ``templates/unit_summary.html.j2`` (autoescaped).
- ``scores``: score rows per unit × indicator, fidelity against published points, CSV text.
"""
