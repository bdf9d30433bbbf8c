"""Read-side queries for the workouts app: each returns everything its page needs."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from workouts.models import Circuit, Equipment, Exercise, PrescribedExercise, Routine


@dataclass
class EquipmentNeeds:
    """What a routine asks for: always, for an optional circuit only, or just helpful."""

    required: list[Equipment] = field(default_factory=list)
    optional_circuits: list[tuple[Equipment, Circuit]] = field(default_factory=list)
    helpful: list[Equipment] = field(default_factory=list)


def _routines_with_everything() -> QuerySet[Routine]:
    exercises = Exercise.objects.select_related("progresses_to").prefetch_related(
        "equipment", "helpful_equipment", "variations__equipment"
    )
    prescriptions = PrescribedExercise.objects.order_by("order").prefetch_related(
        Prefetch("exercise", queryset=exercises)
    )
    circuits = (
        Circuit.objects.order_by("order")
        .select_related("needs_equipment")
        .prefetch_related(Prefetch("prescriptions", queryset=prescriptions))
    )
    return Routine.objects.filter(active=True).prefetch_related(
        Prefetch("circuits", queryset=circuits)
    )


def routine_list() -> list[Routine]:
    """Active routines, each with circuits, prescriptions and exercises loaded."""
    return list(_routines_with_everything())


def routine_get(*, slug: str) -> Routine:
    return get_object_or_404(_routines_with_everything(), slug=slug)


def routine_equipment(routine: Routine) -> EquipmentNeeds:
    """Sort a loaded routine's equipment into required, per optional circuit, and helpful."""
    needs = EquipmentNeeds()
    required: dict[int, Equipment] = {}
    optional: dict[int, tuple[Equipment, Circuit]] = {}
    helpful: dict[int, Equipment] = {}
    for circuit in routine.circuits.all():
        gate = circuit.needs_equipment
        if gate is not None:
            optional[gate.pk] = (gate, circuit)
        for prescription in circuit.prescriptions.all():
            exercise = prescription.exercise
            for item in exercise.equipment.all():
                if gate is None:
                    required[item.pk] = item
                elif item.pk != gate.pk:
                    # Needed only for the optional circuit, e.g. the step in circuit 3.
                    optional.setdefault(item.pk, (item, circuit))
            for item in exercise.helpful_equipment.all():
                helpful[item.pk] = item
            for variation in exercise.variations.all():
                for item in variation.equipment.all():
                    helpful[item.pk] = item
    needs.required = sorted(required.values(), key=lambda e: e.name)
    needs.optional_circuits = [
        pair
        for pk, pair in sorted(optional.items(), key=lambda kv: kv[1][0].name)
        if pk not in required
    ]
    needs.helpful = sorted(
        (e for pk, e in helpful.items() if pk not in required and pk not in optional),
        key=lambda e: e.name,
    )
    return needs


def routine_exercise_count(routine: Routine) -> int:
    return sum(len(circuit.prescriptions.all()) for circuit in routine.circuits.all())
