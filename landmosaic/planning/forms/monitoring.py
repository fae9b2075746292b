from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    ComputedSource,
    Confidence,
    Direction,
    Frequency,
    Goal,
    Indicator,
    LibraryIndicator,
    Measurement,
    Objective,
)
from ._widgets import DateInput, LocationMixin, date_field

INDICATOR_FIELDS = (
    "name",
    "unit",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "direction",
    "frequency",
    "method",
    "measured_by",
    "weight",
)


def _targets(landscape) -> list[tuple[str, str]]:
    """Goals and objectives an indicator can be attached to: "goal:ID" / "objective:ID"."""
    choices: list[tuple[str, str]] = []
    objectives: dict[int, list[Objective]] = {}
    for objective in Objective.objects.filter(landscape=landscape).order_by("sort", "pk"):
        objectives.setdefault(objective.goal_id, []).append(objective)
    for goal in Goal.objects.filter(landscape=landscape).order_by("sort", "pk"):
        choices.append((f"goal:{goal.pk}", str(_("Goal: %(title)s") % {"title": goal.title})))
        choices.extend(
            (f"objective:{o.pk}", "— " + str(_("Objective: %(what)s") % {"what": o.what}))
            for o in objectives.get(goal.pk, [])
        )
    return choices


class IndicatorForm(LocationMixin, forms.Form):
    attached_to = forms.ChoiceField(label=_("Measures progress of"))
    library_code = forms.ChoiceField(
        label=_("Start from the library (optional)"),
        required=False,
        help_text=_("Fills in the name, unit, method, direction and frequency you leave empty."),
    )
    name = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
    baseline_value = forms.FloatField(label=_("Baseline value"), required=False)
    baseline_date = date_field(_("Baseline date"))
    target_value = forms.FloatField(label=_("Target value"), required=False)
    target_date = date_field(_("Target date"))
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("", "—"), *Direction.choices], required=False
    )
    frequency = forms.ChoiceField(
        label=_("Frequency"), choices=[("", "—"), *Frequency.choices], required=False
    )
    method = forms.CharField(
        label=_("Method"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    measured_by = forms.CharField(label=_("Who measures"), required=False, max_length=200)
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("How much it counts in its objective's progress (1 to 10)."),
    )

    def __init__(self, *args, landscape=None, editing: bool = False, location=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attached_to"].choices = _targets(landscape)
        self.add_location_fields(location)
        if editing:
            del self.fields["library_code"]
        else:
            self.fields["library_code"].choices = [("", "—")] + [
                (i.code, f"{i.get_pillar_display()} · {i.localized('name')}")
                for i in LibraryIndicator.objects.all()
            ]

    def clean(self):
        data = super().clean()
        self.check_location(data)
        return data

    @classmethod
    def initial_for(cls, indicator: Indicator) -> dict:
        initial = {f: getattr(indicator, f) for f in INDICATOR_FIELDS}
        initial["attached_to"] = (
            f"objective:{indicator.objective_id}" if indicator.objective_id else f"goal:{indicator.goal_id}"
        )
        return initial

    def service_kwargs(self, *, editing: bool = False) -> dict:
        """Everything when editing (so fields can be emptied); only what is given for a new indicator,
        so that the library fills in the rest."""
        data = dict(self.cleaned_data)
        data["geometry"] = self.location_value()
        for field in ("longitude", "latitude", "area"):
            data.pop(field, None)
        kind, _sep, pk = data.pop("attached_to").partition(":")
        values = {k: v for k, v in data.items() if editing or v not in ("", None)}
        values["goal_id"] = int(pk) if kind == "goal" else None
        values["objective_id"] = int(pk) if kind == "objective" else None
        return values


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["value", "date", "source", "confidence"]
        widgets = {"date": DateInput}
        help_texts = {"source": _("Where the value comes from: a survey, a report, a dataset.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confidence"].initial = Confidence.MEDIUM


class ComputedSourceForm(forms.Form):
    """Where an indicator's measurements are computed from: a dataset of the commons and a figure."""

    dataset = forms.TypedChoiceField(label=_("Dataset"), coerce=int)
    operation = forms.ChoiceField(label=_("Figure"), choices=ComputedSource.Operation.choices)
    column = forms.CharField(
        label=_("Column"),
        required=False,
        max_length=200,
        help_text=_("The numeric column to add up, average or read (not needed to count records)."),
    )
    date_column = forms.CharField(
        label=_("Date column"),
        required=False,
        max_length=200,
        help_text=_("Only rows whose date is in the range below (optional)."),
    )
    date_from = date_field(_("From"))
    date_to = date_field(_("To"))
    match_column = forms.CharField(
        label=_("Row where the column"), required=False, max_length=200, help_text=_("Such as “year”.")
    )
    match_value = forms.FloatField(label=_("equals"), required=False, help_text=_("Such as 2035."))

    def __init__(self, *args, datasets=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for d in datasets:
            columns = []
            if d.numeric_columns:
                columns.append(str(_("numbers: %(columns)s") % {"columns": ", ".join(d.numeric_columns)}))
            if d.date_columns:
                columns.append(str(_("dates: %(columns)s") % {"columns": ", ".join(d.date_columns)}))
            choices.append((d.pk, f"{d.title} ({'; '.join(columns)})" if columns else d.title))
        self.fields["dataset"].choices = choices

    @classmethod
    def initial_for(cls, source: ComputedSource | None) -> dict:
        if source is None:
            return {}
        fields = ("operation", "column", "date_column", "date_from", "date_to", "match_column", "match_value")
        return {"dataset": source.dataset_id, **{f: getattr(source, f) for f in fields}}

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["dataset_id"] = data.pop("dataset")
        return data


class ComputeForm(forms.Form):
    date = date_field(
        _("Date of the measurement"), help_text=_("Empty: the end of the date range, or today.")
    )
