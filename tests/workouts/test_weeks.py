"""Week boundaries: Monday to Sunday in the athlete's zone, at the time it was performed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import UserFactory
from workouts import weeks
from workouts.consistency import athlete_consistency
from workouts.history import log_past_session

pytestmark = pytest.mark.django_db

# Sunday 2026-11-15 and Monday 2026-11-16.
SUNDAY = date(2026, 11, 15)
MONDAY = date(2026, 11, 16)
TODAY = date(2026, 11, 18)


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles", "UTC"])
def test_sunday_night_and_monday_morning_fall_in_different_weeks(zone):
    athlete = UserFactory(time_zone=zone)
    tz = ZoneInfo(zone)
    log_past_session(athlete, "ankle-stability", datetime(2026, 11, 15, 23, 30, tzinfo=tz))
    log_past_session(athlete, "ankle-stability", datetime(2026, 11, 16, 0, 30, tzinfo=tz))

    summary = athlete_consistency(athlete, today=TODAY)
    by_week = {w.week.start: w.sessions for w in summary.weeks}
    assert by_week[date(2026, 11, 9)] == 1  # the week ending on that Sunday
    assert by_week[MONDAY] == 1
    assert summary.this_week.week.start == MONDAY


def test_a_utc_instant_belongs_to_the_week_of_its_local_date():
    # Monday 00:30 in Auckland is still Sunday 11:30 in UTC.
    instant = datetime(2026, 11, 16, 0, 30, tzinfo=ZoneInfo("Pacific/Auckland"))
    assert weeks.week_of(weeks.local_date(instant, "Pacific/Auckland")).start == MONDAY
    assert weeks.week_of(weeks.local_date(instant, "UTC")).start == date(2026, 11, 9)


@pytest.mark.parametrize(
    ("zone", "monday", "hours"),
    [
        ("Europe/Paris", date(2026, 10, 19), 169),  # clocks go back on Sunday 25 October
        ("Europe/Paris", date(2026, 3, 23), 167),  # clocks go forward on Sunday 29 March
        ("Pacific/Auckland", date(2026, 9, 21), 167),  # forward on Sunday 27 September
        ("UTC", date(2026, 10, 19), 168),
    ],
)
def test_a_daylight_saving_week_runs_midnight_to_midnight(zone, monday, hours):
    start, end = weeks.Week(monday).bounds(zone)
    local_start, local_end = start.astimezone(ZoneInfo(zone)), end.astimezone(ZoneInfo(zone))
    assert (local_start.hour, local_end.hour) == (0, 0)
    assert (local_start.date(), local_end.date()) == (monday, monday + timedelta(days=7))
    assert (end - start) == timedelta(hours=hours)


def test_a_session_in_the_dst_week_counts_in_that_week():
    athlete = UserFactory(time_zone="Europe/Paris")
    paris = ZoneInfo("Europe/Paris")
    # Sunday 25 October 2026, 23:30, after clocks went back that morning.
    log_past_session(athlete, "ankle-stability", datetime(2026, 10, 25, 23, 30, tzinfo=paris))
    summary = athlete_consistency(athlete, today=date(2026, 10, 28))
    by_week = {w.week.start: w.sessions for w in summary.weeks}
    assert by_week[date(2026, 10, 19)] == 1
    assert by_week[date(2026, 10, 26)] == 0


def test_changing_zone_keeps_past_weeks_as_they_were_performed():
    athlete = UserFactory(time_zone="Pacific/Auckland")
    when = datetime(2026, 11, 16, 0, 30, tzinfo=ZoneInfo("Pacific/Auckland"))
    session = log_past_session(athlete, "ankle-stability", when)
    athlete.time_zone = "America/Los_Angeles"  # the athlete flies home
    athlete.save()

    summary = athlete_consistency(athlete, today=TODAY)
    by_week = {w.week.start: w.sessions for w in summary.weeks}
    assert by_week[MONDAY] == 1  # still the Monday it was in Auckland
    session.refresh_from_db()
    assert (session.local_date, session.time_zone) == (MONDAY, "Pacific/Auckland")


def test_week_labels_read_naturally():
    assert weeks.Week(date(2026, 11, 16)).label() == "16-22 Nov"
    assert weeks.Week(date(2026, 10, 26)).label() == "26 Oct-1 Nov"
