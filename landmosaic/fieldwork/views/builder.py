"""The form builder pages: an editor without an XLSForm builds a simple form from question rows, and
later new versions of it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError
from landmosaic.landscapes.selectors import landscape_get

from .. import selectors, services
from ..builder import Definition, Question
from ..forms import BuiltFormDetailsForm, QuestionFormSet
from ..models import Form

PREFIX = "questions"


def _question(data: dict[str, Any]) -> Question:
    return Question(
        type=data["type"],
        label=data["label"],
        name=data["name"],
        hint=data["hint"],
        required=data["required"],
        minimum=data["minimum"],
        maximum=data["maximum"],
        min_length=data["min_length"],
        max_length=data["max_length"],
        pattern=data["pattern"].strip(),
        choices=data["choices"].splitlines(),
    )


def _show_refusal(exc: DomainError, details: BuiltFormDetailsForm, rows: list[Any]) -> None:
    """Each message next to the field it concerns: the form's own, or a question row's."""
    placed = False
    for field, errors in exc.details.get("form", {}).items():
        target = field if field in details.fields else None
        for error in errors:
            details.add_error(target, error)
        placed = True
    for index, fields in exc.details.get("questions", {}).items():
        for field, errors in fields.items():
            for error in errors:
                rows[int(index)].add_error(field, error)
        placed = True
    if not placed:
        details.add_error(None, exc.message)


def _initial(question: Question) -> dict[str, Any]:
    return {
        "type": question.type,
        "label": question.label,
        "name": question.name,
        "hint": question.hint,
        "required": question.required,
        "minimum": question.minimum,
        "maximum": question.maximum,
        "min_length": question.min_length,
        "max_length": question.max_length,
        "pattern": question.pattern,
        "choices": "\n".join(question.choices),
    }


def _show_stored_choices(request: HttpRequest, form: Form, questions: Any) -> None:
    """Each row of a question that has choices in the current version shows their stored values."""
    current = selectors.form_definition_get(actor=request.user, form=form)
    stored = {
        q.name.lower(): list(zip(q.choice_names, q.choices, strict=False))
        for q in (current.questions if current is not None else [])
        if q.choice_names
    }
    for row in questions.forms:
        name = str(row["name"].value() or "").strip().lower()
        row.stored_choices = stored.get(name, [])


@login_required
def form_build(request: HttpRequest, slug: str) -> HttpResponse:
    """Build a new form in the page."""
    landscape = landscape_get(actor=request.user, slug=slug)
    permissions.check(request.user, "add_content", landscape)
    return _builder(request, landscape, None)


@login_required
def form_rebuild(request: HttpRequest, slug: str, form_pk: int) -> HttpResponse:
    """A new version of a form in the builder, starting from its current version's questions."""
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk, action="change")
    return _builder(request, landscape, form)


def _builder(request: HttpRequest, landscape: Any, form: Form | None) -> HttpResponse:
    """The builder page; "Add a question" without JavaScript posts back for one more row."""
    data = request.POST if request.method == "POST" else None
    adding = data is not None and "add_question" in data
    if adding:
        data = data.copy()
        data[f"{PREFIX}-TOTAL_FORMS"] = str(int(data.get(f"{PREFIX}-TOTAL_FORMS") or 0) + 1)
    initial: dict[str, Any] = {}
    rows: list[dict[str, Any]] | None = None
    if form is not None and data is None:
        definition = selectors.form_definition_get(actor=request.user, form=form)
        if definition is None:
            context = {"landscape": landscape, "form": form, "cannot_edit": True}
            return render(request, "fieldwork/form_build.html", context)
        initial = {"title": form.title, "method": form.method}
        rows = [_initial(q) for q in definition.questions]
    details = BuiltFormDetailsForm(data, initial=initial)
    if form is not None:
        details.fields["form_id"].disabled = True
        details.fields["form_id"].initial = form.form_id
        details.fields["form_id"].help_text = _("A new version keeps the form ID, so phones update the form.")
    questions = QuestionFormSet(data, prefix=PREFIX, initial=rows)
    if form is not None:
        _show_stored_choices(request, form, questions)
    status = 200
    if data is not None and not adding:
        status = 400
        if details.is_valid() and questions.is_valid():
            ordered = questions.ordered_forms
            definition = Definition(
                title=details.cleaned_data["title"],
                form_id=(details.cleaned_data["form_id"] or "").strip(),
                version=details.cleaned_data["version"].strip(),
                questions=[_question(row.cleaned_data) for row in ordered],
            )
            try:
                built, version = services.form_build(
                    actor=request.user,
                    landscape=landscape,
                    definition=definition,
                    method=details.cleaned_data["method"],
                    form=form,
                )
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                _show_refusal(exc, details, ordered)
            else:
                messages.success(
                    request,
                    _("The form is built as version %(version)s. Check it, then publish it to collectors.")
                    % {"version": version.version},
                )
                return redirect(built.get_absolute_url())
    return render(
        request,
        "fieldwork/form_build.html",
        {"landscape": landscape, "form": form, "details": details, "questions": questions},
        status=status,
    )
