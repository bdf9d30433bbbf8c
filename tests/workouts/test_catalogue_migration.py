"""The migrated catalogue holds both routines exactly as the source articles give them."""

import pytest

from workouts.models import Exercise, PrescribedExercise, Routine

pytestmark = pytest.mark.django_db


def _doses(routine_slug: str) -> list[tuple]:
    rows = PrescribedExercise.objects.filter(circuit__routine__slug=routine_slug).order_by(
        "circuit__order", "order"
    )
    return [
        (
            p.circuit.order,
            p.exercise.slug,
            p.target_min,
            p.target_max,
            p.per_side,
            p.exercise.is_timed,
            p.to_fatigue,
        )
        for p in rows.select_related("circuit", "exercise")
    ]


def test_two_routines_ship():
    assert list(Routine.objects.values_list("slug", flat=True)) == [
        "dynamic-feet-ankles",
        "ankle-stability",
    ]


def test_dynamic_routine_is_three_circuits_of_two_with_two_to_three_rounds():
    routine = Routine.objects.get(slug="dynamic-feet-ankles")
    circuits = list(routine.circuits.order_by("order"))
    assert [c.prescriptions.count() for c in circuits] == [2, 2, 2]
    assert {(c.rounds_min, c.rounds_max) for c in circuits} == {(2, 3)}
    assert [c.needs_equipment and c.needs_equipment.slug for c in circuits] == [
        None,
        None,
        "medicine-ball",
    ]
    assert _doses("dynamic-feet-ankles") == [
        (1, "pogo-jumps", 12, 12, False, False, False),
        (1, "lateral-single-leg-jumps", 12, 12, True, False, False),
        (2, "edge-of-step-balance", 15, 30, True, True, True),
        (2, "edge-of-step-balance-knee-drivers", 15, 30, True, True, True),
        (3, "runners-lunge-med-ball-slam", 8, 8, True, False, False),
        (3, "single-leg-hinged-med-ball-slam", 8, 8, True, False, False),
    ]


def test_dynamic_routine_loads_and_equipment():
    slams = PrescribedExercise.objects.filter(
        circuit__order=3, circuit__routine__slug="dynamic-feet-ankles"
    )
    assert {p.load_note for p in slams} == {"medium ball"}
    assert all(p.exercise.carries_load for p in slams)
    edge = Exercise.objects.get(slug="edge-of-step-balance")
    assert set(edge.equipment.values_list("slug", flat=True)) == {"step", "wall-or-rail"}
    assert edge.progresses_to.slug == "edge-of-step-balance-knee-drivers"


def test_stability_routine_is_eight_exercises_in_one_round():
    routine = Routine.objects.get(slug="ankle-stability")
    assert routine.suggested_sessions_per_week == 1
    circuit = routine.circuits.get()
    assert (circuit.rounds_min, circuit.rounds_max) == (1, 1)
    assert _doses("ankle-stability") == [
        (1, "heel-raises", 20, 20, False, False, False),
        (1, "heel-walks", 40, 40, False, False, False),
        (1, "star-exercise", 5, 5, True, False, False),
        (1, "single-leg-balance", 20, 20, True, True, False),
        (1, "single-leg-mini-squat", 10, 10, True, False, False),
        (1, "jump-squats", 20, 20, False, False, False),
        (1, "seated-toe-points-flex", 30, 30, False, False, False),
        (1, "single-leg-lateral-hops", 20, 20, True, False, False),
    ]


def test_doses_read_as_an_athlete_would_say_them():
    texts = {
        p.exercise.slug: p.dose_text for p in PrescribedExercise.objects.select_related("exercise")
    }
    assert texts["lateral-single-leg-jumps"] == "12 jumps each leg"
    assert texts["edge-of-step-balance"] == "15-30 s each side, or to fatigue"
    assert texts["runners-lunge-med-ball-slam"] == "8 each side, medium ball"
    assert texts["heel-walks"] == "40 steps"
    assert texts["star-exercise"] == "5 taps each direction, each leg"
    assert texts["heel-raises"] == "20, hold 2-3 s"
    assert texts["seated-toe-points-flex"] == "30, hold 2-3 s"


def test_star_is_per_direction_and_units_are_right():
    star = PrescribedExercise.objects.get(exercise__slug="star-exercise")
    assert star.per_direction and star.exercise.per_direction
    units = dict(Exercise.objects.values_list("slug", "unit"))
    assert units["heel-walks"] == "steps"
    assert units["star-exercise"] == "taps"
    assert units["single-leg-balance"] == "seconds"
    assert units["pogo-jumps"] == "jumps"


def test_progression_ladders():
    balance = Exercise.objects.get(slug="single-leg-balance")
    assert list(balance.variations.values_list("name", flat=True)) == [
        "Flat floor",
        "Rolled towel",
        "Bosu, round side up",
        "Bosu, flat side up",
    ]
    heel = Exercise.objects.get(slug="heel-raises")
    assert list(heel.variations.values_list("name", flat=True)) == ["Flat floor", "Step edge"]
    assert list(heel.variations.get(order=2).equipment.values_list("slug", flat=True)) == ["step"]


def test_catalogue_editors_group_holds_exactly_the_catalogue_permissions():
    from django.contrib.auth.models import Group

    perms = set(
        Group.objects.get(name="Catalogue editors").permissions.values_list("codename", flat=True)
    )
    models = ["equipment", "exercise", "variation", "routine", "circuit", "prescribedexercise"]
    assert perms == {
        f"{action}_{m}" for m in models for action in ("add", "change", "delete", "view")
    }
