from django import forms
from django.utils.translation import gettext_lazy as _

from landmosaic.accounts.models import Organisation

from ..models import Group, Stakeholder, StakeholderRelation, Status

SCORE_CHOICES = [
    (1, _("1 – very low")),
    (2, _("2 – low")),
    (3, _("3 – medium")),
    (4, _("4 – high")),
    (5, _("5 – very high")),
]


class StakeholderForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation on the platform (optional)"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Link the stakeholder to its page on the platform if it has one."),
    )
    influence = forms.TypedChoiceField(
        label=_("Influence"),
        choices=SCORE_CHOICES,
        coerce=int,
        initial=3,
        help_text=_("How much power it has over what happens in the landscape."),
    )
    interest = forms.TypedChoiceField(
        label=_("Interest"),
        choices=SCORE_CHOICES,
        coerce=int,
        initial=3,
        help_text=_("How much it is affected by or cares about the landscape's future."),
    )
    represents = forms.MultipleChoiceField(
        label=_("Represents"),
        choices=Group.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "organisation",
            "sector",
            "type",
            "role",
            "contact",
            "influence",
            "interest",
            "participation",
            "represents",
        ]
        widgets = {"role": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "participation": _(
                "From inform (one-way information) to empower (they decide): how the partnership engages "
                "them."
            ),
            "contact": _("Seen only by members of the landscape."),
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        values = {f: data[f] for f in self.Meta.fields if f != "organisation"}
        values["organisation_id"] = data["organisation"].pk if data["organisation"] else None
        return values


class RelationForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Stakeholder"), queryset=Stakeholder.objects.none())
    kind = forms.ChoiceField(label=_("Relation"), choices=StakeholderRelation.Kind.choices)
    target = forms.ModelChoiceField(label=_("Other stakeholder"), queryset=Stakeholder.objects.none())
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=300)

    def __init__(self, *args, stakeholders=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = stakeholders if stakeholders is not None else Stakeholder.objects.none()
        self.fields["source"].queryset = queryset
        self.fields["target"].queryset = queryset


class OutputStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the status differs from the suggestion."),
    )

    def __init__(
        self, *args, suggested_label: str = "", allowed: list[tuple[str, str]] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        follow = (
            _("Follow the suggestion (%(status)s)") % {"status": suggested_label}
            if suggested_label
            else _("Follow the suggestion")
        )
        self.fields["status"].choices = [("", follow), *(allowed if allowed is not None else Status.choices)]


class OutputNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Visible to everyone who can see this dashboard."),
    )


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.CharField(
        label=_("Link"),
        max_length=500,
        help_text=_("A web address (https://…) or a page of this platform (/landscapes/…)."),
    )


class StakeholderImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel (.xlsx) file"),
        help_text=_(
            "Columns: name, organisation, sector, type, role, contact, influence, interest, participation, "
            "represents. Rows whose name is already in the register update it."
        ),
    )
