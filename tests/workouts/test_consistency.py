"""Streaks, adherence, targets that change, excused weeks, and the empty start."""

from datetime import date, timedelta

import pytest

from tests.factories import UserFactory
from workouts import services, weeks
from workouts.consistency import athlete_consistency, default_targets
from workouts.history import build_history, local_moment, log_past_session
from workouts.models import ExcusedWeek, Routine, WeeklyTarget

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 18)  # a Wednesday
THIS_MONDAY = date(2026, 11, 16)


def monday(back: int) -> date:
    return THIS_MONDAY - timedelta(weeks=back)


def sessions(athlete, per_week: dict[int, int]) -> None:
    """per_week: {weeks back (0 = this week): sessions that week}."""
    for back, count in per_week.items():
        for n in range(count):
            day = min(monday(back) + timedelta(days=n), TODAY)
            log_past_session(athlete, "ankle-stability", local_moment(athlete, day, hour=8 + n))


@pytest.fixture
def runner(db):
    return UserFactory(username="runner", weekly_target=2, time_zone="Europe/London")


def test_an_empty_history_is_a_friendly_start(runner):
    summary = athlete_consistency(runner, today=TODAY)
    assert not summary.has_history
    assert summary.this_week.sessions == 0
    assert summary.this_week.status == "in_progress"
    assert summary.adherence_4.percent is None  # "not enough weeks yet", not 0 %
    assert summary.streak == 0
    assert summary.last_session_date is None


def test_consecutive_weeks_on_target_make_a_streak(runner):
    sessions(runner, {3: 2, 2: 2, 1: 3})
    summary = athlete_consistency(runner, today=TODAY)
    assert (summary.streak, summary.best_streak) == (3, 3)


def test_a_gap_week_breaks_the_streak_but_the_best_is_kept(runner):
    sessions(runner, {6: 2, 5: 2, 4: 2, 3: 0, 2: 2, 1: 2})
    summary = athlete_consistency(runner, today=TODAY)
    assert (summary.streak, summary.best_streak) == (2, 3)


def test_a_week_under_target_breaks_the_streak(runner):
    sessions(runner, {3: 2, 2: 1, 1: 2})
    assert athlete_consistency(runner, today=TODAY).streak == 1


def test_this_week_does_not_break_the_streak_before_it_is_over(runner):
    sessions(runner, {2: 2, 1: 2, 0: 1})
    summary = athlete_consistency(runner, today=TODAY)
    assert summary.streak == 2
    assert summary.this_week.status == "in_progress"
    assert summary.sessions_to_go == 1
    assert summary.days_left == 4  # Thursday to Sunday


def test_this_week_adds_to_the_streak_once_met(runner):
    sessions(runner, {1: 2, 0: 2})
    summary = athlete_consistency(runner, today=TODAY)
    assert (summary.streak, summary.best_streak) == (2, 2)


def test_an_empty_or_abandoned_session_counts_only_with_sets(runner):
    log_past_session(
        runner, "ankle-stability", local_moment(runner, monday(1)), default=lambda *_: None
    )
    log_past_session(
        runner,
        "ankle-stability",
        local_moment(runner, monday(1) + timedelta(days=2)),
        values={"heel-raises": 20},
        default=lambda *_: None,
        status="abandoned",
    )
    summary = athlete_consistency(runner, today=TODAY)
    assert {w.week.start: w.sessions for w in summary.weeks}[monday(1)] == 1


def test_each_week_keeps_the_target_it_had(runner):
    sessions(runner, {3: 2, 2: 2, 1: 2})
    WeeklyTarget.objects.create(athlete=runner, week_start=monday(3), target=2)
    WeeklyTarget.objects.create(athlete=runner, week_start=monday(1), target=3)
    summary = athlete_consistency(runner, today=TODAY)
    targets = {w.week.start: w.target for w in summary.weeks}
    assert (targets[monday(3)], targets[monday(2)], targets[monday(1)]) == (2, 2, 3)
    assert summary.streak == 0  # last week's 2 sessions fell short of its target of 3
    assert summary.best_streak == 2


def test_changing_the_target_now_leaves_past_weeks_alone(runner):
    sessions(runner, {2: 2, 1: 2})
    services.weekly_target_set(athlete=runner, target=2, by=runner)
    before = athlete_consistency(runner)
    services.weekly_target_set(athlete=runner, target=5, by=runner)
    after = athlete_consistency(runner)
    assert after.this_week.target == 5
    assert [w.target for w in after.weeks[:-1]] == [w.target for w in before.weeks[:-1]]
    assert after.streak == before.streak


def test_an_excused_week_keeps_the_streak_alive_and_is_left_out_of_adherence(runner):
    sessions(runner, {4: 2, 3: 2, 2: 0, 1: 2})
    ExcusedWeek.objects.create(athlete=runner, week_start=monday(2), reason="injury")
    summary = athlete_consistency(runner, today=TODAY)
    assert summary.streak == 3  # excused weeks bridge the streak, they do not add to it
    assert summary.adherence_4.weeks_counted == 3
    assert summary.adherence_4.percent == 100
    assert {w.week.start: w.status for w in summary.weeks}[monday(2)] == "excused"


def test_adherence_over_4_and_12_weeks(runner):
    sessions(runner, {12: 2, 11: 2, 10: 1, 9: 2, 8: 2, 7: 0, 6: 2, 5: 2, 4: 2, 3: 1, 2: 2, 1: 2})
    summary = athlete_consistency(runner, today=TODAY)
    assert (summary.adherence_4.weeks_met, summary.adherence_4.weeks_counted) == (3, 4)
    assert summary.adherence_4.percent == 75
    assert (summary.adherence_4.sessions_done, summary.adherence_4.sessions_targeted) == (7, 8)
    assert (summary.adherence_12.weeks_met, summary.adherence_12.weeks_counted) == (9, 12)
    assert summary.adherence_12.percent == 75


def test_weeks_before_the_first_session_are_not_judged(runner):
    sessions(runner, {1: 2})
    summary = athlete_consistency(runner, today=TODAY)
    assert (summary.adherence_12.weeks_met, summary.adherence_12.weeks_counted) == (1, 1)
    assert len(summary.chart_weeks) == 12
    assert summary.chart_weeks[0].status == "before_start"


def test_without_a_target_the_routine_done_most_suggests_it(db):
    athlete = UserFactory(weekly_target=None)
    assert athlete_consistency(athlete, today=TODAY).this_week.target == 1
    Routine.objects.filter(slug="dynamic-feet-ankles").update(suggested_sessions_per_week=3)
    Routine.objects.filter(slug="ankle-stability").update(suggested_sessions_per_week=2)
    log_past_session(athlete, "ankle-stability", local_moment(athlete, monday(2)))
    for n in range(3):
        log_past_session(
            athlete, "dynamic-feet-ankles", local_moment(athlete, monday(1) + timedelta(days=n))
        )
    assert athlete_consistency(athlete, today=TODAY).this_week.target == 3
    # A tie (three of each) takes the smaller suggestion, on the roster too.
    for n in range(2):
        log_past_session(
            athlete, "ankle-stability", local_moment(athlete, monday(3) + timedelta(days=n))
        )
    assert athlete_consistency(athlete, today=TODAY).this_week.target == 2
    assert default_targets([athlete]) == {athlete.pk: 2}


def test_the_heat_map_covers_six_months_and_shades_by_sets(runner):
    log_past_session(runner, "ankle-stability", local_moment(runner, monday(1)))
    summary = athlete_consistency(runner, today=TODAY)
    days = {d.day: d for column in summary.heatmap for d in column}
    assert len(summary.heatmap) == 26
    assert days[monday(1)].sets == 8 and days[monday(1)].level == 1
    assert days[monday(1) + timedelta(days=1)].level == 0
    assert days[TODAY + timedelta(days=1)].in_future


def test_a_year_of_history_costs_the_same_queries_as_a_week(runner, django_assert_max_num_queries):
    build_history(runner, weeks_back=52, per_week=3, today=weeks.today(runner.zone))
    assert runner.workout_sessions.count() == 156
    with django_assert_max_num_queries(3):
        summary = athlete_consistency(runner)
    assert summary.total_sessions == 156
    assert summary.best_streak == 52
