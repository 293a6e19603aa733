from django.apps import AppConfig


class TransitionConfig(AppConfig):
    name = "werkregie.transition"
    label = "transition"
    verbose_name = "Transitie"
