"""A partly filled ILM dashboard for the Kilombero Valley, so a newcomer sees what the plan is for.

Everything goes through the planning services as the demo editor and manager would do it by hand:
stakeholders with relations and a visible inclusion gap (no youth organisation; the influential tea
estate is only consulted), a draft agreement with signatories, an agreed vision with three zones drawn
inside the valley, goals for each return, SMART objectives, strategies and actions (one overdue) and
indicators with measurements. Dates of past events are relative to today so the demo never ages into
"everything overdue" or "measurements in the future".
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from shapely.geometry import shape

from landmosaic.accounts.models import Organisation
from landmosaic.datasets import selectors as dataset_selectors
from landmosaic.landscapes.demo import DemoContext, irregular_polygon, register_demo_step

from . import services
from .models import Goal, Objective, Sector, StakeholderRelation, Zone, ZoneKind

#: (name, sector, type, influence, interest, participation, represents, platform organisation name)
STAKEHOLDERS = [
    ("Kilombero Farmers Association", Sector.COMMUNITY, "Farmer group", 3, 5, "collaborate",
     ["smallholders", "women"], "Kilombero Farmers Association"),
    ("Valley Water Basin Office", Sector.PUBLIC, "Government agency", 5, 4, "involve", [],
     "Valley Water Basin Office"),
    ("Green Corridors Trust", Sector.CIVIL_SOCIETY, "NGO", 3, 5, "empower", [], "Green Corridors Trust"),
    ("Highland Tea Estates", Sector.PRIVATE, "Company", 4, 2, "consult", [], "Highland Tea Estates"),
    ("Ifakara Women Fish Traders", Sector.COMMUNITY, "Cooperative", 2, 4, "involve",
     ["women", "marginalised"], None),
    ("Kilombero District Council", Sector.PUBLIC, "Local government", 5, 3, "inform", [], None),
    ("Ifakara Health Institute", Sector.RESEARCH, "Research institute", 2, 3, "consult", [], None),
]  # fmt: skip
RELATIONS = [
    ("Green Corridors Trust", "Kilombero Farmers Association", StakeholderRelation.Kind.COLLABORATES),
    ("Valley Water Basin Office", "Highland Tea Estates", StakeholderRelation.Kind.REGULATES),
    ("Highland Tea Estates", "Kilombero Farmers Association", StakeholderRelation.Kind.CONFLICTS),
    ("Green Corridors Trust", "Ifakara Women Fish Traders", StakeholderRelation.Kind.FUNDS),
    ("Kilombero District Council", "Valley Water Basin Office", StakeholderRelation.Kind.COLLABORATES),
]
AGREEMENT = {
    "values": "Equity between upstream and downstream users; decisions informed by evidence; "
    "respect for customary land rights.",
    "governance": "A steering committee of nine partners elected for two years, with a rotating chair, "
    "and three working groups: water, forests and corridors, livelihoods.",
    "roles": "The Green Corridors Trust hosts the secretariat; the Basin Office chairs the water group; "
    "the Farmers Association chairs the livelihoods group.",
    "decision_making": "Consensus; when consensus fails after two meetings, a two-thirds majority of the "
    "steering committee.",
    "information_sharing": "Minutes and data are shared on the Landmosaic platform within two weeks.",
}
#: (name, kind, centre longitude, centre latitude, radius in km): all well inside the 55 km valley.
ZONES = [
    ("Kilombero wetland core", ZoneKind.NATURAL, 36.62, -8.42, 14),
    ("Mngeta rice and agroforestry belt", ZoneKind.COMBINED, 36.30, -8.22, 12),
    ("Ifakara town and sugar mills", ZoneKind.ECONOMIC, 36.78, -8.18, 7),
]
SURVEY = "Tree planting survey"
VISION = (
    "By 2045 the Kilombero Valley is a living floodplain where wildlife moves freely between the "
    "Udzungwa and Selous, farms produce more rice with less water, and every village earns a fair "
    "income from the land."
)


@register_demo_step(name="planning", order=30)
def load_demo_planning(context: DemoContext) -> None:
    """Fill the valley's dashboard part of the way: enough to show each element at work."""
    valley, editor, manager = context.valley, context.editor, context.manager
    today = timezone.localdate()
    organisations = {o.name: o for o in valley.partnership.organisations.all()}

    by_name = {}
    for name, sector, kind, influence, interest, level, groups, organisation in STAKEHOLDERS:
        by_name[name] = services.stakeholder_create(
            actor=editor,
            landscape=valley,
            name=name,
            sector=sector,
            type=kind,
            influence=influence,
            interest=interest,
            participation=level,
            represents=groups,
            organisation_id=organisations[organisation].pk if organisation else None,
        )
    for source, target, kind in RELATIONS:
        services.relation_create(
            actor=editor,
            landscape=valley,
            source_id=by_name[source].pk,
            target_id=by_name[target].pk,
            kind=kind,
        )

    services.agreement_version_create(
        actor=editor,
        landscape=valley,
        based_on=None,
        change_note="First draft from the March workshop",
        start_date=dt.date(today.year, 1, 1),
        review_date=dt.date(today.year + 2, 1, 1),
        **AGREEMENT,
    )
    for name in ("Green Corridors Trust", "Valley Water Basin Office", "Kilombero Farmers Association"):
        services.signatory_add(actor=editor, landscape=valley, organisation_id=organisations[name].pk)

    services.vision_save(actor=editor, landscape=valley, statement=VISION, horizon_year=2045)
    services.vision_agree(actor=manager, landscape=valley)
    zones = {}
    for name, kind, lon, lat, radius in ZONES:
        area = irregular_polygon(lon=lon, lat=lat, radius_km=radius, vertices=24)
        if not shape(valley.boundary_geojson).contains(shape(area)):
            raise RuntimeError(f"demo zone {name} is not inside the valley")
        zones[kind] = services.zone_save(actor=editor, landscape=valley, name=name, kind=kind, geometry=area)
    _plan(context, zones, organisations, today)


def _plan(
    context: DemoContext, zones: dict[str, Zone], organisations: dict[str, Organisation], today: dt.date
) -> None:
    valley, editor = context.valley, context.editor
    nature = services.goal_save(
        actor=editor,
        landscape=valley,
        title="Restore the wetland and the wildlife corridors",
        return_kind="natural",
        pillar="ecosystems",
        zone_ids=[zones[ZoneKind.NATURAL].pk],
    )
    income = services.goal_save(
        actor=editor,
        landscape=valley,
        title="Raise farm incomes with regenerative rice and agroforestry",
        return_kind="financial",
        pillar="production",
        zone_ids=[zones[ZoneKind.COMBINED].pk, zones[ZoneKind.ECONOMIC].pk],
    )
    services.goal_save(
        actor=editor,
        landscape=valley,
        title="Give every village a voice in water decisions",
        return_kind="social",
        pillar="governance",
    )
    forest = services.objective_save(
        actor=editor,
        landscape=valley,
        goal_id=nature.pk,
        what="Replant native trees along the Ruipa corridor",
        how_much=400,
        unit="ha",
        by_when=dt.date(2030, 12, 31),
        zone_id=zones[ZoneKind.NATURAL].pk,
    )
    rice = services.objective_save(
        actor=editor,
        landscape=valley,
        goal_id=income.pk,
        what="Farmers using system of rice intensification",
        how_much=3000,
        unit="farmers",
        by_when=dt.date(2029, 6, 30),
        where="Mngeta and Mofu wards",
        zone_id=zones[ZoneKind.COMBINED].pk,
    )
    nurseries = services.strategy_save(
        actor=editor, landscape=valley, objective_id=forest.pk, title="Village tree nurseries"
    )
    training = services.strategy_save(
        actor=editor, landscape=valley, objective_id=rice.pk, title="Farmer field schools"
    )
    lead = organisations["Green Corridors Trust"]
    farmers = organisations["Kilombero Farmers Association"]
    actions = [
        (nurseries, "Set up five village nurseries", lead, [farmers], 18_000, -400, -200, "done",
         {"type": "Point", "coordinates": [36.60, -8.40]}),
        (nurseries, "Plant the first 120 ha of the corridor", lead, [], 42_000, -150, -20, "in_progress",
         zones[ZoneKind.NATURAL].geometry),
        (training, "Train 40 lead farmers in rice intensification", farmers, [lead], 25_000, -60, 120,
         "in_progress", None),
        (training, "Build two demonstration plots", farmers, [], None, 30, 200, "planned",
         {"type": "Point", "coordinates": [36.31, -8.21]}),
    ]  # fmt: skip
    for strategy, title, organisation, partners, budget, start, end, status, location in actions:
        services.action_save(
            actor=editor,
            landscape=valley,
            strategy_id=strategy.pk,
            title=title,
            lead_organisation_id=organisation.pk,
            partner_ids=[p.pk for p in partners],
            budget=budget,
            currency="TZS" if budget else "",
            start_date=today + dt.timedelta(days=start),
            end_date=today + dt.timedelta(days=end),
            status=status,
            location=location,
        )
    _indicators(context, forest, rice, nature, today)


def _indicators(
    context: DemoContext, forest: Objective, rice: Objective, nature: Goal, today: dt.date
) -> None:
    valley, editor, member = context.valley, context.editor, context.people["member@demo.landmosaic.org"]
    baseline = today - dt.timedelta(days=3 * 365)
    target = dt.date(2030, 12, 31)
    common = {"baseline_date": baseline, "target_date": target, "measured_by": "Green Corridors Trust"}
    planted = services.indicator_save(
        actor=editor,
        landscape=valley,
        objective_id=forest.pk,
        name="Area of corridor replanted",
        unit="ha",
        baseline_value=0,
        target_value=400,
        direction="increase",
        frequency="yearly",
        method="Plots mapped with a GPS at planting, checked from imagery each dry season.",
        **common,
    )
    adopters = services.indicator_save(
        actor=editor,
        landscape=valley,
        objective_id=rice.pk,
        name="Farmers practising rice intensification",
        unit="farmers",
        baseline_value=250,
        target_value=3000,
        direction="increase",
        frequency="yearly",
        method="Count from the field schools' attendance and follow-up visits.",
        **common,
    )
    services.indicator_save(
        actor=editor,
        landscape=valley,
        goal_id=nature.pk,
        name="Dry-season flow at Swero gauge",
        unit="m3/s",
        baseline_value=12.5,
        target_value=12.5,
        direction="increase",
        frequency="yearly",
        method="Basin Office gauge readings, mean of October.",
        **common,
    )
    _computed(context, forest, today)
    for indicator, values in ((planted, (35, 120)), (adopters, (600, 1100))):
        for years_ago, value in zip((2, 1), values, strict=True):
            services.measurement_add(
                actor=member,
                indicator=indicator,
                value=value,
                date=today - dt.timedelta(days=years_ago * 365),
                source="Partnership annual report",
                confidence="medium",
            )


def _computed(context: DemoContext, forest: Objective, today: dt.date) -> None:
    """An indicator computed from the field form's records (the tree planting survey's dataset)."""
    valley, editor = context.valley, context.editor
    survey = next(
        (d for d in dataset_selectors.dataset_list(actor=editor, landscape=valley) if d.title == SURVEY),
        None,
    )
    if survey is None:  # the field data demo step did not run
        return
    records = services.indicator_save(
        actor=editor,
        landscape=valley,
        objective_id=forest.pk,
        name="Planting days recorded by the nursery groups",
        unit="records",
        direction="increase",
        frequency="monthly",
        method="Counted from the tree planting survey's records in the data commons.",
        measured_by="Mngeta nursery group",
    )
    services.computed_source_save(actor=editor, indicator=records, dataset_id=survey.pk, operation="count")
    services.measurement_compute_run(actor=editor, indicator=records, date=today)
