"""`/healthz`: what the proxy and the container orchestrator ask before sending traffic.

200 when this process can reach the database, 503 when it cannot, so a web replica that
lost its database is taken out of rotation instead of answering users with errors. Plain
text, never cached, no login, and exempt from the HTTPS redirect (the proxy asks over
the private network).
"""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
