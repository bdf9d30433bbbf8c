"""Sign-in, sign-up, password and profile URLs under /accounts/."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

import config.converters  # noqa: F401 - registers <id:...>
from accounts import views
from accounts.forms import ChangePasswordForm, LoginForm, NewPasswordForm

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("coaches/", views.coaches, name="coaches"),
    path("coaches/join/<str:code>/", views.coach_join, name="coach_join"),
    path("coaches/<id:coach_pk>/revoke/", views.coach_revoke, name="coach_revoke"),
    path("invite/", views.coach_invite, name="coach_invite"),
    path("data.json", views.data_download, name="data_download"),
    path("delete/", views.account_delete, name="account_delete"),
    # Django's views with our wording; these come first so they win over the include.
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm),
        name="password_change",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path("", include("django.contrib.auth.urls")),
]
