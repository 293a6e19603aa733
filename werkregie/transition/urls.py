from django.urls import path

from werkregie.transition import views

app_name = "transition"
urlpatterns = [path("transitie/import/", views.roster_import, name="import")]
