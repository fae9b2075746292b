"""Spreadsheet formula injection: cells that Excel or LibreOffice would run as formulas.

OWASP's rule: a cell starting with = + - @, a tab or a carriage return gets a leading single quote,
which spreadsheets show as text. Only text columns are touched; numbers stay numbers.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    return f"'{value}" if value.startswith(TRIGGERS) else value


def neutralise_all(values: list[str]) -> list[str]:
    return [f"'{v}" if v.startswith(TRIGGERS) else v for v in values]
