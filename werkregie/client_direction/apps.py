from django.apps import AppConfig


class ClientDirectionConfig(AppConfig):
    name = "werkregie.client_direction"
    label = "client_direction"
    verbose_name = "Klantregie en dienstverlening"
