"""The exercise catalogue, read once per process and kept until staff change it.

Routines, circuits, prescriptions, exercises, their ladders and equipment change only
when staff edit them, yet the dashboard, the routine pages and the session page read them
on every request (8 queries for the routine cards alone). So each process keeps one copy
in memory and checks, with one query on one row, whether it still holds:

- every save or delete of a catalogue model, and every change to its equipment lists,
  gives `CatalogueVersion` a new token (signal handlers below, in the same transaction);
- `current()` reads the token first and reloads the whole catalogue when it differs.

The token is read before the catalogue, so a change committed in between is caught on
the next request instead of being stored under the new token. Code that changes the
catalogue without saving models (`QuerySet.update`, raw SQL) must call `changed()`.

The cached objects are shared by every request of the process: read them, never change
them. The token and the catalogue are always read from the primary database.
"""

import uuid
from dataclasses import dataclass

from django.db.models import Prefetch
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from config.replica import PRIMARY
from workouts.models import (
    CatalogueVersion,
    Circuit,
    Equipment,
    Exercise,
    PrescribedExercise,
    Routine,
    Variation,
)

CATALOGUE_MODELS = (Equipment, Exercise, Variation, Routine, Circuit, PrescribedExercise)
EQUIPMENT_LISTS = (
    Exercise.equipment.through,
    Exercise.helpful_equipment.through,
    Variation.equipment.through,
)


@dataclass(frozen=True)
class Catalogue:
    routines: list[Routine]  # active ones, each with circuits, prescriptions, exercises
    exercises: dict[int, Exercise]  # every exercise, with what it progresses to
    ladders: dict[int, list[Variation]]  # exercise id -> its levels, easiest first

    def routine(self, slug: str) -> Routine | None:
        return next((r for r in self.routines if r.slug == slug), None)

    def ladder(self, exercise_id: int) -> list[Variation]:
        return self.ladders.get(exercise_id, [])


_cached: tuple[uuid.UUID, Catalogue] | None = None


def current() -> Catalogue:
    """The catalogue as it stands: one query when this process's copy still holds."""
    global _cached
    token = CatalogueVersion.objects.using(PRIMARY).values_list("token", flat=True).first()
    if _cached is not None and token is not None and _cached[0] == token:
        return _cached[1]
    catalogue = _load()
    # Without a token row (a database emptied by hand) nothing is kept: always read.
    _cached = (token, catalogue) if token is not None else None
    return catalogue


def changed() -> None:
    """Tell every process its copy is out of date (also called by the signal handlers)."""
    CatalogueVersion.objects.using(PRIMARY).update_or_create(pk=1, defaults={"token": uuid.uuid4()})


def _load() -> Catalogue:
    exercises = Exercise.objects.using(PRIMARY).select_related("progresses_to")
    with_equipment = exercises.prefetch_related(
        "equipment", "helpful_equipment", "variations__equipment"
    )
    prescriptions = PrescribedExercise.objects.order_by("order").prefetch_related(
        Prefetch("exercise", queryset=with_equipment)
    )
    circuits = (
        Circuit.objects.order_by("order")
        .select_related("needs_equipment")
        .prefetch_related(Prefetch("prescriptions", queryset=prescriptions))
    )
    routines = list(
        Routine.objects.using(PRIMARY)
        .filter(active=True)
        .prefetch_related(Prefetch("circuits", queryset=circuits))
    )
    ladders: dict[int, list[Variation]] = {}
    for variation in Variation.objects.using(PRIMARY).order_by("exercise_id", "order"):
        ladders.setdefault(variation.exercise_id, []).append(variation)
    return Catalogue(
        routines=routines,
        exercises={exercise.pk: exercise for exercise in exercises},
        ladders=ladders,
    )


@receiver(post_save)
@receiver(post_delete)
def _model_changed(sender, **kwargs) -> None:
    if sender in CATALOGUE_MODELS:
        changed()


@receiver(m2m_changed)
def _equipment_changed(sender, action: str, **kwargs) -> None:
    if sender in EQUIPMENT_LISTS and action.startswith("post_"):
        changed()
