from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from werkregie.core.forms import PeriodForm, UserChoiceField
from werkregie.core.widgets import DateInput
from werkregie.employer_services.models import (
    Agreement,
    CandidateProfile,
    ContactMoment,
    Employer,
    Match,
    Vacancy,
)
from werkregie.employer_services.services import ACCOUNT_ORGANISATIONS, ACCOUNT_ROLES
from werkregie.employer_services.vocabulary import (
    DEMANDS,
    OCCUPATIONS,
    SECTORS,
    SKILLS,
    Vocabulary,
)
from werkregie.organisations.models import Municipality, Organisation


class CodeSetField(forms.MultipleChoiceField):
    """Checkboxes of a vocabulary; cleaned to the bit mask the models keep."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, vocabulary: Vocabulary, **kwargs: Any) -> None:
        self.vocabulary = vocabulary
        super().__init__(choices=vocabulary.choices, required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return self.vocabulary.decode(value)
        return value

    def clean(self, value: Any) -> int:
        return self.vocabulary.mask(super().clean(value))


class EmployerForm(forms.Form):
    kvk_number = forms.CharField(label="KvK-nummer", max_length=8, min_length=8)
    establishment_number = forms.CharField(label="Vestigingsnummer", max_length=12, required=False)
    name = forms.CharField(label="Naam", max_length=200)
    sbi_code = forms.CharField(
        label="SBI-code", max_length=5, required=False, help_text="Bijvoorbeeld 2562."
    )
    street = forms.CharField(label="Straat", max_length=120, required=False)
    house_number = forms.CharField(label="Huisnummer", max_length=12, required=False)
    postcode = forms.CharField(label="Postcode", max_length=7)
    city = forms.CharField(label="Plaats", max_length=80)
    staff_count = forms.IntegerField(label="Aantal medewerkers", min_value=0, required=False)
    confirmed = forms.BooleanField(
        label="Dit is een andere werkgever dan de gelijkende",
        required=False,
        help_text="Alleen nodig als Werkregie meldt dat de werkgever mogelijk dubbel is.",
    )

    @classmethod
    def initial_for(cls, employer: Employer) -> dict[str, Any]:
        return {name: getattr(employer, name) for name in cls.base_fields if name != "confirmed"}


class EmployerImportForm(forms.Form):
    file = forms.FileField(label="Werkgeverslijst (CSV met ; of .xlsx)")
    dry_run = forms.BooleanField(label="Alleen controleren", required=False)
    confirm_overwrite = forms.BooleanField(
        label="Ik heb de wijzigingen in bestaande werkgevers gezien: overschrijven",
        required=False,
    )


class AccountHolderForm(forms.Form):
    user = UserChoiceField(label="Accounthouder", queryset=get_user_model().objects.none())
    started_on = forms.DateField(label="Sinds", widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                role__in=[r.value for r in ACCOUNT_ROLES],
                organisation__kind__in=list(ACCOUNT_ORGANISATIONS),
            )
            .order_by("organisation__name", "username")
        )


class ReleaseForm(forms.Form):
    ended_on = forms.DateField(label="Tot en met", widget=DateInput, initial=timezone.localdate)


class ContactForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=120)
    function = forms.CharField(label="Functie", max_length=120, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    phone = forms.CharField(label="Telefoon", max_length=20, required=False)


class ContactMomentForm(forms.Form):
    occurred_on = forms.DateField(label="Datum", widget=DateInput, initial=timezone.localdate)
    channel = forms.ChoiceField(label="Soort contact", choices=ContactMoment.Channel.choices)
    subject = forms.CharField(label="Onderwerp", max_length=200)
    notes = forms.CharField(
        label="Verslag", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_on = forms.DateField(label="Vervolg op", widget=DateInput, required=False)


class AgreementForm(PeriodForm):
    kind = forms.ChoiceField(label="Soort", choices=Agreement.Kind.choices)
    description = forms.CharField(label="Afspraak", widget=forms.Textarea(attrs={"rows": 3}))
    party = forms.ModelChoiceField(
        label="Afgesproken door",
        queryset=Organisation.objects.filter(kind__in=ACCOUNT_ORGANISATIONS).order_by("name"),
    )
    valid_from = forms.DateField(label="Geldig vanaf", widget=DateInput, initial=timezone.localdate)
    valid_to = forms.DateField(label="Geldig tot en met", widget=DateInput, required=False)

    period = ("valid_from", "valid_to", "De einddatum ligt vóór de begindatum.")


class MergeForm(forms.Form):
    duplicate = forms.CharField(
        label="KvK-nummer van het dubbele record",
        max_length=8,
        help_text="Dat record gaat op in dit record; alles wat het had, komt hierheen.",
    )


class VacancyForm(forms.Form):
    title = forms.CharField(label="Functie", max_length=150)
    occupation = forms.ChoiceField(label="Beroepsveld", choices=OCCUPATIONS.choices)
    hours_per_week = forms.DecimalField(
        label="Uren per week", min_value=1, max_value=40, decimal_places=1, localize=True
    )
    municipality = forms.ModelChoiceField(
        label="Werklocatie (gemeente)",
        queryset=Municipality.objects.order_by("name"),
        required=False,
        help_text="Leeg: de gemeente van de werkgever.",
    )
    location = forms.CharField(label="Adres werklocatie", max_length=200, required=False)
    required_skills = CodeSetField(SKILLS, label="Vereiste vaardigheden")
    demands = CodeSetField(
        DEMANDS, label="Wat het werk vraagt", help_text="Een kandidaat die dit niet kan, valt af."
    )
    requirements = forms.CharField(
        label="Overige eisen", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_date = forms.DateField(label="Startdatum", widget=DateInput)
    positions = forms.IntegerField(label="Aantal plaatsen", min_value=1, initial=1)
    status = forms.ChoiceField(label="Status", choices=Vacancy.Status.choices, initial="open")


class ProfileForm(forms.Form):
    occupation_1 = forms.ChoiceField(
        label="Werkervaring: beroepsveld",
        choices=[("", "—"), *OCCUPATIONS.choices],
        required=False,
    )
    description_1 = forms.CharField(label="Werkervaring: wat", max_length=200, required=False)
    years_1 = forms.IntegerField(label="Werkervaring: jaren", min_value=0, max_value=60, initial=0)
    occupation_2 = forms.ChoiceField(
        label="Meer werkervaring: beroepsveld",
        choices=[("", "—"), *OCCUPATIONS.choices],
        required=False,
    )
    description_2 = forms.CharField(label="Meer werkervaring: wat", max_length=200, required=False)
    years_2 = forms.IntegerField(
        label="Meer werkervaring: jaren", min_value=0, max_value=60, initial=0
    )
    skills = CodeSetField(SKILLS, label="Vaardigheden")
    wished_occupations = CodeSetField(OCCUPATIONS, label="Wil graag werken in")
    wished_sectors = CodeSetField(SECTORS, label="Gewenste sectoren (leeg: geen voorkeur)")
    hours_min = forms.DecimalField(
        label="Uren per week, minimaal", min_value=1, max_value=40, decimal_places=1, localize=True
    )
    hours_max = forms.DecimalField(
        label="Uren per week, maximaal", min_value=1, max_value=40, decimal_places=1, localize=True
    )
    max_travel_km = forms.IntegerField(
        label="Reisafstand, maximaal (km)", min_value=0, max_value=200, initial=15
    )
    available_from = forms.DateField(
        label="Beschikbaar vanaf", widget=DateInput, initial=timezone.localdate
    )
    status = forms.ChoiceField(
        label="Status", choices=CandidateProfile.Status.choices, initial="active"
    )
    restrictions = CodeSetField(
        DEMANDS,
        label="Beperkingen: wat de kandidaat niet kan",
        help_text="Bijzonder persoonsgegeven: alleen voor de begeleider; nooit in het auditlog.",
    )
    restricted_hours = forms.DecimalField(
        label="Urenbeperking (max. per week)",
        min_value=1,
        max_value=40,
        decimal_places=1,
        required=False,
        localize=True,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("hours_min"), data.get("hours_max")
        if low is not None and high is not None and high < low:
            self.add_error("hours_max", "Het maximum is kleiner dan het minimum.")
        return data

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments: experience rows from the paired fields."""
        data = dict(self.cleaned_data)
        experience = []
        for n in (1, 2):
            code = data.pop(f"occupation_{n}")
            description, years = data.pop(f"description_{n}"), data.pop(f"years_{n}")
            if code:
                experience.append(
                    {"occupation": code, "description": description, "years": years or 0}
                )
        data["experience"] = experience
        return data

    @classmethod
    def initial_for(cls, profile: CandidateProfile) -> dict[str, Any]:
        initial = {
            name: getattr(profile, name)
            for name in cls.base_fields
            if hasattr(profile, name) and not name.endswith(("_1", "_2"))
        }
        for n, row in enumerate(profile.experience[:2], start=1):
            initial[f"occupation_{n}"] = row["occupation"]
            initial[f"description_{n}"] = row.get("description", "")
            initial[f"years_{n}"] = row.get("years", 0)
        return initial


class ConsentForm(forms.Form):
    party = forms.ChoiceField(
        label="Wie stemt in",
        choices=[("candidate", "De kandidaat"), ("professional", "Ik, als begeleider")],
    )
    given_on = forms.DateField(label="Op", widget=DateInput, initial=timezone.localdate)


class WithdrawConsentForm(forms.Form):
    withdrawn_on = forms.DateField(
        label="Ingetrokken op", widget=DateInput, initial=timezone.localdate
    )


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(label="Uitkomst", choices=Match.Status.choices)
    reason = forms.ChoiceField(
        label="Reden (bij afwijzing)", choices=[("", "—"), *Match.Reason.choices], required=False
    )
    note = forms.CharField(label="Toelichting", max_length=2000, required=False)
