"""Request-wide account behaviour: the user's time zone, and an expired login seen by htmx."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme


class UserTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


class HtmxLoginRedirectMiddleware:
    """An htmx request whose login has expired gets 401 and `HX-Redirect` to the login page.

    Without this, htmx follows the 302 and swaps the login form into the set row it was
    updating. htmx obeys `HX-Redirect` whatever the status, and the offline outbox treats
    401 as "signed out" and keeps its sets. After signing in, the athlete returns to the
    page they were on (`HX-Current-URL`), not to the fragment URL.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") != "true"
            or response.status_code != 302
            or urlsplit(response["Location"]).path != resolve_url(settings.LOGIN_URL)
        ):
            return response
        page = request.headers.get("HX-Current-URL", "")
        if not url_has_allowed_host_and_scheme(
            page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            page = request.get_full_path()
        parts = urlsplit(page)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
        expired = HttpResponse(status=401)
        expired["HX-Redirect"] = redirect_to_login(back)["Location"]
        return expired
