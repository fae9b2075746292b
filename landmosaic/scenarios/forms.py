"""Forms of the scenario pages. They parse input only; the services check it against the set."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .legends import AUTO
from .models import ClassRole, ScenarioSet
from .tables import TableSpec

KIND_CHOICES = [
    ("protect", _("Protect a zone: no conversion inside it")),
    ("restore", _("Restore: convert degraded land to a natural class, hectares per year")),
    ("agroforestry", _("Agroforestry: convert farmland to agroforestry, hectares per year")),
    ("rate", _("Change a trend: a transition faster or slower than business as usual")),
    ("expand_settlement", _("Settlements: grow built-up land faster or slower")),
]
LEGEND_CHOICES = [
    (AUTO, _("Recognise it: ESA WorldCover when the codes are WorldCover's, else numbered classes")),
    ("worldcover", _("ESA WorldCover (codes 10 to 100)")),
    ("esri_lulc", _("Esri / Impact Observatory land use and land cover, 10 classes (codes 1 to 11)")),
    ("dynamic_world", _("Google Dynamic World (codes 0 to 8)")),
    ("custom", _("Numbered classes: name and colour them afterwards")),
]
TABLE_LABELS = {
    "c_above": _("Above ground"),
    "c_below": _("Below ground"),
    "c_soil": _("Soil"),
    "c_dead": _("Dead matter"),
    "water": _("Water"),
    "income": _("Income"),
}


class ScenarioSetCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    t0_dataset = forms.TypedChoiceField(label=_("First land-cover map"), coerce=int)
    t0_year = forms.IntegerField(label=_("Year of the first map"), min_value=1900, max_value=2200)
    t1_dataset = forms.TypedChoiceField(label=_("Second, later land-cover map"), coerce=int)
    t1_year = forms.IntegerField(label=_("Year of the second map"), min_value=1900, max_value=2200)
    horizon_years = forms.IntegerField(
        label=_("Years to project"),
        min_value=1,
        initial=20,
        help_text=_("Projections start from the second map; 20 years is the usual horizon."),
    )
    legend_product = forms.ChoiceField(
        label=_("Legend of the maps"),
        choices=LEGEND_CHOICES,
        initial=AUTO,
        required=False,
        help_text=_("The classes' names, colours and kinds of land to start from; all can be edited later."),
    )

    def clean_legend_product(self) -> str:
        return self.cleaned_data.get("legend_product") or AUTO

    def __init__(self, *args: Any, rasters: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose a raster dataset"))] + [
            (d.pk, f"{d.title} (v{d.current_version.number})") for d in rasters
        ]
        self.fields["t0_dataset"].choices = choices
        self.fields["t1_dataset"].choices = choices


class ScenarioSetEditForm(forms.ModelForm):
    class Meta:
        model = ScenarioSet
        fields = [
            "title",
            "description",
            "t0_year",
            "t1_year",
            "horizon_years",
            "seed",
            "currency",
            "carbon_price",
            "discount_rate",
            "price_change",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "seed": _("Runs with the same seed and inputs give exactly the same maps."),
            "carbon_price": _("Used to value carbon gained or lost, as InVEST does."),
        }


class LegendForm(forms.Form):
    """One row per class (name, colour, kind) and an empty row to add a class no map has yet."""

    def __init__(self, *args: Any, legend: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.codes = [int(e["code"]) for e in legend]
        for entry in legend:
            code = int(entry["code"])
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name of class %(code)s") % {"code": code}, max_length=80, initial=entry["name"]
            )
            self.fields[f"colour_{code}"] = forms.CharField(
                label=_("Colour of class %(code)s") % {"code": code},
                initial=entry["colour"],
                widget=forms.TextInput(attrs={"type": "color"}),
            )
            self.fields[f"role_{code}"] = forms.ChoiceField(
                label=_("Kind of land of class %(code)s") % {"code": code},
                choices=ClassRole.choices,
                initial=entry.get("role", ClassRole.OTHER),
            )
        self.fields["new_code"] = forms.IntegerField(
            label=_("Code of a new class"), required=False, min_value=0, max_value=65535
        )
        self.fields["new_name"] = forms.CharField(
            label=_("Name of the new class"), required=False, max_length=80
        )
        self.fields["new_colour"] = forms.CharField(
            label=_("Colour of the new class"),
            required=False,
            initial="#8c6d31",
            widget=forms.TextInput(attrs={"type": "color"}),
        )
        self.fields["new_role"] = forms.ChoiceField(
            label=_("Kind of land of the new class"), choices=ClassRole.choices, initial=ClassRole.NATURAL
        )

    def rows(self) -> list[dict[str, Any]]:
        """Legend rows for each class shown (per-row bound fields, for the template's table)."""
        return [
            {"code": c, "name": self[f"name_{c}"], "colour": self[f"colour_{c}"], "role": self[f"role_{c}"]}
            for c in self.codes
        ]

    def entries(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        entries = [
            {"code": c, "name": data[f"name_{c}"], "colour": data[f"colour_{c}"], "role": data[f"role_{c}"]}
            for c in self.codes
        ]
        if data.get("new_code") is not None or data.get("new_name"):
            entries.append(
                {
                    "code": data.get("new_code"),
                    "name": data.get("new_name"),
                    "colour": data.get("new_colour") or "#8c6d31",
                    "role": data.get("new_role"),
                }
            )
        return entries


class TableForm(forms.Form):
    """A per-class table as number inputs, one row per class of the legend."""

    def __init__(
        self, *args: Any, spec: TableSpec, rows: list[dict[str, Any]], names: dict[int, str], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.codes = sorted({int(r["lucode"]) for r in rows} | set(names))
        values = {int(r["lucode"]): r for r in rows}
        self.names = names
        for code in self.codes:
            for column in spec.columns[1:]:
                self.fields[f"{column}_{code}"] = forms.CharField(
                    label=f"{TABLE_LABELS[column]} — {names.get(code, code)}",
                    required=False,
                    initial=_plain(values.get(code, {}).get(column, "")),
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 7}),
                )

    def table_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "code": code,
                "name": self.names.get(code, ""),
                "cells": [self[f"{column}_{code}"] for column in self.spec.columns[1:]],
            }
            for code in self.codes
        ]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"lucode": code, **{c: self.cleaned_data.get(f"{c}_{code}", "") for c in self.spec.columns[1:]}}
            for code in self.codes
        ]


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class TableImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Row 1 names the columns; the first column is lucode, the class code."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class DriverForm(forms.Form):
    """One driver raster to add to the set."""

    dataset = forms.TypedChoiceField(label=_("Raster"), coerce=int)
    weight = forms.FloatField(
        label=_("Weight"), initial=0.5, min_value=0.01, max_value=10,
        help_text=_("Compared with the pull of neighbouring land of the same kind, which weighs 1."),
    )  # fmt: skip
    effect = forms.ChoiceField(
        label=_("Change happens where the values are"),
        choices=[("repels", _("low (for example near a road, or on gentle slopes)")),
                 ("attracts", _("high (for example a high population density)"))],
        initial="repels",
    )  # fmt: skip

    def __init__(self, *args: Any, rasters: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = [(d.pk, d.title) for d in rasters]


class DerivedDriverForm(forms.Form):
    """A driver the platform computes on the set's grid: distance to a map layer, or slope."""

    kind = forms.ChoiceField(
        label=_("Make the driver from"),
        choices=[("distance", _("distance to a map layer (roads, rivers, settlements…)")),
                 ("slope", _("slope from an elevation map"))],
        initial="distance", widget=forms.RadioSelect,
    )  # fmt: skip
    dataset_id = forms.TypedChoiceField(
        label=_("Map layer or elevation map"), coerce=int,
        help_text=_("Distances are measured in metres to the nearest feature; slopes in degrees, from "
                    "elevations in metres. The driver is stored as a new raster of the landscape's data."),
    )  # fmt: skip
    weight = forms.FloatField(
        label=_("Weight"), initial=0.5, min_value=0.01, max_value=10,
        help_text=_("Compared with the pull of neighbouring land of the same kind, which weighs 1."),
    )  # fmt: skip
    effect = forms.ChoiceField(
        label=_("Change is more likely"),
        choices=[("repels", _("near the features, or on gentle slopes")),
                 ("attracts", _("far from the features, or on steep slopes"))],
        initial="repels",
    )  # fmt: skip

    def __init__(self, *args: Any, layers: list[Any], rasters: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["dataset_id"].choices = [
            (_("Map layers (for distances)"), [(d.pk, d.title) for d in layers]),
            (_("Rasters (for slopes)"), [(d.pk, d.title) for d in rasters]),
        ]


class NoChangeForm(forms.Form):
    """Classes and a map layer of land that never changes."""

    classes = forms.TypedMultipleChoiceField(
        label=_("Classes that never change"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("For example permanent water, or rock and ice."),
    )  # fmt: skip
    zone_dataset = forms.TypedChoiceField(
        label=_("Areas that never change"), coerce=int, required=False, empty_value=None,
        help_text=_("A map layer of the landscape's data, such as protected areas: nothing inside its "
                    "polygons changes in any scenario."),
    )  # fmt: skip

    def __init__(self, *args: Any, scenario_set: ScenarioSet, layers: list[Any], **kwargs: Any):
        current = scenario_set.no_change or {}
        source = current.get("zone_source") or {}
        kwargs.setdefault(
            "initial", {"classes": current.get("classes", []), "zone_dataset": source.get("dataset_id")}
        )
        super().__init__(*args, **kwargs)
        legend = scenario_set.legend
        self.fields["classes"].choices = [(int(e["code"]), f"{e['code']} {e['name']}") for e in legend]
        self.fields["zone_dataset"].choices = [("", _("None"))] + [(d.pk, d.title) for d in layers]


class ReportZonesForm(forms.Form):
    """The map layer whose areas the results are reported by."""

    areas_layer = forms.TypedChoiceField(
        label=_("Report the results by the areas of"), coerce=int, required=False, empty_value=None,
        help_text=_("A map layer of villages, watersheds or management zones: each run then shows its "
                    "figures area by area."),
    )  # fmt: skip

    def __init__(self, *args: Any, scenario_set: ScenarioSet, layers: list[Any], **kwargs: Any):
        kwargs.setdefault("initial", {"areas_layer": (scenario_set.report_zones or {}).get("dataset_id")})
        super().__init__(*args, **kwargs)
        self.fields["areas_layer"].choices = [("", _("None: the whole landscape only"))] + [
            (d.pk, d.title) for d in layers
        ]


class HindcastForm(forms.Form):
    """A later observed land-cover map to check the model against."""

    t2_dataset = forms.TypedChoiceField(label=_("Later land-cover map"), coerce=int)
    t2_year = forms.IntegerField(label=_("Year of that map"))

    def __init__(self, *args: Any, rasters: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["t2_dataset"].choices = [(d.pk, d.title) for d in rasters]


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("What it means"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the intervention does"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    start_year = forms.IntegerField(label=_("From the year"))
    end_year = forms.IntegerField(label=_("Until the year (leave empty: to the end)"), required=False)
    from_class = forms.TypedChoiceField(
        label=_("Class that changes"), required=False, coerce=int, empty_value=None
    )
    to_class = forms.TypedChoiceField(
        label=_("Class it becomes"), required=False, coerce=int, empty_value=None
    )
    percent = forms.FloatField(
        label=_("Pace, as a share of business as usual (percent)"),
        required=False,
        min_value=0,
        help_text=_("50 halves the trend, 0 stops it, 200 doubles it."),
    )
    hectares_per_year = forms.FloatField(label=_("Hectares per year"), required=False, min_value=0)
    zone = forms.CharField(
        label=_("Zone (GeoJSON drawn on the map)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    zone_dataset = forms.TypedChoiceField(
        label=_("…or a map layer of the landscape"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, scenario_set: ScenarioSet, layers: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        classes = [("", _("Any class"))] + [
            (e["code"], f"{e['code']} {e['name']}") for e in scenario_set.legend
        ]
        self.fields["from_class"].choices = classes
        self.fields["to_class"].choices = classes
        self.fields["zone_dataset"].choices = [("", _("None: use the drawn zone"))] + [
            (d.pk, d.title) for d in layers
        ]
        first, last = scenario_set.t1_year + 1, scenario_set.final_year
        self.fields["start_year"].initial = first
        self.fields["start_year"].min_value = first
        self.fields["start_year"].max_value = last
        self.fields["start_year"].widget.attrs.update({"min": first, "max": last})
        self.fields["end_year"].widget.attrs.update({"min": first, "max": last})

    def parameter_fields(self) -> list[Any]:
        """The fields shown in the grid, between the kind and the zone."""
        names = ("start_year", "end_year", "from_class", "to_class", "percent", "hectares_per_year")
        return [self[name] for name in names]

    def clean_zone(self) -> Any:
        text = (self.cleaned_data.get("zone") or "").strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("The drawn zone could not be read; draw it again.")) from exc

    def intervention(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["zone_dataset_id"] = data.pop("zone_dataset", None)
        return data
