from django.urls import path

from werkregie.transition import views

app_name = "transition"
urlpatterns = [
    path("transitie/import/", views.roster_import, name="import"),
    path("transitie/plan/", views.plan_overview, name="plan"),
    path("transitie/plan/personen/<int:pk>/", views.plan_entry, name="entry"),
    path("transitie/plan/signalen/afhandelen/", views.resolve_bulk, name="resolve_bulk"),
    path("transitie/plan/voorleggen/", views.propose, name="propose"),
    path("transitie/goedkeuring/", views.approval, name="approval"),
    path("transitie/goedkeuring/goedkeuren/", views.approve, name="approve"),
    path("transitie/plan/uitvoeren/", views.execute, name="execute"),
    path("transitie/plan/terugzetten/", views.withdraw, name="withdraw"),
    path("transitie/aansluiting/", views.report, name="report"),
]
