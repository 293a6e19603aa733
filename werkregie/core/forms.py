"""Shared form handling for the screens: run a service with a valid form, Dutch errors."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db import models, transaction
from django.http import HttpRequest

from werkregie.core import locking
from werkregie.core.errors import DomainError

T = TypeVar("T")
F = TypeVar("F", bound=forms.Form)


def save_with(
    request: HttpRequest,
    form: forms.BaseForm,
    perform: Callable[[dict[str, Any]], T],
    *,
    edited: models.Model | None = None,
) -> T | None:
    """Run a service with a valid POSTed form; a refusal (DomainError) becomes the form's
    error. None: nothing saved, show the form again.

    With `edited`, the form edits that row: it carries the row's fingerprint, and a save
    after someone else's change is refused (core.locking), the row locked while it saves."""
    if edited is not None:
        locking.protect(form, edited)
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        with transaction.atomic():
            if edited is not None:
                locking.refuse_stale_form(form, edited)
            return perform({k: v for k, v in form.cleaned_data.items() if k != "fingerprint"})
    except DomainError as error:
        form.add_error(None, error.message)
        return None


def report_step(
    request: HttpRequest, perform: Callable[[], str], *, edited: models.Model | None = None
) -> bool:
    """Run one step of a page (a service call that returns its Dutch success message) and
    show the outcome as a message; a refusal (DomainError) shows its message. True: done.

    With `edited`, the step changes that object as the page showed it: the page posts the
    object's fingerprint (`fingerprint` in the form, core.locking), and the step runs in
    one transaction with the object locked, refused when someone changed it since."""
    from django.contrib import messages

    try:
        if edited is None:
            messages.success(request, perform())
        else:
            with transaction.atomic():
                locking.refuse_if_stale(edited, request.POST.get("fingerprint"))
                messages.success(request, perform())
    except DomainError as error:
        messages.error(request, error.message)
        return False
    return True


def form_errors(form: forms.BaseForm) -> str:
    """Every error of a form, each with its field's label, as one Dutch sentence."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(str(e) for e in errors)
        parts.append(f"{form.fields[name].label}: {text}" if name in form.fields else text)
    return "; ".join(parts)


def valid(form: F) -> F:
    """The form, validated; a DomainError naming every error when it is not valid."""
    if not form.is_valid():
        raise DomainError(f"Niet opgeslagen. {form_errors(form)}")
    return form


class UserChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class PeriodForm(forms.Form):
    """A form with a period: its end (when given) may not lie before its start."""

    period: tuple[str, str, str]  # start field, end field, the Dutch error on the end

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, message = self.period
        if data.get(start) and data.get(end) and data[end] < data[start]:
            self.add_error(end, message)
        return data
