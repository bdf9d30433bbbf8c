"""The installable app: the web app manifest, the service worker and its offline page."""

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import condition, require_GET

THEME_COLOUR = "#14532d"
BACKGROUND_COLOUR = "#fafaf9"

# What the service worker keeps from the moment it installs, so any page opens offline.
SHELL = (
    "css/app.css",
    "js/htmx.min.js",
    "js/pwa.js",
    "js/outbox.js",
    "js/session.js",
    "js/timezone.js",
    "icons/icon.svg",
    "icons/icon-192.png",
)
SERVICE_WORKER_SOURCE = "js/sw.js"

ICONS = (
    {"src": "icons/icon.svg", "sizes": "any", "type": "image/svg+xml"},
    {"src": "icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
    {"src": "icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
    {
        "src": "icons/icon-maskable-512.png",
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    },
)


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    home = reverse("home")
    data = {
        "id": home,
        "name": "Footing",
        "short_name": "Footing",
        "description": "Foot and ankle strength work for runners, tracked set by set.",
        "lang": "en",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [{**icon, "src": static(icon["src"])} for icon in ICONS],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


def _read_static(path: str) -> bytes:
    found = finders.find(path)
    if found is None:
        raise FileNotFoundError(f"static file {path} is missing")
    with open(found, "rb") as file:
        return file.read()


def _build_service_worker() -> str:
    """The worker's source with its settings in front; the version changes with the shell."""
    source = _read_static(SERVICE_WORKER_SOURCE)
    shell = [static(path) for path in SHELL]
    digest = hashlib.sha256(source)
    for path, url in zip(SHELL, shell, strict=True):
        digest.update(url.encode())
        digest.update(_read_static(path))
    digest.update(get_template("workouts/offline.html").template.source.encode())
    config = {
        "version": digest.hexdigest()[:16],
        "shell": shell,
        "offline": reverse("offline"),
        # Not static(""): the hashed-files manifest has no entry for the folder itself.
        "staticPrefix": settings.STATIC_URL,
        # Never kept: the account pages (sign-in, password, profile) and the staff admin.
        "private": [reverse("login").removesuffix("login/"), reverse("admin:index")],
    }
    return f"self.FOOTING = {json.dumps(config)};\n{source.decode()}"


_cached_service_worker = functools.cache(_build_service_worker)


def _service_worker() -> str:
    # Files change under a developer's feet; in production they only change with a deploy.
    return _build_service_worker() if settings.DEBUG else _cached_service_worker()


def _service_worker_etag(request: HttpRequest) -> str:
    return hashlib.sha256(_service_worker().encode()).hexdigest()[:32]


@login_not_required
@require_GET
@condition(etag_func=_service_worker_etag)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker lives at the site root so its scope covers every page."""
    response = HttpResponse(_service_worker(), content_type="text/javascript; charset=utf-8")
    # Browsers must ask every time, so a new version reaches phones on their next visit.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("home")
    return response


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page that was never opened on this phone.

    It is the same for everyone (no name, no form token): it is kept across sign-ins.
    """
    return render(request, "workouts/offline.html", {"theme_colour": THEME_COLOUR})
