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


class BuiltFormDetailsForm(forms.Form):
    """Title, ID, version and method of a form built in the page."""

    title = forms.CharField(label=_("Title"), max_length=200)
    form_id = forms.CharField(
        label=_("Form ID"),
        max_length=60,
        required=False,
        help_text=_("How phones and exports name the form. Made from the title when left empty."),
    )
    version = forms.CharField(
        label=_("Version"),
        max_length=100,
        required=False,
        help_text=_("Made from today's date and time when left empty."),
    )
    method = forms.CharField(
        label=_("Method and protocol"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How, when and by whom the data is collected; it travels with every record."),
    )


QUESTION_TYPE_CHOICES = [
    ("text", _("Text")),
    ("integer", _("Whole number")),
    ("decimal", _("Decimal number")),
    ("date", _("Date")),
    ("select_one", _("Choose one")),
    ("select_multiple", _("Choose several")),
    ("geopoint", _("Location (GPS point)")),
    ("image", _("Photo")),
    ("note", _("Note (text to read, no answer)")),
]


class QuestionForm(forms.Form):
    """One question row of the form builder; the rules live in fieldwork.builder, checked by the service."""

    #: Fields that make a row "filled in"; the order and delete controls alone do not.
    CONTENT = (
        "label",
        "name",
        "hint",
        "choices",
        "minimum",
        "maximum",
        "min_length",
        "max_length",
        "pattern",
    )

    type = forms.ChoiceField(label=_("Type"), choices=QUESTION_TYPE_CHOICES, initial="text")
    label = forms.CharField(label=_("Question"), max_length=500, required=False)
    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        required=False,
        help_text=_("The column name in the data. Made from the question when left empty."),
    )
    hint = forms.CharField(label=_("Hint"), max_length=500, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    choices = forms.CharField(
        label=_("Choices, one per line"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    minimum = forms.DecimalField(label=_("Minimum"), required=False, max_digits=20, decimal_places=6)
    maximum = forms.DecimalField(label=_("Maximum"), required=False, max_digits=20, decimal_places=6)
    min_length = forms.IntegerField(
        label=_("Fewest characters"), required=False, min_value=0, max_value=10000
    )
    max_length = forms.IntegerField(label=_("Most characters"), required=False, min_value=1, max_value=10000)
    pattern = forms.CharField(
        label=_("Pattern (regular expression)"),
        max_length=300,
        required=False,
        help_text=_("For example ^[A-Z]{2}[0-9]{4}$ for two capital letters and four digits."),
    )

    def has_changed(self) -> bool:
        # An empty row added by the page (with its order number set) stays empty and is skipped.
        return any(name in self.changed_data for name in self.CONTENT)


QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=1, can_order=True, can_delete=True, max_num=200, absolute_max=200
)
