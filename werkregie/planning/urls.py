from django.urls import path

from werkregie.planning import views

app_name = "planning"
urlpatterns = [
    path("prestatieafspraken/", views.agreements, name="agreements"),
    path("prestatieafspraken/<int:pk>/", views.agreement_detail, name="agreement"),
    path("prestatieafspraken/<int:pk>/<slug:step>/", views.agreement_step, name="agreement_step"),
    path("rapportage/", views.pc_report, name="report"),
    path("prognose/", views.forecast, name="forecast"),
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/<int:pk>/", views.scenario_edit, name="scenario"),
    path("vastgoed/", views.real_estate_view, name="real_estate"),
    path("roadmap/", views.roadmap, name="roadmap"),
    path("roadmap/besluit/<int:pk>/", views.decision_detail, name="decision"),
    path("roadmap/document/<int:pk>/", views.document_download, name="document"),
]
