"""Staff in "Catalogue editors" keep the catalogue right through the Django admin."""

import pytest
from django.urls import reverse

from workouts.models import Circuit, Exercise, Routine

pytestmark = pytest.mark.django_db


def _management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_editor_adds_an_exercise_with_a_variation(client, sam):
    client.force_login(sam)
    data = {
        "name": "Towel scrunches",
        "slug": "towel-scrunches",
        "summary": "Scrunch a towel towards you with your toes.",
        "how_to": "Sit.\nScrunch.",
        "cues": "",
        "safety_note": "",
        "unit": "reps",
        "per_side": "on",
        "active": "on",
        **_management("variations", 1, 0),
        "variations-0-order": "1",
        "variations-0-name": "Dry towel",
        "variations-0-description": "",
    }
    response = client.post(reverse("admin:workouts_exercise_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    exercise = Exercise.objects.get(slug="towel-scrunches")
    assert exercise.per_side
    assert list(exercise.variations.values_list("name", flat=True)) == ["Dry towel"]


def test_editor_adds_a_level_to_an_existing_ladder(client, sam):
    client.force_login(sam)
    heel = Exercise.objects.get(slug="heel-raises")
    levels = list(heel.variations.order_by("order"))
    data = {
        "name": heel.name,
        "slug": heel.slug,
        "summary": heel.summary,
        "how_to": heel.how_to,
        "cues": heel.cues,
        "safety_note": heel.safety_note,
        "unit": heel.unit,
        "active": "on",
        **_management("variations", 3, 2),
    }
    for index, level in enumerate(levels):
        data |= {
            f"variations-{index}-id": str(level.pk),
            f"variations-{index}-exercise": str(heel.pk),
            f"variations-{index}-order": str(level.order),
            f"variations-{index}-name": level.name,
            f"variations-{index}-description": level.description,
        }
        if level.equipment.exists():
            data[f"variations-{index}-equipment"] = [str(e.pk) for e in level.equipment.all()]
    data |= {"variations-2-order": "3", "variations-2-name": "Single leg on step edge"}
    response = client.post(reverse("admin:workouts_exercise_change", args=[heel.pk]), data)
    assert response.status_code == 302
    assert list(heel.variations.values_list("name", flat=True)) == [
        "Flat floor",
        "Step edge",
        "Single leg on step edge",
    ]


def _circuit_post(circuit: Circuit, orders: dict[str, int]) -> dict:
    rows = list(circuit.prescriptions.select_related("exercise").order_by("order"))
    data = {
        "routine": str(circuit.routine_id),
        "order": str(circuit.order),
        "name": circuit.name,
        "purpose": circuit.purpose,
        "rounds_min": str(circuit.rounds_min),
        "rounds_max": str(circuit.rounds_max),
        "rest_seconds": str(circuit.rest_seconds),
        "needs_equipment": "",
        **_management("prescriptions", len(rows), len(rows)),
    }
    for index, row in enumerate(rows):
        prefix = f"prescriptions-{index}-"
        data |= {
            prefix + "id": str(row.pk),
            prefix + "circuit": str(circuit.pk),
            prefix + "order": str(orders[row.exercise.slug]),
            prefix + "exercise": str(row.exercise_id),
            prefix + "target_min": str(row.target_min),
            prefix + "target_max": str(row.target_max),
            prefix + "side_word": row.side_word,
            prefix + "load_note": row.load_note,
        }
        if row.per_side:
            data[prefix + "per_side"] = "on"
    return data


def test_editor_swaps_two_exercises_in_one_save(client, sam):
    client.force_login(sam)
    circuit = Circuit.objects.get(routine__slug="dynamic-feet-ankles", order=1)
    data = _circuit_post(circuit, {"pogo-jumps": 2, "lateral-single-leg-jumps": 1})
    response = client.post(reverse("admin:workouts_circuit_change", args=[circuit.pk]), data)
    assert response.status_code == 302
    assert list(
        circuit.prescriptions.order_by("order").values_list("exercise__slug", flat=True)
    ) == [
        "lateral-single-leg-jumps",
        "pogo-jumps",
    ]


def test_two_exercises_in_one_position_get_a_message_not_a_crash(client, sam):
    client.force_login(sam)
    circuit = Circuit.objects.get(routine__slug="dynamic-feet-ankles", order=1)
    data = _circuit_post(circuit, {"pogo-jumps": 1, "lateral-single-leg-jumps": 1})
    response = client.post(reverse("admin:workouts_circuit_change", args=[circuit.pk]), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for order." in response.text
    assert circuit.prescriptions.filter(exercise__slug="pogo-jumps").get().order == 1
    assert circuit.prescriptions.filter(exercise__slug="lateral-single-leg-jumps").get().order == 2


def test_a_plain_user_is_sent_to_the_admin_login(client, alice):
    client.force_login(alice)
    response = client.get(reverse("admin:workouts_exercise_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_the_group_cannot_edit_the_catalogue(client, alice):
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    client.force_login(alice)
    assert client.get(reverse("admin:workouts_exercise_changelist")).status_code == 403


def test_deleting_a_used_exercise_is_refused_and_retiring_is_offered(client, sam):
    client.force_login(sam)
    heel = Exercise.objects.get(slug="heel-raises")
    url = reverse("admin:workouts_exercise_delete", args=[heel.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "cannot be deleted" in page.text
    assert "Retire “Heel raises” instead" in page.text

    refused = client.post(url, {"post": "yes"})
    assert refused.status_code == 200
    assert Exercise.objects.filter(pk=heel.pk).exists()

    retired = client.post(reverse("admin:workouts_exercise_retire", args=[heel.pk]), follow=True)
    assert "is retired" in retired.text
    heel.refresh_from_db()
    assert heel.active is False


def test_bulk_delete_of_used_exercises_is_refused_with_a_message(client, sam):
    client.force_login(sam)
    heel = Exercise.objects.get(slug="heel-raises")
    response = client.post(
        reverse("admin:workouts_exercise_changelist"),
        {"action": "delete_selected", "_selected_action": [str(heel.pk)], "post": "yes"},
    )
    assert response.status_code == 200
    assert "cannot be deleted" in response.text
    assert Exercise.objects.filter(pk=heel.pk).exists()


def test_retire_only_answers_post(client, sam):
    client.force_login(sam)
    heel = Exercise.objects.get(slug="heel-raises")
    client.get(reverse("admin:workouts_exercise_retire", args=[heel.pk]))
    heel.refresh_from_db()
    assert heel.active is True


def test_editor_can_search_and_filter_exercises(client, sam):
    client.force_login(sam)
    url = reverse("admin:workouts_exercise_changelist")
    found = client.get(url, {"q": "balance"})
    assert "Single-leg balance" in found.text
    assert "Heel walks" not in found.text
    per_side = client.get(url, {"per_side__exact": "0"})
    assert "Heel walks" in per_side.text
    assert "Single-leg balance" not in per_side.text


def test_routine_admin_lists_circuits_inline(client, sam):
    client.force_login(sam)
    routine = Routine.objects.get(slug="dynamic-feet-ankles")
    page = client.get(reverse("admin:workouts_routine_change", args=[routine.pk]))
    assert page.status_code == 200
    assert "Med-ball power" in page.text
