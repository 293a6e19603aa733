from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.client_direction.models import Client, Consent, Order, Product, Restriction
from werkregie.core.access import Role
from werkregie.core.forms import PeriodForm, UserChoiceField
from werkregie.core.widgets import DateInput
from werkregie.organisations.models import Organisation, Team


class ProductChoiceField(forms.ModelChoiceField[Product]):
    def label_from_instance(self, obj: Product) -> str:
        return f"{obj.name} — {obj.provider.name} ({obj.get_unit_display()})"


class ClientForm(forms.Form):
    kind = forms.ChoiceField(label="Soort", choices=Client.Kind.choices)
    registered_on = forms.DateField(
        label="In regie sinds", widget=DateInput, initial=timezone.localdate
    )


class ConsentForm(PeriodForm):
    subject = forms.ChoiceField(label="Wat mag gedeeld worden", choices=Consent.Subject.choices)
    shared_with = forms.ModelChoiceField(
        label="Met wie",
        queryset=Organisation.objects.exclude(
            kind__in=[Organisation.Kind.JOINT_ARRANGEMENT, Organisation.Kind.LIMITED_COMPANY]
        ).order_by("name"),
    )
    given_on = forms.DateField(label="Gegeven op", widget=DateInput, initial=timezone.localdate)
    valid_to = forms.DateField(label="Geldig tot en met", widget=DateInput, required=False)

    period = ("given_on", "valid_to", "De einddatum ligt vóór de datum van toestemming.")


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label="Ingetrokken op", widget=DateInput, initial=timezone.localdate
    )


class RestrictionForm(PeriodForm):
    category = forms.ChoiceField(label="Soort", choices=Restriction.Category.choices)
    description = forms.CharField(label="Omschrijving", widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label="Bron", max_length=100)
    valid_from = forms.DateField(label="Geldig vanaf", widget=DateInput, initial=timezone.localdate)
    valid_to = forms.DateField(label="Geldig tot en met", widget=DateInput, required=False)

    period = ("valid_from", "valid_to", "De einddatum ligt vóór de begindatum.")


class OrderForm(PeriodForm):
    product = ProductChoiceField(label="Product", queryset=Product.objects.none())
    start_date = forms.DateField(label="Startdatum", widget=DateInput)
    end_date = forms.DateField(label="Geplande einddatum", widget=DateInput)

    def __init__(self, *args: Any, day: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Product.objects.active_on(day)
            .select_related("provider")
            .order_by("provider__name", "name")
        )

    period = ("start_date", "end_date", "De einddatum ligt vóór de startdatum.")


def _colleagues(organisation_id: Any, role: Role) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(organisation_id=organisation_id, role=role, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


class AcceptForm(forms.Form):
    jobcoach = UserChoiceField(label="Jobcoach", queryset=get_user_model().objects.none())
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider_id = order.product.provider_id
        jobcoach, team = self.fields["jobcoach"], self.fields["team"]
        assert isinstance(jobcoach, forms.ModelChoiceField)
        assert isinstance(team, forms.ModelChoiceField)
        jobcoach.queryset = _colleagues(provider_id, Role.JOB_COACH)
        team.queryset = Team.objects.filter(organisation_id=provider_id).order_by("name")


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="Reden van weigering", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label="Datum", widget=DateInput, initial=timezone.localdate)
    hours = forms.DecimalField(
        label="Uren", min_value=0, max_digits=6, decimal_places=2, localize=True
    )
    attendance_percentage = forms.IntegerField(
        label="Aanwezigheid (%)", min_value=0, max_value=100, required=False
    )
    note = forms.CharField(label="Voortgang", widget=forms.Textarea(attrs={"rows": 3}))


class CompleteForm(forms.Form):
    ended_on = forms.DateField(label="Afgerond op", widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(
        label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StopForm(forms.Form):
    ended_on = forms.DateField(label="Gestopt op", widget=DateInput, initial=timezone.localdate)
    result = forms.ChoiceField(
        label="Resultaat",
        choices=[c for c in Order.Result.choices if c[0] != Order.Result.AS_PLANNED],
    )
    note = forms.CharField(
        label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandOverForm(forms.Form):
    from_user = UserChoiceField(
        label="Van (vertrekkende collega)", queryset=get_user_model().objects.none()
    )
    to_user = UserChoiceField(label="Naar", queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_user", "to_user"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = _colleagues(user.organisation_id, Role(user.role))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from_user") and data.get("from_user") == data.get("to_user"):
            self.add_error("to_user", "Kies een andere collega om aan over te dragen.")
        return data
