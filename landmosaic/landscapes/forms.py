import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from landmosaic.accounts.models import Organisation
from landmosaic.core.permissions import ROLE_CHOICES, Visibility

from .licences import DEFAULT_LICENSE, license_choices
from .models import Landscape, Partnership, Term


class LandscapeBasicsForm(forms.ModelForm):
    visibility = forms.ChoiceField(
        label=_("Who can see this landscape?"),
        choices=[
            (Visibility.PRIVATE, _("Only its members (private)")),
            (Visibility.PUBLIC, _("Anyone (public)")),
        ],
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )
    default_license = forms.ChoiceField(
        label=_("Default licence for new datasets"),
        choices=license_choices,
        initial=DEFAULT_LICENSE,
        help_text=_(
            "New datasets get this licence unless their uploader chooses another. "
            "Datasets already shared keep theirs."
        ),
    )

    class Meta:
        model = Landscape
        fields = [
            "name",
            "description",
            "country",
            "website",
            "contact_email",
            "visibility",
            "default_license",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # a new landscape starts with the default; its managers change it later
            self.fields.pop("default_license")


class TermChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Term) -> str:
        return obj.localized_label


class LandscapeProfileForm(forms.ModelForm):
    area_types = TermChoiceField(label=_("Area types"), queryset=Term.objects.none(), required=False)
    ecosystems = TermChoiceField(label=_("Ecosystems"), queryset=Term.objects.none(), required=False)
    livelihoods = TermChoiceField(label=_("Livelihoods"), queryset=Term.objects.none(), required=False)
    commodities = TermChoiceField(label=_("Commodities"), queryset=Term.objects.none(), required=False)
    languages = TermChoiceField(label=_("Languages"), queryset=Term.objects.none(), required=False)

    class Meta:
        model = Landscape
        fields = [
            "population",
            "area_types",
            "ecosystems",
            "livelihoods",
            "commodities",
            "languages",
            "profile_image",
            "profile_image_alt",
        ]

    vocabularies = {
        "area_types": Term.Vocabulary.AREA_TYPE,
        "ecosystems": Term.Vocabulary.ECOSYSTEM,
        "livelihoods": Term.Vocabulary.LIVELIHOOD,
        "commodities": Term.Vocabulary.COMMODITY,
        "languages": Term.Vocabulary.LANGUAGE,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, vocabulary in self.vocabularies.items():
            self.fields[field].queryset = Term.objects.filter(vocabulary=vocabulary)

    def clean(self):
        data = super().clean()
        image = data.get("profile_image")
        if image and hasattr(image, "size"):
            if image.size > settings.PROFILE_IMAGE_MAX_BYTES:
                self.add_error(
                    "profile_image",
                    _("The image is too large; the limit is %(mb)d MB.")
                    % {"mb": settings.PROFILE_IMAGE_MAX_BYTES // 2**20},
                )
            if not data.get("profile_image_alt"):
                self.add_error("profile_image_alt", _("Describe the image for people who cannot see it."))
        return data


class BoundaryDrawForm(forms.Form):
    geometry = forms.CharField(
        label=_("Boundary drawn on the map"), widget=forms.HiddenInput, max_length=20_000_000
    )

    def clean_geometry(self):
        try:
            value = json.loads(self.cleaned_data["geometry"])
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("Draw the boundary on the map first.")) from exc
        return value


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Boundary file"),
        help_text=_("GeoJSON, KML, KMZ, GPX or a zipped Shapefile (.zip with .shp, .shx, .dbf and .prj)."),
    )


class BoundaryPointForm(forms.Form):
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)


class PartnershipForm(forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Affiliated organisations"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Partnership
        fields = ["name", "status", "year_founded", "lead_organisation", "organisations", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial="member")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the managers (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    ecosystem = forms.ChoiceField(label=_("Ecosystem"), required=False)
    partnership = forms.ChoiceField(
        label=_("Partnership"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Has a partnership")), ("no", _("No partnership yet"))],
    )

    def __init__(self, *args, countries=(), ecosystems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["ecosystem"].choices = [("", _("All ecosystems")), *ecosystems]
