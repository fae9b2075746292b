from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Goal, Objective, Vision, Zone
from ._widgets import DateInput, GeometryField

STATEMENT_HELP = _(
    "The landscape the partners want, across the four returns: inspiration, social, natural and financial."
)


class VisionForm(forms.ModelForm):
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)

    class Meta:
        model = Vision
        fields = ["statement", "horizon_year", "image", "image_alt"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 6}), "image": forms.ClearableFileInput}
        help_texts = {
            "statement": STATEMENT_HELP,
            "horizon_year": _("A generation ahead: 20 years or more."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].widget = forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        )
        if not (self.instance and self.instance.image):
            del self.fields["remove_image"]


class ZoneForm(forms.ModelForm):
    geometry = GeometryField(label=_("Area on the map"), required=True)

    class Meta:
        model = Zone
        fields = ["name", "kind", "description", "geometry"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "description", "return_kind", "pillar", "zones", "sort"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "zones": forms.CheckboxSelectMultiple}
        help_texts = {
            "return_kind": _("Which of the four returns the goal serves."),
            "sort": _("Goals are listed in this order."),
        }

    def __init__(self, *args, landscape=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zones"].queryset = Zone.objects.filter(landscape=landscape)
        self.fields["zones"].required = False

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        values = {f: data[f] for f in ("title", "description", "return_kind", "pillar", "sort")}
        values["zone_ids"] = [z.pk for z in data["zones"]]
        return values


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["goal", "what", "how_much", "unit", "by_when", "where", "zone", "sort"]
        widgets = {"by_when": DateInput}
        help_texts = {
            "what": _("Specific: what will change, for example “hectares of restored forest”."),
            "how_much": _("Measurable: the amount to reach."),
            "where": _("A place, or choose a zone below."),
        }

    def __init__(self, *args, landscape=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(landscape=landscape)
        self.fields["zone"].queryset = Zone.objects.filter(landscape=landscape)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        values = {f: data[f] for f in ("what", "how_much", "unit", "by_when", "where", "sort")}
        values["goal_id"] = data["goal"].pk
        values["zone_id"] = data["zone"].pk if data["zone"] else None
        return values
