"""Showing a service's refusal on a Django form: the one helper every page uses."""

from __future__ import annotations

from django import forms

from .errors import DomainError


def form_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Put the error next to the fields its details name, or above the form when it names none."""
    placed = False
    for field, errors in exc.details.items():
        if field not in form.fields:
            continue
        if isinstance(errors, str):
            errors = [errors]
        if not isinstance(errors, list):  # structured details (e.g. per row) belong to the API
            continue
        for error in errors:
            form.add_error(field, str(error))
        placed = True
    if not placed:
        form.add_error(None, exc.message)
