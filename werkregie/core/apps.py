from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "werkregie.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from werkregie.core import schema  # noqa: F401  (registers the OpenAPI auth extension)
