"""Generated inputs at the forms athletes and coaches post: never a 5xx, every
refusal says why, and nothing already stored changes."""

import os
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import CoachLink, User
from tests.factories import UserFactory, start_session
from workouts import services
from workouts.models import SetLog
from workouts.services import SetValues

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# Examples per test: modest by default to keep `make test` quick; FUZZ_EXAMPLES=2000 for a
# thorough run before a release.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))


def fuzz(share: float = 1.0):
    return settings(
        max_examples=max(20, int(EXAMPLES * share)),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=40),
    st.sampled_from(["", " ", "1e9", "0x10", "٣", "½", "NaN", "-0", "20 ", "9" * 400]),
)
field_values = st.one_of(numbers, st.text(max_size=3000), st.none())


def _stored(athlete) -> list[tuple]:
    return list(
        SetLog.objects.filter(session__athlete=athlete)
        .order_by("pk")
        .values_list("pk", "value", "left", "right", "load_kg", "rpe", "pain", "note", "variation")
    )


@pytest.fixture
def logged(db):
    """Alice mid-session with one set logged; Charlie has a session of his own."""
    alice = UserFactory(username="alice")
    charlie = UserFactory(username="charlie")
    session = start_session(alice)
    heel = session.session_exercises.get(exercise__slug="heel-raises")
    services.set_log_create(
        session=session,
        session_exercise=heel,
        round_number=1,
        values=SetValues(value=20),
        client_id=uuid.uuid4(),
    )
    return alice, charlie, session, start_session(charlie)


@fuzz(2)
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            name: field_values
            for name in (
                "value",
                "left",
                "right",
                "load",
                "rpe",
                "pain",
                "note",
                "variation",
                "round",
                "client_id",
                "performed_at",
            )
        },
    ),
    exercise_choice=st.sampled_from(["own", "foreign", "missing", "junk"]),
    htmx=st.booleans(),
)
def test_the_set_endpoint_refuses_garbage_with_a_message_and_keeps_what_is_stored(
    logged, data, exercise_choice, htmx
):
    alice, _charlie, session, foreign = logged
    exercise = {
        "own": session.session_exercises.get(exercise__slug="single-leg-balance").pk,
        "foreign": foreign.session_exercises.first().pk,
        "missing": None,
        "junk": "'; DROP TABLE workouts_setlog; --",
    }[exercise_choice]
    post = {k: v for k, v in data.items() if v is not None}
    if exercise is not None:
        post["session_exercise"] = exercise
    before = _stored(alice)
    client = Client()
    client.force_login(alice)
    response = client.post(
        reverse("workouts:set_create", args=[session.pk]), post, **(HTMX if htmx else {})
    )
    assert response.status_code < 500
    if response.status_code in (409, 422):
        assert 'class="errorlist' in response.text or "errorlist" in response.text
    if response.status_code == 404:
        assert exercise_choice != "own" or "session_exercise" not in post
    after = _stored(alice)
    assert after[: len(before)] == before  # nothing stored before changes
    assert len(after) - len(before) in (0, 1)


@fuzz(0.5)
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "display_name": st.text(max_size=300),
            "time_zone": st.one_of(st.text(max_size=80), st.sampled_from(["Europe/Paris", "UTC"])),
            "weight_unit": st.one_of(st.text(max_size=5), st.sampled_from(["kg", "lb"])),
            "weekly_target": numbers,
            "equipment": st.lists(numbers, max_size=4),
        },
    )
)
def test_the_profile_form_never_breaks_and_never_half_saves(logged, data):
    alice = logged[0]
    before = User.objects.values("display_name", "time_zone", "weight_unit", "weekly_target").get(
        pk=alice.pk
    )
    client = Client()
    client.force_login(alice)
    response = client.post(reverse("profile"), data)
    assert response.status_code < 500
    after = User.objects.values("display_name", "time_zone", "weight_unit", "weekly_target").get(
        pk=alice.pk
    )
    if response.status_code == 200:  # refused: the page comes back with its messages
        assert "errorlist" in response.text
        assert after == before


@fuzz()
@given(code=st.one_of(st.text(max_size=200), numbers))
def test_the_coach_code_box_never_breaks_and_links_nobody_by_accident(logged, code):
    alice = logged[0]
    client = Client()
    client.force_login(alice)
    response = client.post(reverse("coaches"), {"code": code})
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert "errorlist" in response.text
    assert not CoachLink.objects.filter(athlete=alice).exists()
