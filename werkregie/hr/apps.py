from django.apps import AppConfig


class HrConfig(AppConfig):
    name = "werkregie.hr"
    label = "hr"
    verbose_name = "HR en salarisadministratie"
