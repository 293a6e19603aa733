from django.urls import path

from werkregie.core import views

app_name = "core"
urlpatterns = [
    path("auditlog/", views.audit_log, name="audit"),
    path("gezondheid/", views.health, name="health"),
    path("taken/", views.job_list, name="jobs"),
    path("taken/<uuid:pk>/", views.job_detail, name="job"),
    path("taken/<uuid:pk>/bestanden/<int:position>/", views.job_file, name="job_file"),
]
