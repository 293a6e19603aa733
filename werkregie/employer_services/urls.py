from django.urls import path

from werkregie.employer_services import views

app_name = "employer_services"
urlpatterns = [
    path("werkgevers/", views.employer_list, name="employers"),
    path("werkgevers/nieuw/", views.employer_create, name="employer_create"),
    path("werkgevers/import/", views.employer_import, name="employer_import"),
    path("werkgevers/<int:pk>/", views.employer_detail, name="employer"),
    path("werkgevers/<int:pk>/wijzigen/", views.employer_edit, name="employer_edit"),
    path("werkgevers/<int:employer_pk>/vacature/", views.vacancy_create, name="vacancy_create"),
    path("werkgevers/<int:pk>/<slug:step>/", views.employer_step, name="employer_step"),
    path("vacatures/", views.vacancy_list, name="vacancies"),
    path("vacatures/<int:pk>/", views.vacancy_detail, name="vacancy"),
    path("vacatures/<int:pk>/wijzigen/", views.vacancy_edit, name="vacancy_edit"),
    path(
        "vacatures/<int:pk>/kandidaat/<int:profile_pk>/uitkomst/",
        views.vacancy_outcome,
        name="vacancy_outcome",
    ),
    path("kandidaten/", views.profile_list, name="profiles"),
    path("kandidaten/nieuw/<int:person_pk>/", views.profile_create, name="profile_create"),
    path("kandidaten/<int:pk>/", views.profile_detail, name="profile"),
    path("kandidaten/<int:pk>/wijzigen/", views.profile_edit, name="profile_edit"),
    path("kandidaten/<int:pk>/<slug:step>/", views.profile_step, name="profile_step"),
    path("matches/", views.match_overview, name="matches"),
]
