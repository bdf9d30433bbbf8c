"""Week boundaries, the one place that decides them.

A week runs Monday to Sunday in the athlete's own time zone. A session belongs to the
local date it was started on, in the zone the athlete had *then* (stored on the session),
so changing zone later never moves past sessions between weeks. Everything downstream
works with local dates, which daylight-saving changes cannot shift.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import DateField, Func
from django.utils import timezone

WEEK = timedelta(days=7)


def local_date(moment: datetime, zone: ZoneInfo | str) -> date:
    """The calendar date of an aware datetime in the given zone."""
    if isinstance(zone, str):
        zone = ZoneInfo(zone)
    return moment.astimezone(zone).date()


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def week_start_sql(column: str, vendor: str) -> str:
    """`week_start` as SQL over a date column, for PostgreSQL or SQLite.

    Written for a cursor with parameters, so a literal percent sign is doubled.
    """
    if vendor == "postgresql":
        # 0001-01-01 was a Monday. Whole days are integers here, which is twice as fast
        # as date_trunc: that turns each date into a timestamp with time zone and back.
        return f"({column} - MOD({column} - DATE '0001-01-01', 7))"
    if vendor == "sqlite":
        # %w counts from Sunday (0); step back to Monday.
        return (
            f"DATE({column}, '-' || ((CAST(STRFTIME('%%w', {column}) AS INTEGER) + 6) %% 7)"
            " || ' days')"
        )
    raise NotImplementedError(f"no week start in SQL for {vendor}")


class WeekStart(Func):
    """`week_start` in a query, over a date column: the Monday of the week holding it."""

    arity = 1
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.get_source_expressions()[0])
        if params:
            raise ValueError("WeekStart takes a date column")
        return week_start_sql(column, connection.vendor), params


def today(zone: ZoneInfo | str) -> date:
    return local_date(timezone.now(), zone)


@dataclass(frozen=True)
class Week:
    start: date  # a Monday

    @property
    def end(self) -> date:
        """The Sunday."""
        return self.start + timedelta(days=6)

    @property
    def next(self) -> "Week":
        return Week(self.start + WEEK)

    @property
    def previous(self) -> "Week":
        return Week(self.start - WEEK)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def bounds(self, zone: ZoneInfo | str) -> tuple[datetime, datetime]:
        """Local midnight on Monday and on the next Monday, as UTC instants.

        Across a daylight-saving change the span is 167 or 169 hours, not 168.
        """
        if isinstance(zone, str):
            zone = ZoneInfo(zone)
        return (
            datetime.combine(self.start, time(), tzinfo=zone).astimezone(UTC),
            datetime.combine(self.next.start, time(), tzinfo=zone).astimezone(UTC),
        )

    def label(self) -> str:
        """ "3-9 Nov", "27 Oct-2 Nov"."""
        if self.start.month == self.end.month:
            return f"{self.start.day}-{self.end.day} {self.end:%b}"
        return f"{self.start.day} {self.start:%b}-{self.end.day} {self.end:%b}"


def week_of(day: date) -> Week:
    return Week(week_start(day))


def weeks_between(first: Week, last: Week) -> list[Week]:
    """Every week from `first` to `last`, both included, oldest first."""
    weeks = []
    week = first
    while week.start <= last.start:
        weeks.append(week)
        week = week.next
    return weeks
