from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

InterventionKind = Literal["rate", "protect", "restore", "agroforestry", "expand_settlement"]
ClassRoleCode = Literal["natural", "farmed", "built", "water", "other"]


class MapRef(Schema):
    dataset_id: int
    version: int
    title: str
    year: int


class LegendEntry(Schema):
    code: int = Field(ge=0, le=65535)
    name: str = Field(min_length=1, max_length=80)
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$", description="#rrggbb")
    role: ClassRoleCode = Field(
        description="natural vegetation, farmed, built-up, water, other: restoration is to natural"
    )


class PoolRow(Schema):
    lucode: int
    c_above: float
    c_below: float
    c_soil: float
    c_dead: float


class CoefficientRow(Schema):
    lucode: int
    water: float = 0
    income: float = 0


class ScenarioRef(Schema):
    id: int
    name: str
    kind: str
    url: str


class DriverIn(Schema):
    dataset_id: int = Field(description="A raster of measured values of the landscape (distance, slope…)")
    weight: float = Field(description="Above 0 and at most 10; the neighbourhood weighs 1")
    effect: Literal["attracts", "repels"] = Field(
        description="attracts: change happens where values are high; repels: where they are low"
    )


class DriverAddIn(Schema):
    kind: Literal["raster", "distance", "slope"] = Field(
        "raster",
        description="raster: dataset_id is a raster of measured values used as it is; distance: dataset_id "
        "is a map layer (roads, rivers, settlements) and the driver is the distance in metres to its "
        "nearest feature; slope: dataset_id is an elevation raster (metres) and the driver is its slope in "
        "degrees. Distances and slopes are computed on the set's grid and stored as a new raster dataset.",
    )
    dataset_id: int = Field(description="The dataset of the landscape the driver is read or computed from")
    weight: float = Field(description="Above 0 and at most 10; the neighbourhood weighs 1")
    effect: Literal["attracts", "repels"] = Field(
        description="attracts: change happens where values are high (far, steep); repels: where they are "
        "low (near the features, on gentle slopes)"
    )


class DriverOut(DriverIn):
    version: int
    title: str


class NoChangeIn(Schema):
    classes: list[int] = Field(default_factory=list, description="Class codes that never change")
    zone_dataset_id: int | None = Field(None, description="A map layer whose polygons never change")


class NoChangeOut(Schema):
    classes: list[int]
    zone_dataset_id: int | None
    zone_title: str | None


class ReportZonesIn(Schema):
    zone_dataset_id: int | None = Field(None, description="A map layer whose polygons results follow")


class ReportZonesOut(Schema):
    zone_dataset_id: int | None
    title: str | None
    names: list[str]


class ScenarioSetOut(Schema):
    id: int
    landscape: str
    title: str
    description: str
    first_map: MapRef | None
    second_map: MapRef | None
    horizon_years: int
    final_year: int
    seed: int
    currency: str
    carbon_price: float = Field(description="Per Mg of carbon, in the currency")
    discount_rate: float = Field(description="% per year")
    price_change: float = Field(description="% per year")
    legend: list[LegendEntry]
    carbon_pools: list[PoolRow] = Field(description="InVEST columns, Mg C per hectare")
    coefficients: list[CoefficientRow] = Field(description="Indicative water and income per hectare and year")
    drivers: list[DriverOut]
    no_change: NoChangeOut
    report_zones: ReportZonesOut
    warnings: list[str]
    annual_change: dict[str, Any] | None = Field(
        description="The annual transition matrix kept after the first run: classes, matrix, method, residual"
    )
    scenarios: list[ScenarioRef]
    allowed_actions: list[str]
    url: str
    created_at: datetime
    updated_at: datetime


class ScenarioSetIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    first_dataset_id: int = Field(description="A raster dataset of the landscape: the earlier land-cover map")
    first_year: int
    second_dataset_id: int = Field(description="A raster dataset of the landscape: the later land-cover map")
    second_year: int
    horizon_years: int = 20
    legend: str = Field(
        "auto",
        description="The product whose names, colours and kinds of land the legend starts from: auto "
        "(ESA WorldCover when every code is one of its), worldcover, esri_lulc (Esri / Impact Observatory "
        "10-class LULC), dynamic_world (Google Dynamic World) or custom (numbered classes)",
    )


class ScenarioSetPatch(Schema):
    title: str | None = None
    description: str | None = None
    first_year: int | None = None
    second_year: int | None = None
    horizon_years: int | None = None
    seed: int | None = None
    currency: str | None = None
    carbon_price: float | None = None
    discount_rate: float | None = None
    price_change: float | None = None
    legend: list[LegendEntry] | None = None
    carbon_pools: list[PoolRow] | None = None
    coefficients: list[CoefficientRow] | None = None


class InterventionIn(Schema):
    kind: InterventionKind
    start_year: int | None = Field(None, description="Default: the first projected year")
    end_year: int | None = None
    from_class: int | None = None
    to_class: int | None = None
    percent: float | None = Field(
        None, description="rate and expand_settlement: pace in % of business as usual (50 halves it)"
    )
    hectares_per_year: float | None = Field(None, description="restore and agroforestry")
    zone: dict[str, Any] | None = Field(
        None, description="GeoJSON Polygon or MultiPolygon in longitude/latitude"
    )
    zone_dataset_id: int | None = Field(
        None, description="Or a vector dataset of the landscape (its polygons)"
    )


class InterventionOut(Schema):
    kind: InterventionKind
    start_year: int
    end_year: int | None
    from_class: int | None
    to_class: int | None
    multiplier: float | None
    hectares_per_year: float | None
    zone: dict[str, Any] | None
    zone_source: dict[str, Any] | None
    description: str


class RunRef(Schema):
    id: int
    status: str
    created_at: datetime
    url: str


class ScenarioOut(Schema):
    id: int
    scenario_set_id: int
    name: str
    description: str
    kind: Literal["bau", "alternative"]
    interventions: list[InterventionOut]
    runs: list[RunRef]
    allowed_actions: list[str]
    url: str


class ScenarioIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    description: str = ""
    interventions: list[InterventionIn] = []


class ScenarioPatch(Schema):
    name: str | None = None
    description: str | None = None
    interventions: list[InterventionIn] | None = None


class RunStartIn(Schema):
    force: bool = Field(False, description="Compute again even if a run of the same inputs has results")


class JobRef(Schema):
    id: str
    status: str
    url: str


class DatasetRef(Schema):
    id: int
    title: str
    url: str


class RunOut(Schema):
    id: int
    scenario_id: int
    status: Literal["queued", "running", "succeeded", "failed", "cancelled"]
    progress: int
    message: str
    error: str
    base_year: int
    final_year: int
    job: JobRef | None
    indicators: dict[str, Any] | None = Field(
        description="Per year (years[i]): area_ha by class code, carbon_mg, carbon_value, restored_ha and "
        "degraded_ha (cumulative), water, income; transitions per projected year as [from, to, cells]"
    )
    warnings: list[str]
    landcover_dataset: DatasetRef | None = Field(description="One version per projected year (v1 = base + 1)")
    table_dataset: DatasetRef | None
    allowed_actions: list[str]
    url: str
    created_at: datetime
    finished_at: datetime | None


class RunAccepted(Schema):
    run: RunOut


class HindcastIn(Schema):
    later_dataset_id: int = Field(
        description="A third land-cover map of the landscape (same classes), observed after the set's second"
    )
    later_year: int = Field(description="The year that map shows, after the set's second year")


class MapComparisonOut(Schema):
    hits: int = Field(description="Cells observed to change that the map being checked changes to that class")
    misses: int = Field(description="Cells observed to change that it leaves unchanged")
    wrong_hits: int = Field(description="Cells observed to change that it changes to another class")
    false_alarms: int = Field(description="Cells observed not to change that it changes")
    figure_of_merit: float | None = Field(
        description="hits / (hits + misses + wrong hits + false alarms), 0 to 1; null when no map has change"
    )
    quantity_disagreement: float = Field(description="Share of cells, from wrong amounts of each class")
    allocation_disagreement: float = Field(description="Share of cells, from right amounts in wrong places")


class HindcastDriverOut(Schema):
    title: str
    weight: float
    effect: Literal["attracts", "repels"]


class HindcastClassOut(Schema):
    code: int
    name: str


class HindcastInputsOut(Schema):
    drivers: list[HindcastDriverOut]
    no_change_classes: list[HindcastClassOut]
    no_change_zone: str | None = Field(description="Title of the map layer whose polygons never changed")
    no_change_cells: int
    window: int = Field(description="Side of the square neighbourhood, in cells")


class HindcastOut(Schema):
    id: int
    scenario_set_id: int
    status: Literal["queued", "running", "succeeded", "failed", "cancelled"]
    progress: int
    message: str
    error: str
    later_map: MapRef | None = Field(description="The observed later map (null once deleted from the data)")
    calibration_years: list[int] = Field(description="The set's two years the model learned from")
    job: JobRef | None
    model: MapComparisonOut | None = Field(description="The model's projection against the later map")
    null_model: MapComparisonOut | None = Field(
        description="The no-change model (the second map as it is) against the later map: the bar to beat"
    )
    matrix_method: str | None = Field(description="How the annual transition matrix was found")
    inputs: HindcastInputsOut | None = Field(
        description="What the model used: the set's drivers and land that never changes at the time"
    )
    url: str
    created_at: datetime
    finished_at: datetime | None


class HindcastAccepted(Schema):
    hindcast: HindcastOut
