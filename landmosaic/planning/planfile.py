"""The landscape plan as a JSON document (format ``landmosaic-plan``, version 1).

Stable keys, documented in README.md ("Plan exports"): a key is never renamed or removed within a format
version; new keys may be added. Ids are the platform's ids, so the parts cross-reference each other
(``goal_id``, ``objective_id`` …). Dates are ISO 8601, amounts are strings (exact decimals).
"""

from __future__ import annotations

from typing import Any

from .selectors.report import PlanDocument

FORMAT = "landmosaic-plan"
FORMAT_VERSION = 1


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _organisation(org: Any) -> dict[str, Any] | None:
    return {"id": org.pk, "name": org.name} if org is not None else None


def plan_json(doc: PlanDocument) -> dict[str, Any]:
    """The whole plan the caller may see, as plain JSON-ready data."""
    vision = doc.vision
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": doc.generated_at.isoformat(),
        "landscape": {"slug": doc.landscape.slug, "name": doc.landscape.name},
        "budgets_included": doc.show_budget,
        "vision": None
        if vision is None
        else {
            "statement": vision.statement,
            "horizon_year": vision.horizon_year,
            "agreed": vision.agreed,
            "agreed_at": vision.agreed_at.isoformat() if vision.agreed_at else None,
        },
        "zones": [
            {
                "id": z.pk,
                "name": z.name,
                "kind": z.kind,
                "description": z.description,
                "area_ha": round(z.area_ha, 2),
                "geometry": z.geometry,
            }
            for z in doc.zones
        ],
        "goals": [
            {
                "id": g.pk,
                "title": g.title,
                "description": g.description,
                "return": g.return_kind,
                "pillar": g.pillar,
                "zone_ids": sorted(z.pk for z in g.zones.all()),
            }
            for g in doc.goals
        ],
        "objectives": [
            {
                "id": o.pk,
                "goal_id": o.goal_id,
                "what": o.what,
                "how_much": o.how_much,
                "unit": o.unit,
                "by_when": _date(o.by_when),
                "where": o.where,
                "zone_id": o.zone_id,
            }
            for o in doc.objectives
        ],
        "strategies": [
            {"id": s.pk, "objective_id": s.objective_id, "title": s.title, "description": s.description}
            for s in doc.strategies
        ],
        "actions": [_action(a, doc) for a in doc.actions],
        "indicators": [_indicator(v, doc) for v in doc.indicators],
    }


def _action(action: Any, doc: PlanDocument) -> dict[str, Any]:
    return {
        "id": action.pk,
        "strategy_id": action.strategy_id,
        "title": action.title,
        "description": action.description,
        "lead_organisation": _organisation(action.lead_organisation),
        "partners": [_organisation(p) for p in sorted(action.partners.all(), key=lambda p: p.pk)],
        "budget": str(action.budget) if doc.show_budget and action.budget is not None else None,
        "currency": (action.currency or None) if doc.show_budget else None,
        "start_date": _date(action.start_date),
        "end_date": _date(action.end_date),
        "status": action.status,
        "overdue": action.overdue,
        "zone_id": action.zone_id,
        "location": action.location,
        "output": action.output.code if action.output_id else None,
    }


def _indicator(view: Any, doc: PlanDocument) -> dict[str, Any]:
    i = view.indicator
    return {
        "id": i.pk,
        "goal_id": i.goal_id,
        "objective_id": i.objective_id,
        "library_code": i.library_code or None,
        "name": i.name,
        "unit": i.unit,
        "direction": i.direction,
        "frequency": i.frequency,
        "method": i.method,
        "measured_by": i.measured_by,
        "weight": i.weight,
        "geometry": i.geometry,
        "baseline": {"value": i.baseline_value, "date": _date(i.baseline_date)},
        "target": {"value": i.target_value, "date": _date(i.target_date)},
        "progress": None if view.progress is None else round(view.progress, 4),
        "measurements": [
            {
                "id": m.pk,
                "date": _date(m.date),
                "value": m.value,
                "source": m.source,
                "confidence": m.confidence,
                "computed": m.computed,
            }
            for m in doc.measurements.get(i.pk, [])
        ],
    }
