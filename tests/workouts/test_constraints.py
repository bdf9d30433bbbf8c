"""The database itself refuses catalogue rows that make no sense."""

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import (
    CircuitFactory,
    ExerciseFactory,
    PrescribedExerciseFactory,
    RoutineFactory,
    VariationFactory,
)
from workouts.models import Circuit, Exercise, PrescribedExercise

pytestmark = pytest.mark.django_db


def _refused(constraint: str, make) -> None:
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make()
    if connection.vendor == "postgresql":
        # SQLite does not name the constraint it enforced; PostgreSQL does.
        assert constraint in str(excinfo.value)


def test_duplicate_order_in_a_circuit_is_refused():
    first = PrescribedExerciseFactory(order=1)
    _refused(
        "workouts_prescription_unique_order",
        lambda: PrescribedExerciseFactory(circuit=first.circuit, order=1),
    )


def test_target_min_above_max_is_refused():
    _refused(
        "workouts_prescription_target_min_lte_max",
        lambda: PrescribedExerciseFactory(target_min=30, target_max=15),
    )


def test_zero_or_negative_target_is_refused():
    _refused(
        "workouts_prescription_target_positive", lambda: PrescribedExerciseFactory(target_min=0)
    )
    circuit = CircuitFactory()
    exercise = ExerciseFactory()
    # Bypass model field checks entirely: the database must still say no.
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescribedExercise.objects.bulk_create(
            [
                PrescribedExercise(
                    circuit=circuit, exercise=exercise, order=1, target_min=-5, target_max=10
                )
            ]
        )


def test_rounds_min_above_max_is_refused():
    routine = RoutineFactory()
    _refused(
        "workouts_circuit_rounds_min_lte_max",
        lambda: Circuit.objects.create(
            routine=routine, order=1, name="x", rounds_min=3, rounds_max=2
        ),
    )


def test_duplicate_slugs_are_refused():
    ExerciseFactory(slug="same")
    _refused("workouts_exercise_unique_slug", lambda: ExerciseFactory(slug="same"))
    RoutineFactory(slug="same")
    _refused("workouts_routine_unique_slug", lambda: RoutineFactory(slug="same"))


def test_duplicate_variation_order_is_refused():
    level = VariationFactory(order=1)
    _refused(
        "workouts_variation_unique_order",
        lambda: VariationFactory(exercise=level.exercise, order=1),
    )


def test_hold_at_top_range_must_be_ordered():
    _refused(
        "workouts_prescription_hold_top_range",
        lambda: PrescribedExerciseFactory(hold_top_seconds_min=3, hold_top_seconds_max=2),
    )


def test_an_exercise_a_routine_uses_cannot_be_deleted():
    from django.db.models import ProtectedError

    heel = Exercise.objects.get(slug="heel-raises")
    with pytest.raises(ProtectedError):
        heel.delete()
