"""Writes for forms built in the page: the definition becomes an XLSForm and goes through the upload path."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.core.errors import ValidationFailed
from landmosaic.landscapes.models import Landscape

from ..builder import NUMBER_TYPES, Definition, Question, carry_names, check, complete, from_xlsx, to_xlsx
from ..models import Form, FormVersion
from .forms import form_update, form_upload


def _constraint_message(question: Question) -> str:
    """What the phone says when an answer breaks the limits, in the builder's language."""
    low, high = question.minimum, question.maximum
    if question.type in NUMBER_TYPES and low is not None and high is not None:
        return _("Enter a number from %(min)s to %(max)s.") % {"min": low, "max": high}
    if question.type in NUMBER_TYPES and low is not None:
        return _("Enter a number of at least %(min)s.") % {"min": low}
    if question.type in NUMBER_TYPES and high is not None:
        return _("Enter a number of at most %(max)s.") % {"max": high}
    if question.pattern:
        return _("The answer does not have the expected form.")
    if question.has_text_limits:
        return _("The answer is too short or too long.")
    return ""


def _refusal(problems: list[Any]) -> ValidationFailed:
    """Details: {"form": {field: [message]}, "questions": {index: {field: [message]}}}."""
    details: dict[str, Any] = {"form": {}, "questions": {}}
    for problem in problems:
        message = _(problem.template) % problem.params
        if problem.question is None:
            details["form"].setdefault(problem.field, []).append(message)
        else:
            row = details["questions"].setdefault(problem.question, {})
            row.setdefault(problem.field, []).append(message)
    first = _(problems[0].template) % problems[0].params
    return ValidationFailed(
        _("The form could not be built; nothing was stored. %(problem)s") % {"problem": first},
        code="form_definition_invalid",
        details=details,
    )


def _previous_definition(form: Form) -> Definition | None:
    """The definition of the version a new one is built from (None when the builder cannot read it)."""
    # Read afresh: the caller's instance may predate a version uploaded since.
    version = Form.objects.select_related("current_version").get(pk=form.pk).current_version
    if version is None or not version.xlsform:
        return None
    with version.xlsform.open("rb") as handle:
        return from_xlsx(handle.read())


def form_build(
    *,
    actor: User,
    landscape: Landscape,
    definition: Definition,
    method: str = "",
    form: Form | None = None,
) -> tuple[Form, FormVersion]:
    """A form from a definition made in the page, stored exactly like an uploaded XLSForm: a new form,
    or with ``form`` a new version of it (its form ID kept).

    Names left empty are made from the labels (and the form ID from the title); a form ID already used
    in the landscape is refused rather than turned into a new version of another person's form.
    In a new version each choice of a question that was there before keeps its stored value when only
    its label changes: the records of every version keep one set of values.
    """
    if form is None:
        permissions.check(actor, "add_content", landscape)
    else:
        permissions.check(actor, "change", form)
        definition.form_id = form.form_id
    definition = complete(definition)
    if form is not None:
        definition = carry_names(definition, _previous_definition(form))
    if not definition.version.strip():
        definition.version = timezone.now().strftime("%Y%m%d%H%M%S")
    problems = check(definition)
    if problems:
        raise _refusal(problems)
    if form is None and Form.objects.filter(landscape=landscape, form_id=definition.form_id).exists():
        message = _("This landscape already has a form with the ID “%(form_id)s”; choose another.") % {
            "form_id": definition.form_id
        }
        raise ValidationFailed(message, code="form_id_taken", details={"form": {"form_id": [message]}})
    for question in definition.questions:
        question.constraint_message = _constraint_message(question)
    with transaction.atomic():
        form, version, _created = form_upload(
            actor=actor,
            landscape=landscape,
            data=to_xlsx(definition),
            filename=f"{definition.form_id}.xlsx",
            form=form,
        )
        if method.strip() and method.strip() != form.method:
            form = form_update(actor=actor, form=form, method=method)
    return form, version
