"""The coach's side: the roster ranks who needs attention, comments, targets, the CSV."""

import csv
import io
import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import CoachLink
from tests.accounts.test_markup import field_error
from tests.factories import UserFactory
from workouts import coaching, services, summaries, weeks
from workouts.history import build_history, local_moment, log_past_session
from workouts.models import Comment, Routine, SessionExercise, SetLog, WorkoutSession

pytestmark = pytest.mark.django_db


def link(coach, *athletes):
    for athlete in athletes:
        CoachLink.objects.create(coach=coach, athlete=athlete)


def days_ago(athlete, n, hour=9):
    return local_moment(athlete, weeks.today(athlete.zone) - timedelta(days=n), hour=hour)


def on_track(username, **fields):
    """An athlete who met a target of 1 every week, even on both sides, with a session this
    week."""
    athlete = UserFactory(username=username, weekly_target=1, **fields)
    for back in range(4, 0, -1):
        log_past_session(athlete, "ankle-stability", days_ago(athlete, back * 7))
    log_past_session(athlete, "ankle-stability", days_ago(athlete, 0, hour=0))
    return athlete


def clone_history(source, athletes) -> None:
    """Copy one athlete's sessions, exercises and sets to others, in bulk, then fill the
    roster's summaries for them as a bulk load does (bench/generate.py)."""
    sessions = list(source.workout_sessions.all())
    exercises = list(SessionExercise.objects.filter(session__athlete=source))
    logs = list(SetLog.objects.filter(session__athlete=source))
    for athlete in athletes:
        new_sessions = {}
        for session in sessions:
            old_pk = session.pk
            session.pk, session.athlete = None, athlete
            new_sessions[old_pk] = session
        WorkoutSession.objects.bulk_create(new_sessions.values())
        new_exercises = {}
        for exercise in exercises:
            old_pk = exercise.pk
            exercise.pk, exercise.session = None, new_sessions[exercise.session_id]
            new_exercises[old_pk] = exercise
        SessionExercise.objects.bulk_create(new_exercises.values())
        copies = []
        for log in logs:
            copies.append(
                SetLog(
                    session=new_exercises[log.session_exercise_id].session,
                    session_exercise=new_exercises[log.session_exercise_id],
                    round=log.round,
                    value=log.value,
                    left=log.left,
                    right=log.right,
                    performed_at=log.performed_at,
                    client_id=uuid.uuid4(),
                )
            )
        SetLog.objects.bulk_create(copies)
        # Re-point the lists at the source rows for the next copy.
        sessions = list(source.workout_sessions.all())
        exercises = list(SessionExercise.objects.filter(session__athlete=source))
    summaries.refresh_side_bests(connection)
    summaries.refresh_week_tally(connection)


def reasons(coach) -> dict[str, list[str]]:
    return {row.athlete.username: row.reasons for row in coaching.roster(coach=coach)}


def test_on_track_athletes_need_no_attention(bob):
    link(bob, on_track("steady"))
    assert reasons(bob) == {"steady": []}


def test_recent_pain_at_the_threshold_comes_first_with_the_reason(bob):
    steady, sore, quiet = on_track("steady"), on_track("sore"), on_track("quiet")
    link(bob, steady, sore, quiet)
    for session in quiet.workout_sessions.all():
        services.session_delete(session=session)
    log_past_session(quiet, "ankle-stability", days_ago(quiet, 9))
    session = log_past_session(
        sore, "ankle-stability", days_ago(sore, 1), values={"single-leg-balance": (20, 20)}
    )
    SetLog.objects.filter(session=session, session_exercise__name="Single-leg balance").update(
        pain=7
    )
    rows = coaching.roster(coach=bob)
    assert [r.athlete.username for r in rows] == ["sore", "quiet", "steady"]
    assert rows[0].reasons == ["pain 7 on single-leg balance yesterday"]
    assert "no session for 9 days" in rows[1].reasons
    assert not rows[2].needs_attention


def test_pain_under_the_coachs_threshold_is_not_flagged(bob):
    sore = on_track("sore")
    link(bob, sore)
    SetLog.objects.filter(session__athlete=sore).update(pain=4)
    assert reasons(bob)["sore"] == []
    bob.pain_threshold = 4
    bob.save()
    assert reasons(bob)["sore"][0].startswith("pain 4 on")


def test_a_gap_between_sides_over_the_threshold_names_the_weaker_side(bob):
    lopsided = UserFactory(username="lopsided", weekly_target=1)
    link(bob, lopsided)
    for n in range(3):
        log_past_session(
            lopsided,
            "ankle-stability",
            days_ago(lopsided, n * 7),
            values={"single-leg-balance": (13, 20)},
        )
    assert "left side 35% weaker on single-leg balance" in reasons(bob)["lopsided"]
    bob.asymmetry_threshold = 40
    bob.save()
    assert not any("weaker" in r for r in reasons(bob)["lopsided"])


def test_a_missed_week_and_a_new_athlete_say_so(bob):
    missed = UserFactory(username="missed", weekly_target=2)
    log_past_session(missed, "ankle-stability", days_ago(missed, 0, hour=0))
    log_past_session(missed, "ankle-stability", days_ago(missed, 7))
    newbie = UserFactory(username="newbie")
    link(bob, missed, newbie)
    assert "missed last week's target (1 of 2)" in reasons(bob)["missed"]
    assert reasons(bob)["newbie"] == ["no session logged yet"]


def test_the_roster_only_lists_linked_athletes_and_searches_by_name(bob, charlie):
    alice = on_track("alice_a", display_name="Alice Martin")
    link(bob, alice)
    assert [r.athlete for r in coaching.roster(coach=bob)] == [alice]
    assert coaching.roster(coach=bob, search="martin")[0].athlete == alice
    assert coaching.roster(coach=bob, search="zed") == []


def roster_cards(html: str) -> dict[str, dict[str, str]]:
    """{athlete's name: {"link": ..., "reasons": ..., each stat's label: its value}}."""
    cards = {}
    for card in re.findall(r'<li class="card roster-row">(.*?)</li>', html, re.S):
        link, name = re.search(r'<h3><a href="([^"]+)">([^<]+)</a></h3>', card).groups()
        reasons = re.search(r'<p class="reasons"><strong>([^<]*)</strong></p>', card)
        stats = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", card))
        cards[name] = {"link": link, "reasons": reasons[1] if reasons else "", **stats}
    return cards


def test_each_roster_card_says_how_the_athletes_weeks_are_going(client: Client, bob):
    steady = on_track("steady")
    newbie = UserFactory(username="newbie", weekly_target=2)
    sore = UserFactory(username="sore", display_name="Sore & Co", weekly_target=1)
    session = log_past_session(
        sore, "ankle-stability", days_ago(sore, 1), values={"single-leg-balance": (20, 20)}
    )
    SetLog.objects.filter(session=session, session_exercise__name="Single-leg balance").update(
        pain=7
    )
    link(bob, steady, newbie, sore)
    Comment.objects.create(
        session=steady.workout_sessions.first(),
        author=bob,
        body="Good week.",
        created_at=datetime(2026, 3, 4, 12, tzinfo=bob.zone),
    )
    client.force_login(bob)

    cards = roster_cards(client.get(reverse("workouts:roster"), {"show": "all"}).text)

    assert cards[steady.name] == {
        "link": reverse("workouts:coach_athlete", args=[steady.pk]),
        "reasons": "",
        "This week": "1 / 1",
        "Streak": "5 weeks",
        "4 weeks": "100%",
        "Last session": "today",
        "Recent pain": "none flagged",
        "Your last comment": "4 Mar",
    }
    assert cards[newbie.name] == {
        "link": reverse("workouts:coach_athlete", args=[newbie.pk]),
        "reasons": "No session logged yet",
        "This week": "0 / 2",
        "Streak": "0 weeks",
        "4 weeks": "-",
        "Last session": "never",
        "Recent pain": "none flagged",
        "Your last comment": "none",
    }
    # The name and the reasons are escaped; this week's figures depend on the weekday.
    sore_card = cards["Sore &amp; Co"]
    assert sore_card["reasons"] == "Pain 7 on single-leg balance yesterday"
    assert (sore_card["Streak"], sore_card["Last session"]) == ("1 week", "1 day ago")
    assert sore_card["Recent pain"] == "7/10"


def test_the_roster_costs_the_same_queries_for_fifty_athletes_with_a_year_each(
    client: Client, bob, django_assert_max_num_queries
):
    today = weeks.today(bob.zone)
    athletes = [UserFactory(username=f"a{n:02d}", weekly_target=2) for n in range(50)]
    build_history(athletes[0], weeks_back=52, per_week=2, today=today)
    clone_history(athletes[0], athletes[1:])
    link(bob, *athletes)
    assert SetLog.objects.count() > 50 * 100 * 8
    client.force_login(bob)
    # Auth (2), athletes, sets per day, targets, excused weeks, fallback targets, pain,
    # left and right, last comments (8).
    with django_assert_max_num_queries(10):
        response = client.get(reverse("workouts:roster"), {"show": "all"})
    assert response.status_code == 200
    assert response.text.count('class="card roster-row"') == 50


def test_comments_reach_the_athlete_and_only_authors_delete_them(client: Client, alice, bob):
    link(bob, alice)
    session = log_past_session(alice, "ankle-stability", days_ago(alice, 1))
    balance_set = session.set_logs.get(session_exercise__name="Single-leg balance")
    client.force_login(bob)
    client.post(
        reverse("workouts:comment_create", args=[session.pk]),
        {"about": balance_set.pk, "body": "Nice hold on the right."},
    )
    comment = Comment.objects.get()
    assert (comment.author, comment.set_log) == (bob, balance_set)

    athlete = Client()
    athlete.force_login(alice)
    home = athlete.get(reverse("home")).text
    assert "New comments" in home and "1 new comment" in home
    page = athlete.get(session.get_absolute_url()).text
    assert "Nice hold on the right." in page
    assert "on Single-leg balance, round 1" in page
    assert "New comments" not in athlete.get(reverse("home")).text  # seen now

    delete = reverse("workouts:comment_delete", args=[session.pk, comment.pk])
    assert athlete.post(delete).status_code == 404  # not her comment
    assert Comment.objects.exists()
    client.post(delete)
    assert not Comment.objects.exists()


def test_an_empty_or_foreign_comment_is_refused(client: Client, alice, bob, charlie):
    link(bob, alice)
    session = log_past_session(alice, "ankle-stability", days_ago(alice, 1))
    client.force_login(bob)
    response = client.post(
        reverse("workouts:comment_create", args=[session.pk]), {"body": "  "}, follow=True
    )
    assert response.status_code == 422
    assert field_error(response, "body") == "Write something first."
    other = log_past_session(charlie, "ankle-stability", days_ago(charlie, 1))
    response = client.post(
        reverse("workouts:comment_create", args=[session.pk]),
        {"body": "Watch the knee", "about": other.set_logs.first().pk},
        follow=True,
    )
    assert field_error(response, "about") == "Choose a set from this session."
    assert "Watch the knee</textarea>" in response.text  # what was typed is kept
    assert not Comment.objects.exists()
    assert (
        client.post(reverse("workouts:comment_create", args=[other.pk]), {"body": "x"}).status_code
        == 404
    )


def test_the_coach_sets_the_target_and_the_athlete_sees_who(client: Client, alice, bob):
    link(bob, alice)
    client.force_login(bob)
    client.post(reverse("workouts:coach_target", args=[alice.pk]), {"target": "3"})
    client.post(
        reverse("workouts:coach_recommend", args=[alice.pk]),
        {"routine": Routine.objects.get(slug="ankle-stability").pk},
    )
    athlete = Client()
    athlete.force_login(alice)
    home = athlete.get(reverse("home")).text
    assert "<strong>0 of 3</strong>" in home
    assert "Target set by Bob" in home
    assert "Ankle stability</strong>, recommended by Bob" in home
    athlete.post(reverse("workouts:recommendation_clear"))
    athlete.post(reverse("workouts:week_target"), {"target": "2"})
    home = athlete.get(reverse("home")).text
    assert "recommended by Bob" not in home and "Target set by Bob" not in home
    assert "<strong>0 of 2</strong>" in home


def test_the_csv_has_a_row_per_set_in_the_athletes_zone(client: Client, bob):
    athlete = UserFactory(username="kiwi", time_zone="Pacific/Auckland")
    link(bob, athlete)
    when = datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))  # 12:30 next day in Auckland
    session = log_past_session(athlete, "ankle-stability", when)
    SetLog.objects.filter(session=session, session_exercise__name="Heel raises").update(
        rpe=6, pain=2, note="=cmd|' /C calc'!A0"
    )
    client.force_login(bob)
    response = client.get(reverse("workouts:coach_export", args=[athlete.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 8
    heel = next(r for r in rows if r["exercise"] == "Heel raises")
    assert (heel["date"], heel["time"], heel["time_zone"]) == (
        "2026-03-02",
        "12:31",
        "Pacific/Auckland",
    )
    assert (heel["routine"], heel["circuit"], heel["round"], heel["value"]) == (
        "Ankle stability",
        "Stability set",
        "1",
        "20",
    )
    assert (heel["rpe"], heel["pain"]) == ("6", "2")
    assert heel["note"].startswith("'=")  # a spreadsheet will not run it
    balance = next(r for r in rows if r["exercise"] == "Single-leg balance")
    assert (balance["left"], balance["right"], balance["value"]) == ("20", "20", "")


def test_the_csv_is_for_the_athlete_and_linked_coaches_only(client: Client, alice, bob, charlie):
    log_past_session(alice, "ankle-stability", days_ago(alice, 1))
    client.force_login(alice)
    own = client.get(reverse("workouts:export"))
    assert own.status_code == 200 and b"Heel raises" in b"".join(own.streaming_content)
    client.force_login(bob)
    assert client.get(reverse("workouts:coach_export", args=[alice.pk])).status_code == 404
    client.force_login(charlie)
    assert client.get(reverse("workouts:coach_export", args=[alice.pk])).status_code == 404


def test_a_coach_reads_but_cannot_log(client: Client, alice, bob):
    link(bob, alice)
    session = log_past_session(alice, "ankle-stability", days_ago(alice, 1))
    client.force_login(bob)
    page = client.get(session.get_absolute_url()).text
    assert "Heel raises" in page and "Add comment" in page
    assert "Log set" not in page and "Delete this session" not in page
    log = session.set_logs.first()
    response = client.post(reverse("workouts:set_update", args=[session.pk, log.pk]), {"value": 1})
    assert response.status_code == 404
    log.refresh_from_db()
    assert log.value == 20 or log.left == 20


def test_a_threshold_out_of_range_is_refused_next_to_its_field(client: Client, bob):
    client.force_login(bob)
    url = reverse("workouts:coach_thresholds")
    response = client.post(url, {"pain_threshold": "11", "asymmetry_threshold": "30"})
    assert response.status_code == 422
    assert field_error(response, "pain_threshold") == "Choose 1 to 10."
    bob.refresh_from_db()
    assert (bob.pain_threshold, bob.asymmetry_threshold) == (5, 20)
    client.post(url, {"pain_threshold": "3", "asymmetry_threshold": "30"})
    bob.refresh_from_db()
    assert (bob.pain_threshold, bob.asymmetry_threshold) == (3, 30)
