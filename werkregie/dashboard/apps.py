from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "werkregie.dashboard"
    label = "dashboard"
    verbose_name = "Startpagina"
