from django.urls import path

from werkregie.client_direction import views

app_name = "client_direction"
urlpatterns = [
    path("klantregie/producten/", views.catalogue, name="catalogue"),
    path("klantregie/clienten/", views.client_list, name="clients"),
    path(
        "klantregie/clienten/nieuw/<int:person_pk>/", views.client_register, name="client_register"
    ),
    path("klantregie/clienten/<int:pk>/", views.client_detail, name="client"),
    path("klantregie/clienten/<int:pk>/toestemming/", views.consent_add, name="consent_add"),
    path(
        "klantregie/clienten/<int:pk>/toestemming/<int:consent_pk>/intrekken/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("klantregie/clienten/<int:pk>/beperking/", views.restriction_add, name="restriction_add"),
    path("klantregie/clienten/<int:pk>/opdracht/", views.order_place, name="order_place"),
    path("klantregie/opdrachten/", views.order_list, name="orders"),
    path("klantregie/opdrachten/<int:pk>/", views.order_detail, name="order"),
    path("klantregie/opdrachten/<int:pk>/<slug:step>/", views.order_step, name="order_step"),
    path("klantregie/overdracht/", views.hand_over, name="hand_over"),
    path("klantregie/maandoverzicht/", views.statement, name="statement"),
    path("klantregie/maandoverzicht/bestand/", views.statement_file, name="statement_file"),
]
