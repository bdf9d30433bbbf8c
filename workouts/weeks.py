"""Week boundaries, the one place that decides them.

A week runs Monday to Sunday in the athlete's own time zone. A session belongs to the
local date it was started on, in the zone the athlete had *then* (stored on the session),
so changing zone later never moves past sessions between weeks. Everything downstream
works with local dates, which daylight-saving changes cannot shift.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

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
