from django import forms


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
