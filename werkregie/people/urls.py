from django.urls import path

from werkregie.people import views

app_name = "people"
urlpatterns = [
    path("personen/", views.person_list, name="list"),
    path("personen/zoeken/", views.person_search, name="search"),
    path("personen/nieuw/", views.person_create, name="create"),
    path("personen/<int:pk>/", views.person_detail, name="detail"),
    path("personen/<int:pk>/wijzigen/", views.person_edit, name="edit"),
    path("dienstverbanden/<int:pk>/wijzigen/", views.employment_change, name="employment_change"),
]
