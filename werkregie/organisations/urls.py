from django.urls import path

from werkregie.organisations import views

app_name = "organisations"
urlpatterns = [
    path("regio/", views.chart, name="chart"),
    path("regio/organisaties/<int:pk>/", views.organisation_detail, name="detail"),
]
