from typing import Any

from django import forms
from django.utils import timezone

from werkregie.client_direction.models import Client, Consent, Restriction
from werkregie.organisations.models import Organisation


class DateInput(forms.DateInput):
    input_type = "date"


class ClientForm(forms.Form):
    kind = forms.ChoiceField(label="Soort", choices=Client.Kind.choices)
    registered_on = forms.DateField(
        label="In regie sinds", widget=DateInput, initial=timezone.localdate
    )


class ConsentForm(forms.Form):
    subject = forms.ChoiceField(label="Wat mag gedeeld worden", choices=Consent.Subject.choices)
    shared_with = forms.ModelChoiceField(
        label="Met wie",
        queryset=Organisation.objects.exclude(
            kind__in=[Organisation.Kind.JOINT_ARRANGEMENT, Organisation.Kind.LIMITED_COMPANY]
        ).order_by("name"),
    )
    given_on = forms.DateField(label="Gegeven op", widget=DateInput, initial=timezone.localdate)
    valid_to = forms.DateField(label="Geldig tot en met", widget=DateInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("valid_to") and data.get("given_on") and data["valid_to"] < data["given_on"]:
            self.add_error("valid_to", "De einddatum ligt vóór de datum van toestemming.")
        return data


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label="Ingetrokken op", widget=DateInput, initial=timezone.localdate
    )


class RestrictionForm(forms.Form):
    category = forms.ChoiceField(label="Soort", choices=Restriction.Category.choices)
    description = forms.CharField(label="Omschrijving", widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label="Bron", max_length=100)
    valid_from = forms.DateField(label="Geldig vanaf", widget=DateInput, initial=timezone.localdate)
    valid_to = forms.DateField(label="Geldig tot en met", widget=DateInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("valid_to")
            and data.get("valid_from")
            and data["valid_to"] < data["valid_from"]
        ):
            self.add_error("valid_to", "De einddatum ligt vóór de begindatum.")
        return data
