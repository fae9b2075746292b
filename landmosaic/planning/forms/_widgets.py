"""Widgets and fields shared by the plan's forms."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """A native date picker (phones show their own), always in ISO format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput, help_text=help_text)


class GeometryField(forms.CharField):
    """GeoJSON drawn on the map (the ``data-lm-draw`` widget writes it into a hidden input)."""

    widget = forms.HiddenInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 5_000_000)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            data = json.loads(value)
        except ValueError as exc:
            raise forms.ValidationError(
                _("The shape drawn on the map could not be read: draw it again.")
            ) from exc
        if not isinstance(data, dict):
            raise forms.ValidationError(_("The shape drawn on the map could not be read: draw it again."))
        return data


class LocationMixin:
    """A place as a point (longitude and latitude) or an area drawn on the map (``draw`` widget on
    ``id_area``), for forms of things that may have one (actions, indicators)."""

    def add_location_fields(self, location: dict | None) -> None:
        self.fields["longitude"] = forms.FloatField(
            label=_("Longitude"), required=False, min_value=-180, max_value=180
        )
        self.fields["latitude"] = forms.FloatField(
            label=_("Latitude"), required=False, min_value=-90, max_value=90
        )
        self.fields["area"] = GeometryField(label=_("Area on the map"), required=False)
        if location and location.get("type") == "Point":
            self.initial.setdefault("longitude", location["coordinates"][0])
            self.initial.setdefault("latitude", location["coordinates"][1])
        elif location:
            self.initial.setdefault("area", location)

    def check_location(self, data: dict) -> None:
        lon, lat = data.get("longitude"), data.get("latitude")
        if (lon is None) != (lat is None):
            self.add_error("latitude" if lat is None else "longitude", _("Give both longitude and latitude."))

    def location_value(self) -> dict | None:
        """A GeoJSON Point from the coordinates, else the drawn area, else None (no place)."""
        data = self.cleaned_data
        if data.get("longitude") is not None and data.get("latitude") is not None:
            return {"type": "Point", "coordinates": [data["longitude"], data["latitude"]]}
        return data.get("area")
