from typing import Any

from django import forms
from django.utils import timezone

from werkregie.core.forms import PeriodForm
from werkregie.core.widgets import DateInput
from werkregie.secondments.models import Issuer


class MonthField(forms.DateField):
    """A month as the browser's month picker gives it (2026-10), cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]


class ContractForm(PeriodForm):
    issuer = forms.ModelChoiceField(label="Uitlener", queryset=Issuer.objects.none())
    hirer_kvk = forms.CharField(
        label="KvK-nummer van de inlener", max_length=8, min_length=8,
        help_text="De werkgever moet in Werkregie staan.",
    )  # fmt: skip
    hourly_rate = forms.DecimalField(
        label="Uurtarief (excl. btw)", min_value=0, decimal_places=2, localize=True
    )
    vat_rate = forms.DecimalField(
        label="Btw-percentage", min_value=0, max_value=21, initial=21, localize=True
    )
    start_date = forms.DateField(label="Ingangsdatum", widget=DateInput)
    end_date = forms.DateField(label="Einddatum", widget=DateInput, required=False)

    period = ("start_date", "end_date", "De einddatum ligt vóór de ingangsdatum.")

    def __init__(self, *args: Any, organisation_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["issuer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Issuer.objects.filter(organisation_id=organisation_id or 0)


class SecondmentForm(PeriodForm):
    personnel_number = forms.CharField(label="Personeelsnummer", max_length=20)
    hours_per_week = forms.DecimalField(
        label="Uren per week", min_value=0, max_value=60, decimal_places=2, localize=True
    )
    start_date = forms.DateField(label="Vanaf", widget=DateInput, initial=timezone.localdate)
    end_date = forms.DateField(label="Tot en met", widget=DateInput, required=False)

    period = ("start_date", "end_date", "De einddatum ligt vóór de begindatum.")


class EndForm(forms.Form):
    end_date = forms.DateField(label="Einddatum", widget=DateInput, initial=timezone.localdate)


class MonthForm(forms.Form):
    month = MonthField(label="Maand")


class IssueForm(forms.Form):
    month = MonthField(label="Maand")
    issued_on = forms.DateField(label="Factuurdatum", widget=DateInput, initial=timezone.localdate)


class CreditForm(forms.Form):
    reason = forms.CharField(label="Reden van de creditnota", max_length=300)
    issued_on = forms.DateField(
        label="Datum creditnota", widget=DateInput, initial=timezone.localdate
    )


class SendForm(forms.Form):
    issued_on = forms.DateField(label="Factuurdatum", widget=DateInput, initial=timezone.localdate)


class RenewForm(forms.Form):
    hourly_rate = forms.DecimalField(
        label="Nieuw uurtarief (excl. btw)", min_value=0, decimal_places=2, localize=True
    )
    end_date = forms.DateField(label="Nieuwe einddatum", widget=DateInput, required=False)
