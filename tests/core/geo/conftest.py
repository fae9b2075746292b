"""Shared helpers for the boundary tests; no Django needed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from landmosaic.core.geo import BoundaryError, BoundaryLimits, parse_boundary_file


@pytest.fixture
def refused() -> Callable[..., BoundaryError]:
    """Parse a file that must be refused with `code`; returns the error for more checks."""

    def check(code: str, data: bytes, filename: str, **limits: Any) -> BoundaryError:
        with pytest.raises(BoundaryError) as info:
            parse_boundary_file(data=data, filename=filename, limits=BoundaryLimits(**limits))
        assert info.value.code == code, info.value.message
        assert info.value.message  # every refusal renders to text
        return info.value

    return check
