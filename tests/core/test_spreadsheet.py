"""The one rule against spreadsheet formula injection, used by every CSV/XLSX export."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from landmosaic.core.spreadsheet import neutralise, restore


@pytest.mark.parametrize(
    "cell,expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r\n=1", "'\r\n=1"),
        ("-5", "-5"),
        ("-8.1234", "-8.1234"),
        ("+3", "+3"),
        ("-inf", "'-inf"),
        ("plain text", "plain text"),
        (None, ""),
        (12, "12"),
    ],
)
def test_formulas_are_quoted_and_numbers_kept(cell, expected):
    assert neutralise(cell) == expected


@given(st.text(max_size=30))
def test_restore_undoes_neutralise_and_results_never_start_a_formula(text):
    safe = neutralise(text)
    assert restore(safe) == text
    if safe.startswith(("=", "@", "\t", "\r", "\n")):
        pytest.fail(f"{safe!r} would run as a formula")
