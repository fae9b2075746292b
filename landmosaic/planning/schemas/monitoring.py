from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

DirectionCode = Literal["increase", "decrease"]
FrequencyCode = Literal["monthly", "quarterly", "yearly", "every_2_years", "every_5_years"]
ConfidenceCode = Literal["low", "medium", "high"]
GEOMETRY = Field(
    None, description="Where it is measured: GeoJSON Point, Polygon or MultiPolygon; null for none"
)


class LibraryOut(Schema):
    code: str
    name: str
    description: str
    unit: str
    method: str
    direction: str
    frequency: str
    pillar: str
    return_kind: str


class LatestOut(Schema):
    value: float
    date: datetime.date


class IndicatorOut(Schema):
    id: int
    goal_id: int | None
    objective_id: int | None
    return_kind: str = Field(description="The return of the goal it serves")
    library_code: str
    name: str
    unit: str
    baseline_value: float | None
    baseline_date: datetime.date | None
    target_value: float | None
    target_date: datetime.date | None
    direction: str
    frequency: str
    method: str
    measured_by: str
    weight: int
    geometry: dict[str, Any] | None = Field(description="Where it is measured (GeoJSON), if somewhere")
    latest: LatestOut | None
    progress: float | None = Field(description="clip((latest - baseline) / (target - baseline), 0, 1)")
    url: str


class IndicatorIn(Schema):
    goal_id: int | None = Field(None, description="Give a goal or an objective, not both")
    objective_id: int | None = None
    library_code: str = Field("", max_length=40, description="Fills in what is not given from the library")
    name: str = Field("", max_length=300)
    unit: str = Field("", max_length=50)
    baseline_value: float | None = None
    baseline_date: datetime.date | None = None
    target_value: float | None = None
    target_date: datetime.date | None = None
    direction: DirectionCode | None = None
    frequency: FrequencyCode | None = None
    method: str = Field("", max_length=5000)
    measured_by: str = Field("", max_length=200)
    weight: int = Field(1, ge=1, le=10)
    geometry: dict[str, Any] | None = GEOMETRY


class IndicatorPatch(Schema):
    goal_id: int | None = None
    objective_id: int | None = None
    name: str | None = Field(None, min_length=1, max_length=300)
    unit: str | None = Field(None, min_length=1, max_length=50)
    baseline_value: float | None = None
    baseline_date: datetime.date | None = None
    target_value: float | None = None
    target_date: datetime.date | None = None
    direction: DirectionCode | None = None
    frequency: FrequencyCode | None = None
    method: str | None = Field(None, max_length=5000)
    measured_by: str | None = Field(None, max_length=200)
    weight: int | None = Field(None, ge=1, le=10)
    geometry: dict[str, Any] | None = GEOMETRY


class MeasurementOut(Schema):
    id: int
    indicator_id: int
    value: float
    date: datetime.date
    source: str
    confidence: str
    recorded_by: str | None = Field(description="Shown to those who may see the landscape's members")
    created_at: datetime.datetime


class MeasurementIn(Schema):
    value: float
    date: datetime.date
    source: str = Field("", max_length=300)
    confidence: ConfidenceCode = "medium"
    unit: str | None = Field(None, max_length=50, description="If given, it must be the indicator's unit")


class ReturnOut(Schema):
    code: str
    label: str
    progress: float | None
    measured: int
    indicators: int


class ObjectiveProgressOut(Schema):
    id: int
    what: str
    progress: float | None = Field(description="Weighted mean of its measured indicators")
    measured: int
    indicators: int


class GoalProgressOut(Schema):
    id: int
    title: str
    return_kind: str
    pillar: str
    progress: float | None = Field(description="Weighted mean of the goal's own measured indicators")
    objectives: list[ObjectiveProgressOut]


class ResultsOut(Schema):
    returns: list[ReturnOut] = Field(description="The four returns side by side; never summed")
    goals: list[GoalProgressOut]


OperationCode = Literal["count", "sum", "mean", "value"]


class ComputedSourceIn(Schema):
    dataset_id: int = Field(description="A table or vector dataset (a field form's records too) you can see")
    operation: OperationCode = Field(
        description="count of rows, sum or mean of a numeric column, or value of a column in one row"
    )
    column: str = Field("", max_length=200, description="The numeric column (not for count)")
    date_column: str = Field("", max_length=200, description="Keep only rows whose date is in the range")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    match_column: str = Field("", max_length=200, description="For value: the column that picks the row")
    match_value: float | None = Field(None, description="For value: such as the year 2035")


class ComputedSourceOut(ComputedSourceIn):
    dataset_title: str | None = Field(description="None when the caller may not see the dataset")


class ComputeIn(Schema):
    date: datetime.date | None = Field(None, description="Default: the end of the date range, or today")


class ComputeJob(Schema):
    id: str
    status: str
    url: str


class ComputeAccepted(Schema):
    job: ComputeJob
