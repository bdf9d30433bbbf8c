"""Progress per exercise: left against right, the progression hint, personal bests."""

import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.factories import UserFactory, start_session
from workouts import progress, services
from workouts.history import local_moment, log_past_session
from workouts.models import Exercise

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 5)


@pytest.fixture
def runner(db):
    return UserFactory(username="runner", time_zone="UTC")


def balance_sessions(athlete, holds: list[tuple[int, int]], level: int = 1) -> None:
    """One stability session per day with these (left, right) single-leg balance holds."""
    for n, hold in enumerate(holds):
        log_past_session(
            athlete,
            "ankle-stability",
            local_moment(athlete, DAY + timedelta(days=n)),
            values={"single-leg-balance": hold},
            level={"single-leg-balance": level},
        )


def balance_progress(athlete):
    return progress.exercise_progress(
        athlete=athlete, exercise=Exercise.objects.get(slug="single-leg-balance")
    )


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [(20, 20, 0), (15, 20, 25), (20, 15, 25), (0, 20, 100), (0, 0, None), (None, 20, None)],
)
def test_asymmetry_is_the_gap_over_the_stronger_side(left, right, expected):
    assert progress.asymmetry_percent(left, right) == expected


def test_the_weaker_side_is_named_in_words(runner):
    balance_sessions(runner, [(12, 20), (14, 20), (15, 20), (16, 20)])
    balance = balance_progress(runner).balance
    assert balance.weaker == "left"
    assert balance.percent == 29  # 57 s against 80 s over the last four sessions
    assert balance.sentence == (
        "The left leg is weaker: 29% behind the right over the last 4 sessions."
    )
    assert balance.asymmetries == [40, 30, 25, 20]
    assert balance.trend == "narrowing"


def test_sides_within_ten_percent_are_even(runner):
    balance_sessions(runner, [(19, 20), (20, 19)])
    balance = balance_progress(runner).balance
    assert balance.weaker is None
    assert balance.sentence.startswith("Left and right are even")


def test_only_the_last_four_sessions_count_for_the_trend(runner):
    balance_sessions(runner, [(5, 20), (20, 20), (20, 14), (20, 14), (20, 12)])
    balance = balance_progress(runner).balance
    assert balance.asymmetries == [0, 30, 30, 40]
    assert (balance.weaker, balance.trend) == ("right", "widening")


def test_zero_on_one_side_is_a_full_gap(runner):
    balance_sessions(runner, [(0, 20)])
    balance = balance_progress(runner).balance
    assert (balance.percent, balance.weaker, balance.trend) == (100, "left", None)


def test_two_sessions_at_the_top_on_both_sides_suggest_the_next_level(runner):
    balance_sessions(runner, [(20, 20), (20, 20)], level=2)
    assert balance_progress(runner).next_step == "Ready for the next level: Bosu, round side up."


def test_one_side_short_of_the_top_means_no_hint(runner):
    balance_sessions(runner, [(20, 20), (20, 19)], level=2)
    assert balance_progress(runner).next_step is None


def test_one_session_at_the_top_is_not_enough(runner):
    balance_sessions(runner, [(15, 15), (20, 20)], level=2)
    assert balance_progress(runner).next_step is None


def test_a_level_change_between_the_two_sessions_starts_the_count_again(runner):
    balance_sessions(runner, [(20, 20)], level=1)
    log_past_session(
        runner,
        "ankle-stability",
        local_moment(runner, DAY + timedelta(days=5)),
        values={"single-leg-balance": (20, 20)},
        level={"single-leg-balance": 2},
    )
    assert balance_progress(runner).next_step is None


def test_at_the_top_of_the_ladder_there_is_nothing_more_to_suggest(runner):
    top = Exercise.objects.get(slug="single-leg-balance").variations.order_by("-order")[0]
    balance_sessions(runner, [(20, 20), (20, 20)], level=top.order)
    assert balance_progress(runner).next_step is None


def test_personal_bests_per_side_and_the_sessions_that_set_them(runner):
    balance_sessions(runner, [(15, 20), (18, 19), (17, 22)])
    result = balance_progress(runner)
    bests = {b.label: (b.value, b.on) for b in result.bests}
    assert bests["Left"] == (18, DAY + timedelta(days=1))
    assert bests["Right"] == (22, DAY + timedelta(days=2))
    assert [r.records for r in result.results] == [[], ["Left"], ["Right"]]


def test_results_per_session_show_best_total_and_level(runner):
    log_past_session(
        runner,
        "dynamic-feet-ankles",
        local_moment(runner, DAY),
        values={"pogo-jumps": lambda _se, round_number: 10 + round_number},
    )
    log_past_session(
        runner,
        "ankle-stability",
        local_moment(runner, DAY + timedelta(days=1)),
        values={"heel-raises": 18},
        level={"heel-raises": 2},
    )
    pogo = progress.exercise_progress(
        athlete=runner, exercise=Exercise.objects.get(slug="pogo-jumps")
    )
    (session,) = pogo.results
    assert (session.best, session.total, session.sets) == (12, 23, 2)
    assert not pogo.per_side
    heel = progress.exercise_progress(
        athlete=runner, exercise=Exercise.objects.get(slug="heel-raises")
    )
    assert heel.results[0].level_text == "Step edge"


def test_the_session_summary_flags_beaten_bests_but_not_a_first_time(runner):
    first = log_past_session(
        runner,
        "ankle-stability",
        local_moment(runner, DAY),
        values={"single-leg-balance": (15, 20)},
    )
    assert progress.session_records(session=first) == {}
    second = log_past_session(
        runner,
        "ankle-stability",
        local_moment(runner, DAY + timedelta(days=1)),
        values={"single-leg-balance": (18, 20)},
    )
    balance = Exercise.objects.get(slug="single-leg-balance")
    assert progress.session_records(session=second) == {balance.pk: ["Left"]}


def test_side_balances_on_the_dashboard_put_the_biggest_gap_first(runner):
    for n in range(3):
        log_past_session(
            runner,
            "ankle-stability",
            local_moment(runner, DAY + timedelta(days=n)),
            values={"single-leg-balance": (10, 20), "single-leg-mini-squat": (9, 10)},
        )
    balances = progress.side_balances(athlete=runner, today=DAY + timedelta(days=3))
    assert balances[0].exercise_name == "Single-leg balance"
    assert balances[0].weaker == "left"
    assert (balances[1].exercise_name, balances[1].percent) == ("Single-leg mini squat", 10)
    assert [b.exercise_name for b in balances if b.weaker is None] == [
        "Single-leg lateral hops",
        "Star exercise",
    ]


def test_the_session_page_suggests_the_next_level_and_the_summary_flags_bests(client, runner):
    balance_sessions(runner, [(18, 20), (20, 20), (20, 20)], level=2)
    session = start_session(runner)
    client.force_login(runner)
    page = client.get(session.get_absolute_url()).text
    assert page.count("Ready for the next level") == 1
    assert "Ready for the next level: Bosu, round side up." in page

    exercise = session.session_exercises.get(exercise__slug="single-leg-balance")
    services.set_log_create(
        session=session,
        session_exercise=exercise,
        round_number=1,
        values=services.SetValues(left=25, right=20),
        client_id=uuid.uuid4(),
    )
    services.session_finish(session=session, note="")
    summary = client.get(reverse("workouts:session", args=[session.pk])).text
    assert "Single-leg balance: left" in summary
    assert "Ready for the next level" not in summary
