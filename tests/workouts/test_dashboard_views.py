"""The athlete's home as a dashboard, the target and excused-week forms, progress pages."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import CoachLink
from tests.accounts.test_markup import field_error
from workouts import services, weeks
from workouts.history import build_history, local_moment, log_past_session
from workouts.models import Equipment, ExcusedWeek, SetLog, WeeklyTarget

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def year_of_history(athlete) -> None:
    """A year of five sessions a week, every round done: the size the issue asks to pin."""
    athlete.equipment.add(Equipment.objects.get(slug="medicine-ball"))
    build_history(
        athlete, weeks_back=52, per_week=5, today=weeks.today(athlete.zone), all_rounds=True
    )
    assert athlete.workout_sessions.count() >= 150
    assert SetLog.objects.filter(session__athlete=athlete).count() >= 3000


def this_monday(athlete):
    return weeks.week_start(weeks.today(athlete.zone))


def test_a_new_athlete_sees_a_friendly_start_not_zeros(client: Client, alice):
    client.force_login(alice)
    text = client.get(HOME).text
    assert "0 of 1" in text
    assert "Your streak starts with one session" in text
    assert "0%" not in text
    assert "Start Ankle stability" in text


def test_the_dashboard_reads_this_week_streak_and_adherence(client: Client, alice):
    alice.weekly_target = 2
    alice.save()
    monday = this_monday(alice)
    for back in (3, 2, 1):
        for day in (0, 2):
            when = local_moment(alice, monday - timedelta(weeks=back, days=-day))
            log_past_session(alice, "ankle-stability", when)
    log_past_session(alice, "ankle-stability", local_moment(alice, weeks.today(alice.zone), 0))
    client.force_login(alice)
    text = client.get(HOME).text
    assert "<strong>1 of 2</strong> sessions done" in text
    assert "1 to go" in text
    assert "3 weeks" in text  # the streak: this week is not over yet
    assert "100% of weeks on target" in text
    assert "Sessions per week, last 12 weeks" in text  # the chart's title
    assert "Sets logged per day, last six months" in text
    # Today's square in the heat map names the day and its sets, shaded by how many.
    today = weeks.today(alice.zone)
    sets = SetLog.objects.filter(session__athlete=alice, session__local_date=today).count()
    assert sets == 8
    assert f'class="heat heat-1"><title>{today:%a} {today.day} {today:%b}: 8 sets</title>' in text


def test_changing_the_target_from_the_dashboard(client: Client, alice):
    client.force_login(alice)
    response = client.post(reverse("workouts:week_target"), {"target": "4"}, follow=True)
    assert "Target saved from this week on" in response.text
    assert "0 of 4" in response.text
    alice.refresh_from_db()
    assert alice.weekly_target == 4
    assert WeeklyTarget.objects.get(athlete=alice).week_start == this_monday(alice)


def test_a_target_out_of_range_is_refused_next_to_the_field(client: Client, alice):
    client.force_login(alice)
    response = client.post(reverse("workouts:week_target"), {"target": "9"})
    assert response.status_code == 422
    assert field_error(response, "target") == "Choose a target from 1 to 7 sessions a week."
    assert not WeeklyTarget.objects.exists()


def test_excusing_a_week_and_counting_it_again(client: Client, alice):
    client.force_login(alice)
    last_week = this_monday(alice) - weeks.WEEK
    response = client.post(
        reverse("workouts:week_excuse"),
        {"week": last_week.isoformat(), "reason": "illness", "note": "flu"},
        follow=True,
    )
    assert f"Week {weeks.Week(last_week).label()} is excused." in response.text
    assert "Illness (flu)" in response.text
    excused = ExcusedWeek.objects.get(athlete=alice)
    assert (excused.week_start, excused.reason, excused.set_by) == (last_week, "illness", alice)

    response = client.post(
        reverse("workouts:week_unexcuse", args=[last_week.isoformat()]), follow=True
    )
    assert "counts again" in response.text
    assert not ExcusedWeek.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"week": "2020-01-06", "reason": "injury"}, "week", "Choose one of the weeks listed."),
        ({"week": "", "reason": "injury"}, "week", "This field is required."),
        ({"reason": "lazy"}, "reason", "Choose a reason from the list."),
        ({"note": "x" * 201}, "note", "Keep the note under 200 characters."),
    ],
)
def test_a_bad_excuse_is_refused_next_to_its_field(client: Client, alice, data, field, message):
    client.force_login(alice)
    form = {"week": this_monday(alice).isoformat(), "reason": "injury", "note": ""} | data
    response = client.post(reverse("workouts:week_excuse"), form)
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert not ExcusedWeek.objects.exists()


def test_the_week_forms_need_post(client: Client, alice):
    client.force_login(alice)
    assert client.get(reverse("workouts:week_target")).status_code == 405
    assert client.get(reverse("workouts:week_excuse")).status_code == 405
    monday = this_monday(alice).isoformat()
    assert client.get(reverse("workouts:week_unexcuse", args=[monday])).status_code == 405


def test_one_athlete_cannot_touch_another_ones_weeks(client: Client, alice, charlie):
    monday = this_monday(alice)
    ExcusedWeek.objects.create(athlete=alice, week_start=monday, reason="holiday")
    client.force_login(charlie)
    client.post(reverse("workouts:week_unexcuse", args=[monday.isoformat()]))
    assert ExcusedWeek.objects.filter(athlete=alice).exists()


def test_the_dashboard_costs_the_same_queries_with_a_year_of_history(
    client: Client, alice, django_assert_max_num_queries
):
    alice.weekly_target = 3
    alice.save()
    year_of_history(alice)
    client.force_login(alice)
    client.get(HOME)  # this process reads the catalogue once
    # Session and user (2), sets per day, target changes, excused weeks (3), equipment
    # owned (1), the catalogue's token (1: routines, circuits, exercises and ladders are
    # cached), the open session (1), left and right lately (1), new comments (1). No
    # recommendation and no target set by someone else, so nothing is read for them.
    with django_assert_max_num_queries(10):
        response = client.get(HOME)
    assert "52 weeks" in response.text
    assert "<strong>0 of 3</strong>" in response.text


def test_a_target_set_by_a_coach_costs_one_query_more(
    client: Client, alice, bob, django_assert_max_num_queries
):
    CoachLink.objects.create(coach=bob, athlete=alice)
    services.weekly_target_set(athlete=alice, target=3, by=bob)
    client.force_login(alice)
    client.get(HOME)  # this process reads the catalogue once
    with django_assert_max_num_queries(11):
        response = client.get(HOME)
    assert "Target set by Bob; change it below if it does not suit you." in response.text
    services.weekly_target_set(athlete=alice, target=2, by=alice)
    with django_assert_max_num_queries(10):
        response = client.get(HOME)
    assert "Target set by" not in response.text
    assert "<strong>0 of 2</strong>" in response.text


def test_the_coachs_view_costs_the_same_queries_with_a_year_of_history(
    client: Client, alice, bob, django_assert_max_num_queries
):
    CoachLink.objects.create(coach=bob, athlete=alice)
    alice.weekly_target = 3
    alice.save()
    year_of_history(alice)
    client.force_login(bob)
    page = reverse("workouts:coach_athlete", args=[alice.pk])
    # Session and user (2), the link (1), the athlete (1), sets per day, target changes,
    # excused weeks (3), the open session (1), left and right lately (1), the routines to
    # recommend (1). No routine cards on a coach's page, so no equipment or catalogue.
    with django_assert_max_num_queries(10):
        response = client.get(page)
    assert "52 weeks" in response.text
    assert "<strong>0 of 3</strong>" in response.text
    assert "Start a routine" not in response.text


def test_progress_pages_list_and_chart_what_was_done(
    client: Client, alice, django_assert_max_num_queries
):
    year_of_history(alice)
    client.force_login(alice)
    listing = client.get(reverse("workouts:progress_list")).text
    assert "Single-leg balance" in listing
    with django_assert_max_num_queries(7):
        page = client.get(reverse("workouts:progress", args=["single-leg-balance"]))
    assert page.status_code == 200
    assert "The left leg is weaker" in page.text
    assert "Personal bests" in page.text
    assert page.text.count("<tr>") > 70  # a row per session of the stability routine


def test_progress_shows_only_ones_own_sets(client: Client, alice, charlie):
    build_history(alice, weeks_back=2, per_week=2, today=weeks.today(alice.zone))
    client.force_login(charlie)
    assert "Nothing logged yet" in client.get(reverse("workouts:progress_list")).text
    page = client.get(reverse("workouts:progress", args=["single-leg-balance"]))
    assert "No sets of this exercise logged yet." in page.text


def test_an_unknown_exercise_is_404(client: Client, alice):
    client.force_login(alice)
    assert client.get(reverse("workouts:progress", args=["moon-walk"])).status_code == 404
