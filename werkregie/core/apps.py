from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "werkregie.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from werkregie.core import schema  # noqa: F401  (registers the OpenAPI auth extension)

        # Every app's audit event names (core.audit_events), as the admin finds `admin`.
        autodiscover_modules("events")
