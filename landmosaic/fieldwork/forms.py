from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Form, Submission


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm (.xlsx)"),
        help_text=_(
            "A form written in XLSForm: a survey sheet, a choices sheet and a settings sheet with form_id "
            "and version. Uploading a file with the form_id of an existing form adds a new version of it."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class MediaUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Media file"),
        help_text=_("An image, audio or CSV file the form refers to, with exactly the name the form uses."),
    )


class FormDetailsForm(forms.ModelForm):
    class Meta:
        model = Form
        fields = ["title", "method"]
        widgets = {"method": forms.Textarea(attrs={"rows": 5})}


class CollectorForm(forms.Form):
    name = forms.CharField(
        label=_("Who will collect?"),
        max_length=100,
        help_text=_("A person or a team, for example “Village monitors, north”."),
    )


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Submission.Review.APPROVED, _("Approve")),
            (Submission.Review.REJECTED, _("Reject")),
            (Submission.Review.PENDING, _("Back to waiting for review")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when rejecting: say what is wrong so the collector can learn from it."),
    )
