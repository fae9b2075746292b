from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from landmosaic.core.geo.limits import megabytes
from landmosaic.core.permissions import Visibility

from .models import Dataset
from .vocabularies import license_choices, theme_choices

FORMATS_HELP = _(
    "CSV or XLSX (points from latitude/longitude columns, or a plain table), GeoJSON, KML, KMZ, GPX, "
    "a zipped shapefile, GeoPackage, FlatGeobuf, GeoTIFF, or documents (PDF, DOCX, PPTX, images)."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A plain ``<input type=file multiple>``: each file becomes its own upload."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def _size_help() -> str:
    return _("Up to %(mb)s MB per file.") % {"mb": megabytes(settings.DATASET_MAX_UPLOAD_BYTES)}


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Files"))
    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=200,
        required=False,
        help_text=_("For a single file. Otherwise each dataset is named after its file or layer."),
    )
    # Empty means the landscape's default licence, decided where the dataset is made (services.creation).
    license = forms.ChoiceField(label=_("Licence"), required=False, initial="")
    keywords = forms.CharField(
        label=_("Keywords (optional)"),
        max_length=2000,
        required=False,
        help_text=_("Separate them with commas."),
    )

    def __init__(self, *args, landscape=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["license"].choices = [("", _default_license_label(landscape)), *license_choices()]
        self.fields["files"].help_text = f"{FORMATS_HELP} {_size_help()}"


def _default_license_label(landscape) -> str:
    if landscape is None:
        return _("The landscape's default licence")
    return _("The landscape's default licence: %(licence)s") % {
        "licence": dict(license_choices()).get(landscape.default_license, landscape.default_license)
    }


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File"))
    note = forms.CharField(
        label=_("What changed? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _size_help()


class MetadataForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    keywords = forms.CharField(
        label=_("Keywords"), max_length=2000, required=False, help_text=_("Separate them with commas.")
    )
    themes = forms.MultipleChoiceField(
        label=_("ILM outputs this data serves"), required=False, widget=forms.CheckboxSelectMultiple
    )
    license = forms.ChoiceField(label=_("Licence"))
    attribution = forms.CharField(
        label=_("Attribution"),
        max_length=300,
        required=False,
        help_text=_("How re-users must credit the data."),
    )
    provenance = forms.CharField(
        label=_("Provenance"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How, when and by whom the data was collected; the method."),
    )
    language = forms.CharField(
        label=_("Language of the data"),
        max_length=12,
        required=False,
        help_text=_("A code such as en, es, fr, pt."),
    )
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
    update_frequency = forms.ChoiceField(label=_("Update frequency"), choices=Dataset.UpdateFrequency.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices()
        self.fields["license"].choices = license_choices()

    @staticmethod
    def initial_for(dataset: Dataset) -> dict:
        return {
            "title": dataset.title,
            "description": dataset.description,
            "keywords": ", ".join(dataset.keywords),
            "themes": dataset.themes,
            "license": dataset.license,
            "attribution": dataset.attribution,
            "provenance": dataset.provenance,
            "language": dataset.language,
            "contact": dataset.contact,
            "update_frequency": dataset.update_frequency,
        }


class SharingForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Who can see this dataset?"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    landscapes = forms.MultipleChoiceField(
        label=_("Share with these landscapes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    organisations = forms.MultipleChoiceField(
        label=_("Share with these organisations"), required=False, widget=forms.CheckboxSelectMultiple
    )
    download_access = forms.ChoiceField(
        label=_("Who may download the files?"),
        choices=Dataset.DownloadAccess.choices,
        widget=forms.RadioSelect,
    )
    restricted = forms.BooleanField(
        label=_("Restricted: only the landscape's managers may see it (sensitive or Indigenous data)"),
        required=False,
        help_text=_(
            "Managers may give named people access below, with or without download. While the dataset "
            "is restricted, the choices above do not apply; share links still open it to their holders."
        ),
    )

    def __init__(self, *args, landscapes=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["landscapes"].choices = list(landscapes)
        self.fields["organisations"].choices = list(organisations)


class LinkForm(forms.Form):
    """A new "anyone with the link" share link."""

    expires_on = forms.DateField(
        label=_("Expires on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The link stops working after this day. Leave empty for a link that lasts until revoked."
        ),
    )
    allow_download = forms.BooleanField(
        label=_("Allow download: people with the link may also download the files"), required=False
    )


class GrantForm(forms.Form):
    """A named person who may see a restricted dataset."""

    email = forms.EmailField(
        label=_("Email address of the person"),
        help_text=_("They need an account on this platform with this address."),
    )
    allow_download = forms.BooleanField(
        label=_("Allow download: they may also download the files"), required=False
    )


class DataFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    theme = forms.ChoiceField(label=_("ILM output"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Dataset.Kind.choices]
        self.fields["theme"].choices = [("", _("All outputs")), *theme_choices()]
