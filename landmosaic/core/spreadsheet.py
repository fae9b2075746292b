"""Spreadsheet formula injection (DESIGN.md §4.5): the one rule every CSV/XLSX export follows.

A cell that Excel or LibreOffice would run as a formula (it starts with = + - @, a tab or a line
break) gets a leading single quote, which spreadsheets show as text. Plain numbers such as "-5"
are left alone: they are not formulas, and quoting them would turn data into text.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: object) -> str:
    """The cell's text, made inert for spreadsheets (None becomes an empty cell)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo ``neutralise``, so that an exported file imports back unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START) and not _is_number(text[1:]):
        return text[1:]
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip().lower() not in {"nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"}
