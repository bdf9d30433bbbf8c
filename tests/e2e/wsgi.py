"""Footing as the offline browser tests run it: in its own process, with test-only switches.

tests/e2e/appserver.py starts this under gunicorn. A test flips a switch by creating a file
in the folder named by FOOTING_TEST_CONTROL:

- `unavailable`: every set POST gets a 503, as from a server that is overloaded or restarting.
- `lose-next-response`: the next set POST is stored as usual, then its connection is cut
  before the answer leaves, so the phone never learns that the set arrived.

Every set POST is written to `set-posts.log` in that folder: "<client_id> <status>", with
" lost" after the status when the answer was cut off. Nothing here is part of the app.
"""

import os
import re
import socket
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs

from django.core.wsgi import get_wsgi_application

CONTROL = Path(os.environ["FOOTING_TEST_CONTROL"])
SET_POST = re.compile(r"^/sessions/\d+/sets/$")

django_application = get_wsgi_application()


def _log(client_id: str, outcome: str) -> None:
    with (CONTROL / "set-posts.log").open("a") as log:
        log.write(f"{client_id} {outcome}\n")


def _claim(switch: str) -> bool:
    """Turn a one-shot switch off; only the request that manages to do so acts on it."""
    try:
        (CONTROL / switch).unlink()
    except FileNotFoundError:
        return False
    return True


def _cut_connection(environ) -> None:
    client = environ.get("gunicorn.socket")
    if client is None:
        os._exit(1)  # Not under gunicorn: dying is the only way to drop the answer.
    client.shutdown(socket.SHUT_RDWR)


def application(environ, start_response):
    if environ["REQUEST_METHOD"] != "POST" or not SET_POST.match(environ.get("PATH_INFO", "")):
        return django_application(environ, start_response)

    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = BytesIO(body)
    client_id = parse_qs(body.decode()).get("client_id", ["?"])[0]

    if (CONTROL / "unavailable").exists():
        _log(client_id, "503")
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"Footing is down for a moment (test switch)."]

    lose = _claim("lose-next-response")
    statuses = []

    def remember_status(status, headers, exc_info=None):
        statuses.append(status.split()[0])
        if lose:
            return lambda data: None
        return start_response(status, headers, exc_info)

    response = django_application(environ, remember_status)
    if not lose:
        _log(client_id, statuses[0])
        return response
    # Let the view finish (the set is committed), then hang up without answering.
    try:
        b"".join(response)
    finally:
        getattr(response, "close", lambda: None)()
    _log(client_id, f"{statuses[0]} lost")
    _cut_connection(environ)
    start_response("500 Connection Cut", [("Content-Type", "text/plain")])
    return [b""]
