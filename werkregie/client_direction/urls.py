from django.urls import path

from werkregie.client_direction import views

app_name = "client_direction"
urlpatterns = [
    path("klantregie/producten/", views.catalogue, name="catalogue"),
]
