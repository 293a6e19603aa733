from django.apps import AppConfig


class EmployerServicesConfig(AppConfig):
    name = "werkregie.employer_services"
    label = "employer_services"
    verbose_name = "Werkgeversdienstverlening"
