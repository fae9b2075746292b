"""REST endpoints of the planning app under /api/v1/landscapes/{slug}/…: the ILM dashboard, the
stakeholder register, and the plan (agreement, vision and strategy, action plan, monitoring)."""

from . import actions, agreement, dashboard, monitoring, report, strategy
from ._router import router

__all__ = ["actions", "agreement", "dashboard", "monitoring", "report", "router", "strategy"]
