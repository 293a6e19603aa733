from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "werkregie.planning"
    label = "planning"
    verbose_name = "Planning & control"
