from django.urls import path

from werkregie.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/code/", views.verify_view, name="verify"),
    path("inloggen/koppelen/", views.enroll_view, name="enroll"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("account/api-sleutels/", views.api_tokens, name="api_tokens"),
    path(
        "account/api-sleutels/<int:pk>/intrekken/", views.api_token_revoke, name="api_token_revoke"
    ),
    path("gebruikers/", views.users, name="users"),
    path("gebruikers/<int:pk>/", views.user_detail, name="user"),
]
