"""The roster's summaries stay exact: side bests, `has_sets` and week tallies follow every
set logged, edited or undone and every session closed or deleted, and the coach's roster
shows it at once."""

import html
import re
import threading
import uuid
from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Exists, Max, OuterRef
from django.test import Client
from django.urls import reverse

from accounts.models import CoachLink
from tests.factories import UserFactory, start_session
from workouts import progress, services, summaries, weeks
from workouts.history import build_history, local_moment, log_past_session
from workouts.models import Routine, SetLog, SideBest, WeekTally, WorkoutSession
from workouts.services import SetValues

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def side_bests_from_sets() -> dict:
    """What the side-best table must hold, worked out from the set logs themselves."""
    rows = (
        SetLog.objects.filter(left__isnull=False)
        .values("session_id", "session_exercise__exercise_id")
        .annotate(left=Max("left"), right=Max("right"))
        .order_by()
    )
    return {
        (r["session_id"], r["session_exercise__exercise_id"]): (r["left"], r["right"]) for r in rows
    }


def stored_side_bests() -> dict:
    return {
        (b.session_id, b.exercise_id): (b.best_left, b.best_right) for b in SideBest.objects.all()
    }


def tallies_from_sessions() -> dict:
    """What the week tallies must hold: closed sessions with a set, per athlete and week."""
    closed = WorkoutSession.objects.exclude(status=WorkoutSession.Status.IN_PROGRESS).filter(
        Exists(SetLog.objects.filter(session_id=OuterRef("pk")))
    )
    tallies: dict[tuple, tuple[int, date]] = {}
    for athlete_id, day in closed.values_list("athlete_id", "local_date"):
        key = (athlete_id, weeks.week_start(day))
        sessions, last = tallies.get(key, (0, day))
        tallies[key] = (sessions + 1, max(last, day))
    return tallies


def stored_tallies() -> dict:
    return {
        (t.athlete_id, t.week_start): (t.sessions, t.last_date) for t in WeekTally.objects.all()
    }


def assert_exact() -> None:
    assert stored_side_bests() == side_bests_from_sets()
    for best in SideBest.objects.select_related("session"):
        session = best.session
        assert (best.athlete_id, best.started_at, best.local_date) == (
            session.athlete_id,
            session.started_at,
            session.local_date,
        )
    assert stored_tallies() == tallies_from_sessions()
    for session in WorkoutSession.objects.annotate(
        logged=Exists(SetLog.objects.filter(session_id=OuterRef("pk")))
    ):
        assert session.has_sets == (session.logged and not session.is_open), session


def _exercise(session, slug):
    return session.session_exercises.get(exercise__slug=slug)


def _log(session, slug, round_number=1, **values):
    log, _created = services.set_log_create(
        session=session,
        session_exercise=_exercise(session, slug),
        round_number=round_number,
        values=SetValues(**values),
        client_id=uuid.uuid4(),
    )
    return log


def test_side_bests_follow_each_set_logged_edited_and_undone(alice):
    session = start_session(alice, "dynamic-feet-ankles")
    jumps = _exercise(session, "lateral-single-leg-jumps").exercise_id
    first = _log(session, "lateral-single-leg-jumps", 1, left=8, right=12)
    assert stored_side_bests() == {(session.pk, jumps): (8, 12)}
    second = _log(session, "lateral-single-leg-jumps", 2, left=10, right=11)
    assert stored_side_bests() == {(session.pk, jumps): (10, 12)}
    _log(session, "pogo-jumps", 1, value=12)  # one number, no sides: not summarised
    _log(session, "edge-of-step-balance", 1, left=20, right=25)
    assert_exact()

    services.set_log_update(log=first, values=SetValues(left=9, right=10))  # the best goes down
    assert stored_side_bests()[(session.pk, jumps)] == (10, 11)
    services.set_log_update(log=second, values=SetValues(left=10, right=11, note="windy"))
    assert_exact()
    services.set_log_delete(log=second)
    assert stored_side_bests()[(session.pk, jumps)] == (9, 10)
    services.set_log_delete(log=first)
    assert (session.pk, jumps) not in stored_side_bests()  # no per-side set left
    assert_exact()


def test_closing_a_session_records_whether_it_has_sets_and_counts_its_week(alice):
    logged = start_session(alice)
    _log(logged, "heel-raises", value=20)
    assert not WorkoutSession.objects.get(pk=logged.pk).has_sets  # open: the roster checks
    services.session_finish(session=logged, note="")
    assert logged.has_sets and WorkoutSession.objects.get(pk=logged.pk).has_sets
    assert stored_tallies() == {
        (alice.pk, weeks.week_start(logged.local_date)): (1, logged.local_date)
    }

    empty = start_session(alice)
    services.session_abandon(session=empty)
    undone = start_session(alice)
    services.set_log_delete(log=_log(undone, "heel-raises", value=20))
    services.session_finish(session=undone, note="")
    assert not empty.has_sets and not undone.has_sets
    assert_exact()

    again = start_session(alice)
    _log(again, "single-leg-balance", left=20, right=18)
    services.session_abandon(session=again)  # stopped early, but a set was logged
    assert again.has_sets
    assert stored_tallies()[(alice.pk, weeks.week_start(again.local_date))][0] == 2
    assert_exact()


def test_a_deleted_session_takes_its_side_bests_and_its_week_is_counted_again(alice, charlie):
    monday = weeks.week_start(weeks.today(alice.zone)) - weeks.WEEK
    early = log_past_session(alice, "ankle-stability", local_moment(alice, monday))
    late = log_past_session(alice, "ankle-stability", local_moment(alice, monday + timedelta(2)))
    log_past_session(charlie, "ankle-stability", local_moment(charlie, monday))
    assert stored_tallies()[(alice.pk, monday)] == (2, late.local_date)
    assert_exact()

    services.session_delete(session=late)
    assert stored_tallies()[(alice.pk, monday)] == (1, early.local_date)
    assert not SideBest.objects.filter(session_id=late.pk).exists()
    services.session_delete(session=early)
    assert (alice.pk, monday) not in stored_tallies()
    assert WeekTally.objects.filter(athlete=charlie).count() == 1  # his week is his own
    assert_exact()


def test_rebuilding_the_summaries_from_the_logs_gives_what_the_services_kept(alice, charlie):
    build_history(alice, weeks_back=6, per_week=3, today=weeks.today(alice.zone), all_rounds=True)
    log_past_session(charlie, "dynamic-feet-ankles", local_moment(charlie, date(2026, 1, 5)))
    services.session_delete(session=alice.workout_sessions.order_by("started_at")[3])
    open_one = start_session(charlie)
    _log(open_one, "single-leg-balance", left=12, right=20)
    kept = (stored_side_bests(), stored_tallies())
    assert_exact()

    SideBest.objects.all().delete()
    WeekTally.objects.all().delete()
    summaries.refresh_side_bests(connection)  # what migration 0010 and bench/generate.py run
    summaries.refresh_week_tally(connection)
    assert (stored_side_bests(), stored_tallies()) == kept


def test_week_start_in_sql_is_the_monday_weeks_gives(alice):
    routine = Routine.objects.get(slug="ankle-stability")
    days = [date(2026, 12, 20) + timedelta(n) for n in range(21)]  # across a new year
    WorkoutSession.objects.bulk_create(
        WorkoutSession(
            athlete=alice,
            routine=routine,
            routine_name=routine.name,
            status=WorkoutSession.Status.FINISHED,
            started_at=local_moment(alice, day),
            time_zone=alice.time_zone,
            local_date=day,
        )
        for day in days
    )
    rows = WorkoutSession.objects.annotate(monday=weeks.WeekStart("local_date")).values_list(
        "local_date", "monday"
    )
    assert {day: monday for day, monday in rows} == {day: weeks.week_start(day) for day in days}


# --- What the coach sees --------------------------------------------------------------------


def roster_row(client: Client, name: str) -> str:
    """The text of one athlete's card on the roster, tags stripped."""
    page = client.get(reverse("workouts:roster"), {"show": "all"}).text
    for card in re.findall(r'<li class="card roster-row">(.*?)</li>', page, re.S):
        if f">{name}</a>" in card:
            return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", card)).split())
    raise AssertionError(f"{name} is not on the roster")


def test_the_roster_follows_each_set_the_athlete_logs_edits_and_undoes(client, alice, bob):
    CoachLink.objects.create(coach=bob, athlete=alice)
    alice.weekly_target = 1
    alice.save()
    athlete = Client()
    athlete.force_login(alice)
    client.force_login(bob)
    assert "No session logged yet" in roster_row(client, "Alice")

    athlete.post(reverse("workouts:session_start", args=["dynamic-feet-ankles"]))
    session = WorkoutSession.objects.get(athlete=alice)
    jumps = _exercise(session, "lateral-single-leg-jumps")
    form = {"session_exercise": jumps.pk, "round": 1, "client_id": str(uuid.uuid4())}
    athlete.post(
        reverse("workouts:set_create", args=[session.pk]), form | {"left": 6, "right": 12}, **HTMX
    )
    row = roster_row(client, "Alice")
    assert "Left side 50% weaker on lateral single-leg jumps" in row
    assert "This week 1 / 1" in row and "Last session today" in row

    log = SetLog.objects.get(session=session)
    athlete.post(
        reverse("workouts:set_update", args=[session.pk, log.pk]), {"left": 12, "right": 12}, **HTMX
    )
    row = roster_row(client, "Alice")
    assert "weaker" not in row and "This week 1 / 1" in row

    athlete.post(reverse("workouts:set_delete", args=[session.pk, log.pk]), **HTMX)
    row = roster_row(client, "Alice")
    assert "No session logged yet" in row and "This week 0 / 1" in row

    form["client_id"] = str(uuid.uuid4())
    athlete.post(
        reverse("workouts:set_create", args=[session.pk]), form | {"left": 10, "right": 12}, **HTMX
    )
    athlete.post(reverse("workouts:session_finish", args=[session.pk]), {"note": ""})
    row = roster_row(client, "Alice")
    assert "This week 1 / 1" in row and "Streak 1 week" in row and "Last session today" in row

    athlete.post(reverse("workouts:session_delete", args=[session.pk]))
    row = roster_row(client, "Alice")
    assert "This week 0 / 1" in row and "Last session never" in row and "weaker" not in row
    assert_exact()


def test_an_empty_session_is_not_counted_but_an_open_one_with_a_set_is(client, alice, bob):
    CoachLink.objects.create(coach=bob, athlete=alice)
    alice.weekly_target = 2
    alice.save()
    client.force_login(bob)
    services.session_finish(session=start_session(alice), note="")  # nothing logged
    assert "This week 0 / 2" in roster_row(client, "Alice")
    _log(start_session(alice), "heel-raises", value=20)  # still open
    assert "This week 1 / 2" in roster_row(client, "Alice")


# --- Balances: the summary against the sets ------------------------------------------------


def balances_from_sets(athlete_ids: list[int], today: date) -> dict:
    """Left against right worked out from the set logs, as the dashboard did before the
    summary: each exercise's last four sessions within the lookback."""
    since = today - timedelta(days=progress.BALANCE_LOOKBACK_DAYS)
    rows = (
        SetLog.objects.filter(
            session__athlete_id__in=athlete_ids, session__local_date__gte=since, left__isnull=False
        )
        .values("session__athlete_id", "session_exercise__exercise__name", "session_id")
        .annotate(left=Max("left"), right=Max("right"), started_at=Max("session__started_at"))
        .order_by("started_at", "session_id")
    )
    recent: dict[tuple, list] = defaultdict(list)
    for row in rows:
        key = (row["session__athlete_id"], row["session_exercise__exercise__name"])
        recent[key].append((row["left"], row["right"]))
    result: dict[int, dict] = defaultdict(dict)
    for (athlete_id, exercise), sides in recent.items():
        last = sides[-progress.TREND_SESSIONS :]
        result[athlete_id][exercise] = (
            [progress.asymmetry_percent(left, right) for left, right in last],
            sum(left for left, _ in last),
            sum(right for _, right in last),
        )
    return result


@pytest.fixture
def varied_histories(alice):
    """Athletes whose last four sessions per exercise fall in every way the read could slip:
    dense and sparse, older than the lookback, at its edge in far-off zones, at equal times."""
    today = date(2026, 11, 23)
    dense = UserFactory(username="dense")
    build_history(dense, weeks_back=16, per_week=4, today=today, all_rounds=True)
    build_history(alice, weeks_back=3, per_week=1, today=today)
    old = UserFactory(username="old")
    build_history(old, weeks_back=30, per_week=1, today=today - timedelta(days=120))
    since = today - timedelta(days=progress.BALANCE_LOOKBACK_DAYS)
    edges = []
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"):
        athlete = UserFactory(username=f"edge-{zone.split('/')[1].lower()}", time_zone=zone)
        for offset, hour in ((-1, 23), (0, 0), (0, 1), (1, 12)):
            log_past_session(
                athlete,
                "ankle-stability",
                local_moment(athlete, since + timedelta(offset), hour=hour),
                values={"single-leg-balance": (10 + offset + hour % 5, 20)},
            )
        edges.append(athlete)
    twins = UserFactory(username="twins")
    when = local_moment(twins, today - timedelta(days=3), hour=7)
    for left in (11, 15, 9, 13, 12):
        log_past_session(twins, "ankle-stability", when, values={"star-exercise": (left, 15)})
    return [dense.pk, alice.pk, old.pk, twins.pk, *(a.pk for a in edges)], today


def test_balances_from_the_summary_equal_balances_from_the_sets(varied_histories):
    ids, today = varied_histories
    balances = progress.side_balances_for(athlete_ids=ids, today=today)
    found = {
        athlete_id: {b.exercise_name: (b.asymmetries, b.left_total, b.right_total) for b in rows}
        for athlete_id, rows in balances.items()
    }
    assert found == balances_from_sets(ids, today)
    assert ids[2] not in found  # nothing within the lookback


def test_postgresql_lateral_read_and_the_window_read_agree(varied_histories):
    if connection.vendor != "postgresql":
        pytest.skip("the LATERAL read is PostgreSQL's; elsewhere only the window read runs")
    ids, today = varied_histories
    since = today - timedelta(days=progress.BALANCE_LOOKBACK_DAYS)
    reads = []
    for rows in (
        progress._recent_side_bests_lateral("default", ids, since),
        progress._recent_side_bests_window(ids, since),
    ):
        per_exercise = defaultdict(list)  # oldest first; exercises of one session in any order
        for row in rows:
            per_exercise[row[:2]].append(row)
        reads.append(per_exercise)
    lateral, window = reads
    assert sum(len(rows) for rows in lateral.values()) > 50
    assert lateral == window


# --- Migration and concurrency -------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_fills_the_summaries_from_the_logs_already_there(alice, charlie):
    build_history(alice, weeks_back=3, per_week=2, today=weeks.today(alice.zone), all_rounds=True)
    services.session_finish(session=start_session(charlie), note="")  # closed, empty
    _log(start_session(alice), "single-leg-balance", left=15, right=20)  # open
    kept = (stored_side_bests(), stored_tallies())
    flags = dict(WorkoutSession.objects.values_list("pk", "has_sets"))
    assert_exact()

    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("workouts", "0009_catalogue_version")])
        executor.loader.build_graph()
        executor.migrate([("workouts", "0010_roster_summaries")])
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert (stored_side_bests(), stored_tallies()) == kept
    assert dict(WorkoutSession.objects.values_list("pk", "has_sets")) == flags


def _at_once(*calls) -> list:
    """Run the calls in threads released together; return what each raised (or None)."""
    barrier = threading.Barrier(len(calls))
    raised: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # reported to the test
            raised[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return raised


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_rounds_logged_at_the_same_moment_both_count(alice):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that takes concurrent writers (PostgreSQL)")
    for _attempt in range(5):
        session = start_session(alice, "dynamic-feet-ankles")
        raised = _at_once(
            lambda s=session: _log(s, "lateral-single-leg-jumps", 1, left=8, right=12),
            lambda s=session: _log(s, "lateral-single-leg-jumps", 2, left=12, right=8),
        )
        assert raised == [None, None]
        best = SideBest.objects.get(session=session)
        assert (best.best_left, best.best_right) == (12, 12)
        services.session_finish(session=session, note="")
    assert_exact()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_undo_racing_a_finish_leaves_the_session_counted_as_its_sets_say(alice):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that takes concurrent writers (PostgreSQL)")
    for _attempt in range(5):
        session = start_session(alice)
        log = _log(session, "heel-raises", value=20)
        raised = _at_once(
            lambda log=log: services.set_log_delete(log=log),
            lambda s=session: services.session_finish(session=s, note=""),
        )
        assert raised[1] is None
        assert raised[0] is None or isinstance(raised[0], services.SetLogRefused)
        assert_exact()
