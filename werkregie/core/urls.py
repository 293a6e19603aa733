from django.urls import path

from werkregie.core import views

app_name = "core"
urlpatterns = [
    path("auditlog/", views.audit_log, name="audit"),
    path("gezondheid/", views.health, name="health"),
]
