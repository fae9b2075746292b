"""What every service module shares: limits read from settings, and the audit record."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from landmosaic.core.audit import audit_record

RUN_JOB = "scenarios.run"
HINDCAST_JOB = "scenarios.hindcast"


def max_years() -> int:
    """The longest projection allowed (setting ``SCENARIO_MAX_YEARS``, 100 by default)."""
    return settings.SCENARIO_MAX_YEARS


def max_cells() -> int:
    """The largest map a run accepts (setting ``SCENARIO_MAX_CELLS``): about 24 bytes a cell at peak."""
    return settings.SCENARIO_MAX_CELLS


def audit(actor: Any, action: str, obj: Any, landscape_id: int, summary: str, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=obj.permission_type,
        object_id=obj.pk,
        landscape_id=landscape_id,
        summary=summary,
        data=data,
    )
