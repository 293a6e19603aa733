from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from werkregie.core.bsn import normalise_bsn, validate_bsn
from werkregie.core.widgets import DateInput
from werkregie.organisations.models import Municipality, Organisation, Site, Team
from werkregie.people.models import Employment, Person
from werkregie.people.services import CHANGEABLE_EMPLOYMENT_FIELDS, PERSON_FIELDS

DATE_WIDGET = DateInput()


class PersonForm(forms.ModelForm[Person]):
    bsn = forms.CharField(label="BSN", required=False, max_length=11)
    residence_municipality = forms.ModelChoiceField(
        label="Woongemeente",
        queryset=Municipality.objects.all(),
        required=False,
        help_text="Leeg laten om de woongemeente af te leiden uit de postcode.",
    )

    class Meta:
        model = Person
        # The old company's personnel number arrives by import, not by hand.
        fields = [name for name in PERSON_FIELDS if name != "personnel_number"]
        widgets = {"birth_date": DATE_WIDGET}

    def clean_bsn(self) -> str | None:
        raw: str = self.cleaned_data.get("bsn") or ""
        if not raw.strip():
            return None
        value = normalise_bsn(raw)
        validate_bsn(value)
        return value

    def clean_birth_date(self) -> date:
        value: date = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("De geboortedatum ligt in de toekomst.")
        return value

    def _post_clean(self) -> None:
        # The form checks the input's shape; the service builds and validates the model
        # (uniqueness, residence from postcode), so the instance is not touched here.
        return None


class EmploymentChangeForm(forms.ModelForm[Employment]):
    effective_date = forms.DateField(label="Ingangsdatum", widget=DATE_WIDGET)

    class Meta:
        model = Employment
        fields = list(CHANGEABLE_EMPLOYMENT_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Organisation.objects.all()  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.select_related("organisation")  # type: ignore[attr-defined]
        self.fields["site"].queryset = Site.objects.all()  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # The service validates the new version; the current one must stay as it is.
        return None

    def changes(self) -> dict[str, Any]:
        """Only the fields the user actually changed."""
        return {
            name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields
        }
