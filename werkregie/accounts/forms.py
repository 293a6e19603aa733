from django import forms

from werkregie.core.access import Role
from werkregie.organisations.models import Organisation


class LoginForm(forms.Form):
    username = forms.CharField(label="Gebruikersnaam", max_length=150)
    password = forms.CharField(label="Wachtwoord", widget=forms.PasswordInput)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code uit uw authenticator-app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("De code bestaat uit 6 cijfers.")
        return token


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Omschrijving", max_length=100, help_text="Bijvoorbeeld: koppeling salarissysteem"
    )
    valid_days = forms.IntegerField(label="Geldig (dagen)", min_value=1, max_value=365, initial=90)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reden", max_length=300)


class RoleChangeForm(ReasonForm):
    role = forms.ChoiceField(label="Rol", choices=[("", "geen rol"), *Role.choices], required=False)
    organisation = forms.ModelChoiceField(
        label="Organisatie", queryset=Organisation.objects.all(), required=False
    )

    field_order = ["role", "organisation", "reason"]
