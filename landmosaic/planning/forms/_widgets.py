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
