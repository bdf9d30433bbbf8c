"""Top-level URL map: the admin, accounts, the installable app's files, and the workouts app."""

from django.contrib import admin
from django.urls import include, path

from config.health import health
from workouts import pwa
from workouts import views as workout_views

admin.site.site_header = "Footing catalogue"
admin.site.site_title = "Footing admin"

# A database that cannot be reached answers 503 with Retry-After (config/errors.py).
handler500 = "config.errors.handler500"

urlpatterns = [
    path("", workout_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
    path("accounts/", include("accounts.urls")),
    # The service worker must be served from the root for its scope to cover every page.
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("", include("workouts.urls")),
]
