"""Học chỉ số, the training guide, generated from the rulebook.

``text`` holds the lessons, ``calc`` the engine-backed calculations behind the live curves,
``examples`` the worked examples picked from the loaded data, ``exercises`` the questions with their
answer key, and ``cheatsheet`` the one-page sheet to print.
"""
