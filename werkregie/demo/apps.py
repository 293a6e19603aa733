from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "werkregie.demo"
    label = "demo"
    verbose_name = "Demogegevens"
