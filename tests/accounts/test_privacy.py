"""An athlete takes all their data with them, or deletes it all."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import CoachLink, User
from tests.accounts.test_markup import field_error
from tests.factories import PASSWORD
from workouts import services
from workouts.history import log_past_session
from workouts.models import ExcusedWeek, WorkoutSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(alice, bob, charlie):
    """Alice trains, Bob coaches her and comments, Alice replies; Charlie trains too, and his
    data must survive Alice's deletion untouched."""
    CoachLink.objects.create(coach=bob, athlete=alice)
    session = log_past_session(alice, "ankle-stability", timezone.now() - timedelta(days=2))
    services.comment_add(session=session, author=bob, body="Good work.")
    services.comment_add(session=session, author=alice, body="Thanks!")
    services.weekly_target_set(athlete=alice, target=3, by=bob)
    ExcusedWeek.objects.create(
        athlete=alice,
        week_start=session.local_date - timedelta(days=7 + session.local_date.weekday()),
        reason="holiday",
    )
    log_past_session(charlie, "ankle-stability", timezone.now() - timedelta(days=1))
    return session


def test_the_json_download_holds_every_set_and_comment(client: Client, alice, history):
    client.force_login(alice)
    response = client.get(reverse("data_download"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["username"] == "alice"
    assert data["coaches"] == ["bob"]
    (session,) = data["sessions"]
    assert len(session["sets"]) == 8
    assert {s["exercise"] for s in session["sets"]} >= {"Heel raises", "Single-leg balance"}
    assert [c["body"] for c in data["comments_received"]] == ["Good work."]
    assert [c["body"] for c in data["comments_written"]] == ["Thanks!"]
    assert data["weekly_targets"][-1]["target"] == 3


def test_a_wrong_password_deletes_nothing(client: Client, alice, history):
    client.force_login(alice)
    response = client.post(reverse("account_delete"), {"password": "nope"})
    assert response.status_code == 422
    assert field_error(response, "password") == "That is not your password."
    assert User.objects.filter(pk=alice.pk).exists()


def test_deleting_the_account_leaves_nothing_that_points_at_it(client: Client, alice, bob, history):
    alice_pk = alice.pk
    coach = Client()
    coach.force_login(bob)
    client.force_login(alice)
    response = client.post(reverse("account_delete"), {"password": PASSWORD}, follow=True)
    assert "Your account and all its data are deleted." in response.text
    assert not User.objects.filter(pk=alice_pk).exists()

    # Walk every model of the project and every foreign key to the user: nothing left.
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.ManyToManyField) and (
                field.related_model is User
            ):
                if isinstance(field, models.ManyToManyField):
                    continue  # through tables are models too and are walked themselves
                leftovers = model.objects.filter(**{field.attname: alice_pk})
                assert not leftovers.exists(), f"{model.__name__}.{field.name} still points at her"
    assert not WorkoutSession.objects.filter(athlete_id=alice_pk).exists()
    # Charlie's data is untouched, Bob keeps his account, and the roster forgets her at once.
    assert WorkoutSession.objects.filter(athlete__username="charlie").count() == 1
    assert coach.get(reverse("workouts:coach_athlete", args=[alice_pk])).status_code == 404
    # The browser is signed out.
    assert client.get(reverse("profile")).status_code == 302


def test_deleting_needs_a_post(client: Client, alice):
    client.force_login(alice)
    assert client.get(reverse("account_delete")).status_code == 200
    assert User.objects.filter(pk=alice.pk).exists()
