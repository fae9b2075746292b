from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from landmosaic.accounts.models import Organisation

from ..models import Action, ActionStatus, Objective, Output, Strategy, Zone
from ._widgets import DateInput, LocationMixin


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


class ActionForm(LocationMixin, forms.ModelForm):
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
            "output",
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
        self.fields["output"].queryset = Output.objects.order_by("sort", "code")
        self.fields["output"].label_from_instance = lambda o: f"{o.code} {o.localized('name')}"
        self.fields["partners"].queryset = Organisation.objects.all()
        self.fields["partners"].required = False
        self.add_location_fields(self.instance.location if self.instance and self.instance.pk else None)

    def clean(self):
        data = super().clean()
        self.check_location(data)
        return data

    def _post_clean(self):
        # The service validates the currency and the dates with the user's messages; skip model checks.
        pass

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
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
            "output_code": data["output"].code if data["output"] else None,
            "location": self.location_value(),
        }


class ReportForm(forms.Form):
    """Members report progress on an action."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    text = forms.CharField(
        label=_("Progress note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
