"""The form of a point map: its columns, colours, size, popup and who sees it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from landmosaic.core.permissions import Visibility

from .models import PointMap
from .services import MAX_SIZE, MIN_SIZE

# Columns pre-selected for the popup of a new map: the first few that are not the coordinates.
DEFAULT_POPUP_COLUMNS = 5


class PointMapForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    latitude_field = forms.ChoiceField(label=_("Latitude column"), required=False)
    longitude_field = forms.ChoiceField(label=_("Longitude column"), required=False)
    colour_field = forms.ChoiceField(label=_("Colour the points by"), required=False)
    colour_mode = forms.ChoiceField(
        label=_("How to colour them"),
        choices=[("", _("Chosen from the column: graduated for numbers, one colour per value otherwise"))]
        + [c for c in PointMap.ColourMode.choices if c[0] != PointMap.ColourMode.SINGLE],
        required=False,
        widget=forms.RadioSelect,
    )
    point_size = forms.IntegerField(
        label=_("Point size (radius in pixels)"), min_value=MIN_SIZE, max_value=MAX_SIZE, initial=6
    )
    popup_fields = forms.MultipleChoiceField(
        label=_("Shown when a point is tapped"), required=False, widget=forms.CheckboxSelectMultiple
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this map?"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
        help_text=_("Whatever you choose, only people who may see the dataset can see its map."),
    )
    landscapes = forms.MultipleChoiceField(
        label=_("Share with these landscapes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    organisations = forms.MultipleChoiceField(
        label=_("Share with these organisations"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, source: dict[str, Any], landscapes=(), organisations=(), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        columns = [(f["name"], f["name"]) for f in source["fields"]]
        own = [("", _("The layer's own positions"))] if source["has_points"] else [("", _("Choose a column"))]
        self.fields["latitude_field"].choices = own + columns
        self.fields["longitude_field"].choices = own + columns
        self.fields["colour_field"].choices = [("", _("Nothing: one colour for every point")), *columns]
        self.fields["popup_fields"].choices = columns
        self.fields["landscapes"].choices = list(landscapes)
        self.fields["organisations"].choices = list(organisations)

    @staticmethod
    def initial_for_new(source: dict[str, Any]) -> dict[str, Any]:
        coordinates = {source["latitude"], source["longitude"]}
        names = [f["name"] for f in source["fields"] if f["name"] not in coordinates]
        return {
            "latitude_field": source["latitude"],
            "longitude_field": source["longitude"],
            "popup_fields": names[:DEFAULT_POPUP_COLUMNS],
            "point_size": 6,
            "visibility": Visibility.PRIVATE,
        }

    @staticmethod
    def initial_for(point_map: PointMap, targets: dict[str, list[Any]]) -> dict[str, Any]:
        single = point_map.colour_mode == PointMap.ColourMode.SINGLE
        return {
            "title": point_map.title,
            "description": point_map.description,
            "latitude_field": point_map.latitude_field,
            "longitude_field": point_map.longitude_field,
            "colour_field": point_map.colour_field,
            "colour_mode": "" if single else point_map.colour_mode,
            "point_size": point_map.point_size,
            "popup_fields": point_map.popup_fields,
            "visibility": point_map.visibility,
            "landscapes": [x.slug for x in targets["landscapes"]],
            "organisations": [o.slug for o in targets["organisations"]],
        }
