from django.apps import AppConfig


class SecondmentsConfig(AppConfig):
    name = "werkregie.secondments"
    label = "secondments"
    verbose_name = "Detacheringen en facturatie"
