"""The CSV export of an athlete's set logs: one row per set, streamed."""

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils.text import slugify

from accounts.models import User
from workouts.models import SetLog

HEADER = [
    "date",
    "time",
    "time_zone",
    "routine",
    "circuit",
    "exercise",
    "variation",
    "round",
    "counted",
    "value",
    "left",
    "right",
    "load_kg",
    "rpe",
    "pain",
    "note",
]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """Blank for nothing; text that a spreadsheet would run as a formula is defused."""
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def rows(athlete: User) -> Iterator[list[str]]:
    """Every set, oldest first, times in the athlete's zone; read in chunks, not all at once.

    Plain tuples rather than model instances: a year of sets is thousands of rows, and
    building four model objects per row cost more than the query.
    """
    zone = athlete.zone
    logs = (
        SetLog.objects.filter(session__athlete=athlete)
        .order_by("performed_at", "pk")
        .values_list(
            "performed_at",
            "session__routine_name",
            "session_exercise__circuit_name",
            "session_exercise__name",
            "variation__name",
            "round",
            "session_exercise__unit",
            "value",
            "left",
            "right",
            "load_kg",
            "rpe",
            "pain",
            "note",
        )
    )
    yield HEADER
    for performed_at, *fields in logs.iterator(chunk_size=2000):
        moment = performed_at.astimezone(zone)
        yield [
            _cell(v)
            for v in (
                moment.date().isoformat(),
                moment.strftime("%H:%M"),
                athlete.time_zone,
                *fields,
            )
        ]


def response(athlete: User) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    streamed = StreamingHttpResponse(
        (writer.writerow(row) for row in rows(athlete)), content_type="text/csv; charset=utf-8"
    )
    name = slugify(athlete.username) or "athlete"
    streamed["Content-Disposition"] = f'attachment; filename="footing-{name}-sets.csv"'
    streamed["Cache-Control"] = "private, no-store"
    return streamed
