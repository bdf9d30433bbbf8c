"""Password guessing is slowed down without letting anyone lock a real athlete out."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ATTACKER = "203.0.113.9"
HOME_WIFI = "198.51.100.4"


def attempt(client: Client, username: str, password: str, ip: str):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_that_username_from_that_address(client: Client, alice):
    for _ in range(4):
        assert attempt(client, "alice", "guess", ATTACKER).status_code == 200
    assert attempt(client, "alice", "guess", ATTACKER).status_code == 429  # the fifth
    locked = attempt(client, "alice", PASSWORD, ATTACKER)  # even the right one, for now
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.text
    assert "reset your password" in locked.text
    assert "_auth_user_id" not in client.session


def test_the_real_athlete_elsewhere_still_signs_in(client: Client, alice):
    for _ in range(6):
        attempt(client, "alice", "guess", ATTACKER)
    athlete = Client()
    response = attempt(athlete, "alice", PASSWORD, HOME_WIFI)
    assert response.status_code == 302
    assert athlete.session["_auth_user_id"] == str(alice.pk)


def test_a_success_before_the_limit_starts_the_count_again(client: Client, alice):
    for _ in range(4):
        attempt(client, "alice", "guess", HOME_WIFI)
    assert attempt(client, "alice", PASSWORD, HOME_WIFI).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, "alice", "guess", HOME_WIFI)
    assert attempt(client, "alice", PASSWORD, HOME_WIFI).status_code == 302


def test_signing_in_rotates_the_session_and_logging_out_ends_it(client: Client, alice):
    client.get(LOGIN)
    before = client.session.session_key
    attempt(client, "alice", PASSWORD, HOME_WIFI)
    signed_in = client.session.session_key
    assert signed_in != before
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=signed_in).exists()
