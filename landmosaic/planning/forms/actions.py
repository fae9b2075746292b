from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from landmosaic.accounts.models import Organisation

from ..models import Action, ActionStatus, Objective, Strategy, Zone
from ._widgets import DateInput, GeometryField


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["objective", "title", "description", "sort"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, landscape=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(landscape=landscape).select_related(
            "goal"
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "objective_id": data["objective"].pk,
            "title": data["title"],
            "description": data["description"],
            "sort": data["sort"],
        }


class ActionForm(forms.ModelForm):
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    area = GeometryField(label=_("Area on the map"), required=False)
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("Three letters (ISO 4217), such as USD, EUR, KES or XOF."),
    )

    class Meta:
        model = Action
        fields = [
            "strategy",
            "title",
            "description",
            "lead_organisation",
            "partners",
            "budget",
            "currency",
            "start_date",
            "end_date",
            "status",
            "zone",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput,
            "end_date": DateInput,
        }
        help_texts = {"partners": _("Hold Ctrl (or ⌘) to choose several.")}

    def __init__(self, *args, landscape=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.filter(landscape=landscape)
        self.fields["zone"].queryset = Zone.objects.filter(landscape=landscape)
        self.fields["partners"].queryset = Organisation.objects.all()
        self.fields["partners"].required = False
        location = self.instance.location if self.instance and self.instance.pk else None
        if location and location.get("type") == "Point":
            self.initial.setdefault("longitude", location["coordinates"][0])
            self.initial.setdefault("latitude", location["coordinates"][1])
        elif location:
            self.initial.setdefault("area", location)

    def clean(self):
        data = super().clean()
        lon, lat = data.get("longitude"), data.get("latitude")
        if (lon is None) != (lat is None):
            self.add_error("latitude" if lat is None else "longitude", _("Give both longitude and latitude."))
        return data

    def _post_clean(self):
        # The service validates the currency and the dates with the user's messages; skip model checks.
        pass

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        if data.get("longitude") is not None and data.get("latitude") is not None:
            location = {"type": "Point", "coordinates": [data["longitude"], data["latitude"]]}
        else:
            location = data.get("area")
        return {
            "strategy_id": data["strategy"].pk,
            "title": data["title"],
            "description": data["description"],
            "lead_organisation_id": data["lead_organisation"].pk if data["lead_organisation"] else None,
            "partner_ids": [p.pk for p in data["partners"]],
            "budget": data["budget"],
            "currency": data["currency"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "status": data["status"],
            "zone_id": data["zone"].pk if data["zone"] else None,
            "location": location,
        }


class ReportForm(forms.Form):
    """Members report progress on an action."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    text = forms.CharField(
        label=_("Progress note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
