"""An optional PostgreSQL read replica for the coach's read-only pages.

Set `DATABASE_REPLICA_URL` and the settings add a `replica` database and this router.
Without it nothing here does anything: every query goes to `default`.

What reads from the replica: only the views marked `@reads_from_replica` (the coach's
roster and athlete pages, on GET). They are read-heavy (a year of logs per athlete) and a
second or two of replication lag is harmless there. Everything else stays on the primary:

- every write, always (`db_for_write`), so nothing is ever written to the replica;
- the athlete's own pages, which must show the set just logged;
- the access checks in `workouts/coaching.py`, which name the primary explicitly: a
  revoked link ends a coach's access on the next request, whatever the replica's lag;
- the next few seconds of reads of someone who has just changed something (a coach who set
  a target sees it on the page they are sent back to): see `PinPrimaryAfterWrite`.
"""

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = DEFAULT_DB_ALIAS
PIN_COOKIE = "footing_primary"
PIN_SECONDS = 10

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    """Reads go to the replica only inside a `@reads_from_replica` view."""

    def db_for_read(self, model, **hints) -> str | None:
        return REPLICA if _reading_replica.get() else None

    def db_for_write(self, model, **hints) -> str:
        # Explicit: an object read from the replica and then saved must go to the primary.
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same rows on both databases

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db != REPLICA  # the replica follows the primary's schema by replication


def reads_from_replica[**P](
    view: Callable[P, HttpResponse],
) -> Callable[P, HttpResponse]:
    """Run a read-only (GET) view's queries on the replica when there is one."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        request = args[0]
        assert isinstance(request, HttpRequest)  # noqa: S101 - a view's first argument
        if (
            request.method not in ("GET", "HEAD")
            or not replica_configured()
            or PIN_COOKIE in request.COOKIES
        ):
            return view(*args, **kwargs)
        token = _reading_replica.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _reading_replica.reset(token)

    return wrapper


class PinPrimaryAfterWrite:
    """After a successful POST, read from the primary for a few seconds.

    The cookie only steers the sender's own reads; forging it just costs them the replica.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "POST" and response.status_code < 400 and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=PIN_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
