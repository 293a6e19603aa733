from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "werkregie.organisations"
    label = "organisations"
    verbose_name = "Regio en organisaties"
