"""The form builder page: an editor without an XLSForm builds a simple form from question rows."""

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

from .. import services
from ..builder import Definition, Question
from ..forms import BuiltFormDetailsForm, QuestionFormSet

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


@login_required
def form_build(request: HttpRequest, slug: str) -> HttpResponse:
    """Build a form in the page. "Add a question" without JavaScript posts back for one more row."""
    landscape = landscape_get(actor=request.user, slug=slug)
    permissions.check(request.user, "add_content", landscape)
    data = request.POST if request.method == "POST" else None
    adding = data is not None and "add_question" in data
    if adding:
        data = data.copy()
        data[f"{PREFIX}-TOTAL_FORMS"] = str(int(data.get(f"{PREFIX}-TOTAL_FORMS") or 0) + 1)
    details = BuiltFormDetailsForm(data)
    questions = QuestionFormSet(data, prefix=PREFIX)
    status = 200
    if data is not None and not adding:
        status = 400
        if details.is_valid() and questions.is_valid():
            rows = questions.ordered_forms
            definition = Definition(
                title=details.cleaned_data["title"],
                form_id=details.cleaned_data["form_id"].strip(),
                version=details.cleaned_data["version"].strip(),
                questions=[_question(row.cleaned_data) for row in rows],
            )
            try:
                form, version = services.form_build(
                    actor=request.user,
                    landscape=landscape,
                    definition=definition,
                    method=details.cleaned_data["method"],
                )
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                _show_refusal(exc, details, rows)
            else:
                messages.success(
                    request,
                    _("The form is built as version %(version)s. Check it, then publish it to collectors.")
                    % {"version": version.version},
                )
                return redirect(form.get_absolute_url())
    return render(
        request,
        "fieldwork/form_build.html",
        {"landscape": landscape, "details": details, "questions": questions},
        status=status,
    )
