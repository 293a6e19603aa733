from django.urls import path

from werkregie.hr import views

app_name = "hr"
urlpatterns = [
    path("loontabellen/", views.wage_tables, name="wage_tables"),
    path("mutaties/", views.changes, name="changes"),
    path("mutaties/periodieken/", views.periodic_increases, name="periodic_increases"),
    path("indexatie/", views.indexation_list, name="indexations"),
    path("indexatie/<int:pk>/", views.indexation_detail, name="indexation"),
    path("indexatie/<int:pk>/<slug:step>/", views.indexation_step, name="indexation_step"),
    path("salarisbestanden/", views.payroll_view, name="payroll"),
    path("salarisbestanden/definitief/", views.payroll_finalise, name="payroll_finalise"),
    path("salarisbestanden/<int:pk>/<slug:fmt>/", views.payroll_download, name="payroll_download"),
    path("loonkosten/", views.costs, name="costs"),
    path("wsw-statistiek/", views.wsw_statistics, name="statistics"),
    path("wsw-statistiek/bestand/", views.statistics_file, name="statistics_file"),
    path("wsw-statistiek/aanleveren/", views.statistics_deliver, name="statistics_deliver"),
    path(
        "wsw-statistiek/aanlevering/<int:pk>/",
        views.statistics_delivered,
        name="statistics_delivered",
    ),
    path("rijksbijdrage/", views.state_contribution, name="contribution"),
]
