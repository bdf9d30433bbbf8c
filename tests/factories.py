"""factory-boy factories for users and the catalogue."""

import functools

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from accounts.models import User
from workouts.models import Circuit, Equipment, Exercise, PrescribedExercise, Routine, Variation

PASSWORD = "correct-horse-battery-staple"


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    role = User.Role.ATHLETE
    # Hashed once with the real (Argon2) hasher and shared: hashing per user took a third of
    # a second each.
    password = factory.LazyFunction(lambda: _password_hash())


class CoachFactory(UserFactory):
    role = User.Role.COACH


class EquipmentFactory(DjangoModelFactory):
    class Meta:
        model = Equipment

    name = factory.Sequence(lambda n: f"Gadget {n}")
    slug = factory.Sequence(lambda n: f"gadget-{n}")


class ExerciseFactory(DjangoModelFactory):
    class Meta:
        model = Exercise

    name = factory.Sequence(lambda n: f"Exercise {n}")
    slug = factory.Sequence(lambda n: f"exercise-{n}")
    summary = "A test exercise."
    how_to = "Stand.\nMove."
    unit = Exercise.Unit.REPS


class VariationFactory(DjangoModelFactory):
    class Meta:
        model = Variation

    exercise = factory.SubFactory(ExerciseFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Level {n}")


class RoutineFactory(DjangoModelFactory):
    class Meta:
        model = Routine

    name = factory.Sequence(lambda n: f"Routine {n}")
    slug = factory.Sequence(lambda n: f"routine-{n}")
    summary = "A test routine."
    purpose = "Testing."
    source_credit = "The test suite."
    order = 10


class CircuitFactory(DjangoModelFactory):
    class Meta:
        model = Circuit

    routine = factory.SubFactory(RoutineFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Circuit {n}")


class PrescribedExerciseFactory(DjangoModelFactory):
    class Meta:
        model = PrescribedExercise

    circuit = factory.SubFactory(CircuitFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    order = factory.Sequence(lambda n: n + 1)
    target_min = 10
    target_max = 10


def start_session(athlete, routine_slug: str = "ankle-stability"):
    """A session started the way the app starts one, on a routine from the catalogue."""
    from workouts import selectors, services

    return services.session_start(athlete=athlete, routine=selectors.routine_get(slug=routine_slug))
