"""The rules of starting a session and logging sets, at the service layer."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from tests.factories import start_session
from workouts import selectors, services
from workouts.models import Equipment, PrescribedExercise, SetLog, WorkoutSession
from workouts.services import SetValues

pytestmark = pytest.mark.django_db


def _exercise(session, slug):
    return session.session_exercises.get(exercise__slug=slug)


def _log(session, slug, round_number=1, client_id=None, **values):
    return services.set_log_create(
        session=session,
        session_exercise=_exercise(session, slug),
        round_number=round_number,
        values=SetValues(**values),
        client_id=client_id or uuid.uuid4(),
    )


def test_start_copies_every_prescription_onto_the_session(alice):
    session = start_session(alice)
    rows = list(session.session_exercises.order_by("order"))
    assert [r.name for r in rows][:2] == ["Heel raises", "Heel walks"]
    assert len(rows) == 8
    balance = _exercise(session, "single-leg-balance")
    assert (balance.target_min, balance.target_max, balance.per_side, balance.unit) == (
        20,
        20,
        True,
        "seconds",
    )
    assert balance.dose == "20 s each leg"


def test_editing_the_catalogue_after_start_changes_nothing_in_the_session(alice):
    session = start_session(alice)
    PrescribedExercise.objects.filter(exercise__slug="heel-raises").update(
        target_min=99, target_max=99
    )
    session.routine.circuits.update(rest_seconds=200)
    heel = _exercise(session, "heel-raises")
    assert (heel.target_min, heel.dose, heel.rest_seconds) == (20, "20, hold 2-3 s", 60)


def test_circuit_needing_a_ball_is_left_out_for_an_athlete_without_one(alice):
    session = start_session(alice, "dynamic-feet-ankles")
    assert session.session_exercises.count() == 4
    assert not session.session_exercises.filter(circuit_order=3).exists()
    assert "Circuit 3" in session.left_out and "medicine ball" in session.left_out


def test_athlete_with_a_ball_gets_all_three_circuits(alice):
    alice.equipment.add(Equipment.objects.get(slug="medicine-ball"))
    session = start_session(alice, "dynamic-feet-ankles")
    assert session.session_exercises.count() == 6
    assert session.left_out == ""


def test_only_one_open_session_at_a_time(alice):
    first = start_session(alice)
    with pytest.raises(services.SessionAlreadyOpen) as excinfo:
        start_session(alice, "dynamic-feet-ankles")
    assert excinfo.value.session == first
    services.session_finish(session=first, note="")
    assert start_session(alice, "dynamic-feet-ankles").is_open


def test_same_client_id_twice_stores_one_set(alice):
    session = start_session(alice)
    client_id = uuid.uuid4()
    first, created = _log(session, "heel-raises", client_id=client_id, value=20)
    again, created_again = _log(session, "heel-raises", client_id=client_id, value=20)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert SetLog.objects.count() == 1


def test_same_client_id_with_other_values_is_refused_and_changes_nothing(alice):
    session = start_session(alice)
    client_id = uuid.uuid4()
    _log(session, "heel-raises", client_id=client_id, value=20)
    with pytest.raises(services.SetLogConflict, match="already saved with other values"):
        _log(session, "heel-raises", client_id=client_id, value=12)
    assert list(SetLog.objects.values_list("value", flat=True)) == [20]


def test_a_retry_after_the_session_closed_gets_the_stored_set_back(alice):
    # The phone sent the set, lost the answer, and the athlete finished meanwhile.
    session = start_session(alice)
    client_id = uuid.uuid4()
    first, _ = _log(session, "heel-raises", client_id=client_id, value=20)
    services.session_finish(session=session, note="")
    session.refresh_from_db()
    again, created = _log(session, "heel-raises", client_id=client_id, value=20)
    assert (again.pk, created) == (first.pk, False)
    with pytest.raises(services.SetLogConflict, match="already saved with other values"):
        _log(session, "heel-raises", client_id=client_id, value=12)
    assert list(SetLog.objects.values_list("value", flat=True)) == [20]


def test_a_round_is_logged_once(alice):
    session = start_session(alice)
    _log(session, "heel-raises", value=20)
    with pytest.raises(services.SetLogConflict, match="already logged"):
        _log(session, "heel-raises", value=18)
    assert SetLog.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_retries_with_one_client_id_store_one_set(alice):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that takes concurrent writers (PostgreSQL)")
    session = start_session(alice)
    exercise = _exercise(session, "heel-raises")
    client_id = uuid.uuid4()
    barrier = threading.Barrier(4)
    outcomes = []

    def send():
        from django.db import connections

        try:
            barrier.wait()
            _log, created = services.set_log_create(
                session=session,
                session_exercise=exercise,
                round_number=1,
                values=SetValues(value=20),
                client_id=client_id,
            )
            outcomes.append(created)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert SetLog.objects.filter(client_id=client_id).count() == 1
    assert sorted(outcomes) == [False, False, False, True]


def test_per_side_exercise_needs_both_sides_and_no_single_value(alice):
    session = start_session(alice)
    with pytest.raises(services.SetLogRefused, match="left and right separately"):
        _log(session, "single-leg-balance", value=20)
    with pytest.raises(services.SetLogRefused, match="both the left and the right"):
        _log(session, "single-leg-balance", left=20)
    log, _ = _log(session, "single-leg-balance", left=20, right=14)
    assert (log.left, log.right, log.value) == (20, 14, None)


def test_bilateral_exercise_refuses_sides(alice):
    session = start_session(alice)
    with pytest.raises(services.SetLogRefused, match="not done per side"):
        _log(session, "heel-raises", left=10, right=10)


def test_bounds_depend_on_what_is_counted(alice):
    session = start_session(alice)
    with pytest.raises(services.SetLogRefused, match="0 to 500"):
        _log(session, "heel-raises", value=501)
    with pytest.raises(services.SetLogRefused, match="0 to 1800"):
        _log(session, "single-leg-balance", left=1801, right=10)
    log, _ = _log(session, "single-leg-balance", left=1800, right=0)
    assert log.left == 1800


def test_weight_only_on_loaded_exercises(alice):
    alice.equipment.add(Equipment.objects.get(slug="medicine-ball"))
    session = start_session(alice, "dynamic-feet-ankles")
    with pytest.raises(services.SetLogRefused, match="carries no weight"):
        _log(session, "pogo-jumps", value=12, load_kg=Decimal("4"))
    log, _ = _log(session, "runners-lunge-med-ball-slam", left=8, right=8, load_kg=Decimal("4"))
    assert log.load_kg == Decimal("4")


def test_variation_must_belong_to_the_exercise(alice):
    session = start_session(alice)
    towel = selectors.Variation.objects.get(exercise__slug="single-leg-balance", order=2)
    with pytest.raises(services.SetLogRefused, match="not one of this exercise"):
        _log(session, "heel-raises", value=20, variation_id=towel.pk)


def test_finished_session_refuses_new_sets_edits_and_undo(alice):
    session = start_session(alice)
    log, _ = _log(session, "heel-raises", value=20)
    services.session_finish(session=session, note="good")
    session.refresh_from_db()
    with pytest.raises(services.SetLogRefused, match="finished"):
        _log(session, "heel-walks", value=40)
    log.session = session
    with pytest.raises(services.SetLogRefused, match="finished"):
        services.set_log_update(log=log, values=SetValues(value=5))
    with pytest.raises(services.SetLogRefused, match="finished"):
        services.set_log_delete(log=log)
    assert list(SetLog.objects.values_list("value", flat=True)) == [20]


def test_abandoned_session_keeps_its_sets(alice):
    session = start_session(alice)
    _log(session, "heel-raises", value=20)
    services.session_abandon(session=session)
    session.refresh_from_db()
    assert session.status == WorkoutSession.Status.ABANDONED
    assert session.set_logs.count() == 1


def test_default_is_the_bottom_of_a_range_until_the_top_was_reached(alice):
    alice.equipment.add(Equipment.objects.get(slug="medicine-ball"))
    first = start_session(alice, "dynamic-feet-ankles")

    def edge_default(session):
        blocks = selectors.session_blocks(session=session)
        row = blocks[1].rounds[0].rows[0]
        assert row.session_exercise.exercise.slug == "edge-of-step-balance"
        return row

    assert edge_default(first).default_value == 15
    _log(first, "edge-of-step-balance", left=30, right=22)
    services.session_finish(session=first, note="")
    second = start_session(alice, "dynamic-feet-ankles")
    assert edge_default(second).default_value == 15, "one side short of 30 keeps the bottom"
    row = edge_default(second)
    assert (row.previous.left, row.previous.right) == (30, 22)
    _log(second, "edge-of-step-balance", left=30, right=31)
    services.session_finish(session=second, note="")
    third = start_session(alice, "dynamic-feet-ankles")
    assert edge_default(third).default_value == 30


def test_level_defaults_to_the_one_used_last_time(alice):
    first = start_session(alice)
    towel = selectors.Variation.objects.get(exercise__slug="single-leg-balance", order=2)
    _log(first, "single-leg-balance", left=20, right=20, variation_id=towel.pk)
    services.session_finish(session=first, note="")
    second = start_session(alice)
    rows = [r for r in selectors.session_blocks(session=second)[0].rounds[0].rows]
    balance = next(r for r in rows if r.session_exercise.name == "Single-leg balance")
    assert balance.default_variation_id == towel.pk
    heel = next(r for r in rows if r.session_exercise.name == "Heel raises")
    assert heel.default_variation_id == heel.variations[0].pk
