from django.urls import path

from werkregie.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/code/", views.verify_view, name="verify"),
    path("inloggen/koppelen/", views.enroll_view, name="enroll"),
    path("uitloggen/", views.logout_view, name="logout"),
]
