"""Anyone can read the routines: the list and each routine's circuits, doses and ladders."""

import uuid

import pytest
from django.urls import reverse

from tests.factories import PrescribedExerciseFactory, RoutineFactory, VariationFactory
from workouts import selectors
from workouts.models import CatalogueVersion, Equipment, Exercise

pytestmark = pytest.mark.django_db


def test_routine_list_shows_both_routines_with_their_facts(client):
    response = client.get(reverse("workouts:routine_list"))
    assert response.status_code == 200
    text = response.text
    assert "Dynamic feet and ankles" in text
    assert "Ankle stability" in text
    cards = {card["routine"].slug: card for card in response.context["cards"]}
    assert cards["dynamic-feet-ankles"]["exercise_count"] == 6
    assert cards["ankle-stability"]["exercise_count"] == 8
    assert "medicine ball for circuit 3 only" in text
    assert "1 a week" in text


def test_routine_detail_shows_circuits_doses_cues_and_ladders(client):
    response = client.get(reverse("workouts:routine_detail", args=["ankle-stability"]))
    text = response.text
    assert response.status_code == 200
    assert "20 s each leg" in text
    assert "5 taps each direction, each leg" in text
    assert "Knee over the little toe." in text
    for level in ["Flat floor", "Rolled towel", "Bosu, round side up", "Bosu, flat side up"]:
        assert level in text
    assert text.index("Rolled towel") < text.index("Bosu, round side up")


def test_dynamic_routine_page_marks_circuit_three_optional(client):
    text = client.get(reverse("workouts:routine_detail", args=["dynamic-feet-ankles"])).text
    assert "Circuit 3: Med-ball power" in text
    assert "needs a medicine ball; left out without one" in text
    assert "15-30 s each side, or to fatigue" in text
    assert "8 each side, medium ball" in text
    assert "2-3 rounds" in text


def test_unknown_routine_is_404(client):
    assert client.get(reverse("workouts:routine_detail", args=["nope"])).status_code == 404


def test_retired_routine_is_not_listed(client):
    RoutineFactory(slug="old-one", name="Old routine", active=False)
    assert "Old routine" not in client.get(reverse("workouts:routine_list")).text
    assert client.get(reverse("workouts:routine_detail", args=["old-one"])).status_code == 404


def test_catalogue_pages_refuse_post(client):
    assert client.post(reverse("workouts:routine_list")).status_code == 405


def test_routine_pages_read_the_catalogue_once_whatever_its_size(client, django_assert_num_queries):
    small = RoutineFactory(slug="small")
    VariationFactory(exercise=PrescribedExerciseFactory(circuit__routine=small).exercise)
    url = reverse("workouts:routine_detail", args=["small"])
    # The catalogue's token, then the whole catalogue: it just changed.
    with django_assert_num_queries(11) as small_run:
        client.get(url)
    # Only the token while this process's copy still holds.
    with django_assert_num_queries(1):
        client.get(url)

    big = RoutineFactory(slug="big")
    for _ in range(12):
        row = PrescribedExerciseFactory(circuit__routine=big)
        VariationFactory.create_batch(3, exercise=row.exercise)
    with django_assert_num_queries(len(small_run.captured_queries)):
        response = client.get(reverse("workouts:routine_detail", args=["big"]))
    assert response.context["exercise_count"] == 12
    with django_assert_num_queries(1):
        client.get(reverse("workouts:routine_list"))


def test_a_catalogue_edit_shows_at_once(client):
    url = reverse("workouts:routine_detail", args=["ankle-stability"])
    assert "Heel raises" in client.get(url).text
    exercise = Exercise.objects.get(slug="heel-raises")
    exercise.name = "Calf raises"
    exercise.save()
    page = client.get(url).text
    assert "Calf raises" in page
    assert "Heel raises" not in page
    # A change to an equipment list is a change too.
    exercise.equipment.add(Equipment.objects.get(slug="medicine-ball"))
    heel = next(
        p.exercise
        for c in selectors.routine_get(slug="ankle-stability").circuits.all()
        for p in c.prescriptions.all()
        if p.exercise.slug == "heel-raises"
    )
    assert "medicine-ball" in [item.slug for item in heel.equipment.all()]


def test_another_process_changing_the_catalogue_is_noticed(client):
    url = reverse("workouts:routine_detail", args=["ankle-stability"])
    client.get(url)
    # As another worker's admin save would: the data and the token change, no signal here.
    Exercise.objects.filter(slug="heel-raises").update(name="Calf raises")
    assert "Heel raises" in client.get(url).text, "this process has not been told yet"
    CatalogueVersion.objects.update(token=uuid.uuid4())
    assert "Calf raises" in client.get(url).text


def test_home_sends_visitors_to_the_routines(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("workouts:routine_list")
