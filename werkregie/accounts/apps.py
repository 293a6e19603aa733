from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "werkregie.accounts"
    label = "accounts"
    verbose_name = "Gebruikers"
