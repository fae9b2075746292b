from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from landmosaic.accounts.models import Organisation

from ..models import SECTIONS, AgreementVersion
from ._widgets import DateInput, date_field

SECTION_HELP = {
    "values": _("What the partners stand for together."),
    "governance": _("Bodies of the partnership, who sits on them, how they are chosen."),
    "roles": _("What each member contributes and is responsible for."),
    "decision_making": _("How decisions are taken: consensus, votes, quorum."),
    "conflict_resolution": _("How disagreements between members are settled."),
    "information_sharing": _("Which information is shared, with whom, and how."),
    "funding": _("Where the partnership's money comes from."),
}


class AgreementForm(forms.Form):
    """Edits to the agreement; saving creates a new draft version."""

    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in SECTIONS:
            model_field = AgreementVersion._meta.get_field(field)
            self.fields[field] = forms.CharField(
                label=model_field.verbose_name,
                required=False,
                max_length=model_field.max_length,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=SECTION_HELP[field],
            )
        self.fields["start_date"] = date_field(_("Start date"))
        self.fields["review_date"] = date_field(
            _("Review date"), help_text=_("When the partners will review it.")
        )
        self.fields["change_note"] = forms.CharField(
            label=_("What changed (optional)"), required=False, max_length=300
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {f: data[f] for f in (*SECTIONS, "start_date", "review_date", "change_note")}


class SignatoryForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        help_text=_("Organisations on the platform; add a missing one from the organisations page."),
    )


class SignOffForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    signed_by_name = forms.CharField(
        label=_("Signed by"),
        required=False,
        max_length=200,
        help_text=_("The person who signed for the organisation; your name if you sign for your own."),
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DateInput)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )
