"""The 500 handler: a database that cannot be reached is a 503 with a short, calm page.

While PostgreSQL restarts, every request fails for a few seconds. Users (and the offline
outbox, which retries any 5xx) should learn "try again in a moment", not see a bare
"Server Error". The page is plain HTML from this file: it touches neither the database
nor the template engine, which may be what failed.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.views.defaults import server_error

RETRY_AFTER_SECONDS = 5

UNAVAILABLE_PAGE = """<!doctype html>
<html lang="en-gb">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Back in a moment · Footing</title></head>
<body>
<main>
<h1>Back in a moment</h1>
<p>Footing can't reach its database right now. Try again in a few seconds.</p>
<p>Sets you logged on this phone are kept and sent again by themselves.</p>
</main>
</body>
</html>
"""


def handler500(request: HttpRequest) -> HttpResponse:
    _, error, _ = sys.exc_info()
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(UNAVAILABLE_PAGE, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return server_error(request)
