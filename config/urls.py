"""Top-level URL map: the admin, accounts, and the workouts app."""

from django.contrib import admin
from django.urls import include, path

from workouts import views as workout_views

admin.site.site_header = "Footing catalogue"
admin.site.site_title = "Footing admin"

urlpatterns = [
    path("", workout_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("workouts.urls")),
]
