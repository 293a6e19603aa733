"""Forms of the planning & control screens; the services decide, the forms check input."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from werkregie.client_direction.models import Product
from werkregie.organisations.models import Municipality, Organisation
from werkregie.planning.models import (
    Activity,
    AgreementTarget,
    Decision,
    PerformanceAgreement,
    Scenario,
    SiteCost,
)

DATE = forms.DateInput(attrs={"type": "date"})


class AgreementForm(forms.ModelForm[PerformanceAgreement]):
    class Meta:
        model = PerformanceAgreement
        fields = ["municipality", "provider", "year", "budget", "mandate"]

    def __init__(
        self,
        *args: Any,
        municipalities: QuerySet[Municipality],
        providers: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        """The service says so in Dutch, naming the agreement."""


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label="Indicator", choices=AgreementTarget.Indicator.choices)
    product = forms.ModelChoiceField(
        label="Product (bij productafspraken)", queryset=Product.objects.none(), required=False
    )
    target = forms.DecimalField(label="Doel", min_value=0, max_digits=12, decimal_places=2)
    budget = forms.DecimalField(
        label="Budget (€, bij productafspraken)",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )

    def __init__(self, *args: Any, provider: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Product.objects.filter(provider=provider).order_by("name")


class ScenarioForm(forms.ModelForm[Scenario]):
    class Meta:
        model = Scenario
        fields = [
            "name",
            "execution_model",
            "description",
            "until_year",
            "indexation_pct",
            "contribution_growth_pct",
            "overhead_per_work_year",
            "fixed_costs_per_organisation",
            "hazard_factor",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def validate_unique(self) -> None:
        """The service refuses a second scenario of the same name, in Dutch."""


class SiteCostForm(forms.ModelForm[SiteCost]):
    class Meta:
        model = SiteCost
        fields = ["site", "yearly_cost", "book_value", "m2_per_workplace", "note"]

    def validate_unique(self) -> None:
        """One row per site: the service updates it."""


class ActivityForm(forms.ModelForm[Activity]):
    class Meta:
        model = Activity
        fields = ["what", "who", "date", "time", "place", "status"]
        widgets = {"date": DATE}

    def validate_unique(self) -> None:
        """The service refuses the same activity on the same day, in Dutch."""


class DecisionForm(forms.ModelForm[Decision]):
    class Meta:
        model = Decision
        fields = ["body", "municipality", "kind", "subject", "date", "outcome", "activity", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2})}


class DocumentForm(forms.Form):
    document = forms.FileField(label="Document (pdf, docx, xlsx, odt, txt; max. 10 MB)")
