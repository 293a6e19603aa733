from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from werkregie.core.tables import MAX_FILE_BYTES
from werkregie.core.widgets import DateInput
from werkregie.organisations.models import Organisation, Site
from werkregie.transition.models import PlanEntry


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented pattern for a field that takes several files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class RosterUploadForm(forms.Form):
    # Not "files": that name is the form's own dict of uploads.
    exports = MultipleFileField(
        label="Exportbestanden",
        help_text="medewerkers, trajecten en/of contracten als .csv (; of ,) of .xlsx",
    )
    dry_run = forms.BooleanField(label="Alleen controleren, niets opslaan", required=False)

    def clean_exports(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["exports"]
        too_big = [f.name for f in files if (f.size or 0) > MAX_FILE_BYTES]
        if too_big:
            raise forms.ValidationError(
                f"Bestand groter dan {MAX_FILE_BYTES // 1024 // 1024} MB: "
                f"{', '.join(map(str, too_big))}."
            )
        return files


class PlanForm(forms.Form):
    effective_date = forms.DateField(
        label="Ingangsdatum",
        required=False,
        widget=DateInput(),
        help_text="Leeg: de ingangsdatum uit de beleidsregels (1 januari 2021).",
    )


class ResolveForm(forms.Form):
    decision = forms.CharField(
        label="Besluit en reden", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    employer = forms.ModelChoiceField(
        label="Werkgever (alleen bij een ander besluit dan het voorstel)",
        queryset=Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, municipality__in_region=True
        ),
        required=False,
    )
    organisation = forms.ModelChoiceField(
        label="Werkt bij (alleen bij een ander besluit dan het voorstel)",
        queryset=Organisation.objects.exclude(
            kind__in=[Organisation.Kind.JOINT_ARRANGEMENT, Organisation.Kind.LIMITED_COMPANY]
        ),
        required=False,
    )
    site = forms.ModelChoiceField(
        label="Werkplek (bij een onbekende locatie of een ander besluit)",
        queryset=Site.objects.all(),
        required=False,
    )
    duplicate_of = forms.ModelChoiceField(
        label="Dit is een dubbel record van (alleen bij een dubbele medewerker)",
        queryset=PlanEntry.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, entry: PlanEntry | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["duplicate_of"]
        assert isinstance(field, forms.ModelChoiceField)
        if entry is None:
            del self.fields["duplicate_of"]
            return
        # The other rows of the same plan with this person's BSN, by personnel number.
        field.queryset = (
            PlanEntry.objects.filter(plan_id=entry.plan_id, legacy__bsn=entry.legacy.bsn)
            .exclude(pk=entry.pk)
            .select_related("legacy")
        )
        if not field.queryset.exists():
            del self.fields["duplicate_of"]
