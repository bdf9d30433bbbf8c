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
    """Every set, oldest first, times in the athlete's zone; read in chunks, not all at once."""
    zone = athlete.zone
    logs = (
        SetLog.objects.filter(session__athlete=athlete)
        .select_related("session", "session_exercise", "variation")
        .order_by("performed_at", "pk")
    )
    yield HEADER
    for log in logs.iterator(chunk_size=2000):
        moment = log.performed_at.astimezone(zone)
        exercise = log.session_exercise
        yield [
            _cell(v)
            for v in (
                moment.date().isoformat(),
                moment.strftime("%H:%M"),
                athlete.time_zone,
                log.session.routine_name,
                exercise.circuit_name,
                exercise.name,
                log.variation.name if log.variation else None,
                log.round,
                exercise.unit,
                log.value,
                log.left,
                log.right,
                log.load_kg,
                log.rpe,
                log.pain,
                log.note,
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
