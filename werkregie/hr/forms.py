from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from werkregie.hr.models import EmploymentChange
from werkregie.organisations.models import Organisation, Site, Team
from werkregie.people.models import Employment

DATE = forms.DateInput(attrs={"type": "date"})


class ChangeForm(forms.Form):
    personnel_number = forms.CharField(label="Personeelsnummer", max_length=20)
    kind = forms.ChoiceField(
        label="Soort mutatie",
        choices=[c for c in EmploymentChange.Kind.choices if c[0] != "indexation"],
    )
    effective_date = forms.DateField(
        label="Ingangsdatum",
        required=False,
        widget=DATE,
        help_text="Bij uit dienst wegens AOW rekent Werkregie de datum zelf uit.",
    )
    hours_per_week = forms.DecimalField(
        label="Uren per week",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(60),
        decimal_places=2,
    )
    scale = forms.CharField(label="Schaal", required=False, max_length=10)
    step = forms.IntegerField(label="Trede", required=False, min_value=0, max_value=30)
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.order_by("name"), required=False
    )
    site = forms.ModelChoiceField(
        label="Locatie", queryset=Site.objects.order_by("name"), required=False
    )
    work_form = forms.ChoiceField(
        label="Werkvorm", choices=[("", "—"), *Employment.WorkForm.choices], required=False
    )
    leave_type = forms.CharField(label="Soort verlof", required=False, max_length=60)
    end_reason = forms.ChoiceField(
        label="Reden uit dienst",
        choices=[("", "—"), *EmploymentChange.EndReason.choices],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        retirement = data.get("kind") == "end" and data.get("end_reason") == "retirement"
        if not data.get("effective_date") and not retirement:
            self.add_error("effective_date", "Vul de ingangsdatum in.")
        if retirement and not data.get("effective_date"):
            data["effective_date"] = timezone.localdate()
        return data


class MonthForm(forms.Form):
    month = forms.DateField(label="Maand (JJJJ-MM)", input_formats=["%Y-%m"])


class IndexationForm(forms.Form):
    effective_date = forms.DateField(label="Ingangsdatum", widget=DATE)


class PayrollForm(forms.Form):
    employer = forms.ModelChoiceField(label="Werkgever", queryset=Organisation.objects.none())
    month = forms.DateField(label="Maand (JJJJ-MM)", input_formats=["%Y-%m"])

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = employers


class ChargeForm(forms.Form):
    employer = forms.ModelChoiceField(
        label="Werkgever",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Alle werkgevers (standaard)",
    )
    component = forms.CharField(label="Onderdeel", max_length=60)
    percentage = forms.DecimalField(
        label="Percentage", min_value=Decimal(0), max_value=Decimal(100), decimal_places=2
    )
    valid_from = forms.DateField(label="Geldig vanaf", widget=DATE)

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = employers
