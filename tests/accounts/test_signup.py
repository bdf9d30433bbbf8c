"""Signing up: a new athlete or coach is created and signed in, or told what to fix."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_markup import Page, field_error
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("signup")


def signup_data(**overrides) -> dict:
    return {
        "username": "dana",
        "email": "dana@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "athlete",
        "time_zone": "Europe/Paris",
        **overrides,
    }


def test_the_form_starts_as_an_athlete_in_utc(client: Client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    page = Page(response.content.decode())
    athlete = next(c for c in page.controls if c.get("value") == "athlete")
    coach = next(c for c in page.controls if c.get("value") == "coach")
    assert "checked" in athlete
    assert "checked" not in coach
    assert '<option value="UTC" selected>UTC</option>' in response.content.decode()
    assert '<option value="Pacific/Auckland">Pacific/Auckland</option>' in response.content.decode()
    # The device's zone is filled in by script only while the choice is untouched.
    select = next(c for c in page.controls if c.get("name") == "time_zone")
    assert select["data-device-time-zone"] == "fill"


def test_signing_up_creates_an_athlete_and_signs_them_in(client: Client):
    # The athlete radio is ticked from the start, so the browser sends it untouched.
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(username="dana")
    assert user.role == User.Role.ATHLETE
    assert user.time_zone == "Europe/Paris"
    assert user.email == "dana@example.com"
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_coach_can_sign_up_as_a_coach(client: Client):
    response = client.post(SIGNUP, signup_data(role="coach"))
    assert response.status_code == 302
    user = User.objects.get(username="dana")
    assert user.is_coach
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_email_is_optional(client: Client):
    UserFactory(username="erin", email="")
    response = client.post(SIGNUP, signup_data(email=""))
    assert response.status_code == 302
    assert User.objects.get(username="dana").email == ""


def test_a_taken_username_is_refused_next_to_the_username(client: Client, alice):
    response = client.post(SIGNUP, signup_data(username="Alice"))
    assert response.status_code == 200
    assert "already exists" in field_error(response, "username")
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_an_email_in_use_is_refused_whatever_its_capitals(client: Client, alice):
    response = client.post(SIGNUP, signup_data(email="ALICE@Example.com"))
    assert response.status_code == 200
    assert field_error(response, "email") == "Another account already uses this email address."
    assert not User.objects.filter(username="dana").exists()


def test_different_passwords_are_refused_next_to_the_second_one(client: Client):
    response = client.post(SIGNUP, signup_data(password2="correct-horse-battery-stapler"))
    assert response.status_code == 200
    assert field_error(response, "password2") == "The two passwords are different."
    assert not User.objects.exists()


def test_a_common_password_is_refused_next_to_the_password(client: Client):
    response = client.post(SIGNUP, signup_data(password1="password123", password2="password123"))
    assert response.status_code == 200
    assert field_error(response, "password1") == "This password is too common."
    assert not User.objects.exists()


def test_a_password_like_the_username_is_refused(client: Client):
    response = client.post(
        SIGNUP, signup_data(username="runner2024", password1="runner2024", password2="runner2024")
    )
    assert response.status_code == 200
    assert "too similar to the username" in field_error(response, "password1")
    assert not User.objects.exists()


def test_an_unknown_time_zone_is_refused_next_to_the_time_zone(client: Client):
    response = client.post(SIGNUP, signup_data(time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 200
    assert field_error(response, "time_zone") == "Pick a time zone from the list."
    assert not User.objects.exists()


def test_a_made_up_role_is_refused(client: Client):
    response = client.post(SIGNUP, signup_data(role="admin"))
    assert response.status_code == 200
    assert field_error(response, "role") == "Choose athlete or coach."
    assert not User.objects.exists()


def test_what_was_typed_is_kept_when_the_form_comes_back(client: Client):
    response = client.post(SIGNUP, signup_data(password2="nope", role="coach"))
    html = response.content.decode()
    assert 'value="dana"' in html
    assert '<option value="Europe/Paris" selected>Europe/Paris</option>' in html
    assert PASSWORD not in html
    page = Page(html)
    assert "checked" in next(c for c in page.controls if c.get("value") == "coach")
    # The person chose a zone: the script must not replace it.
    select = next(c for c in page.controls if c.get("name") == "time_zone")
    assert "data-device-time-zone" not in select


def test_a_signed_in_person_is_sent_home(client: Client, alice):
    client.force_login(alice)
    assert client.get(SIGNUP)["Location"] == reverse("home")
    response = client.post(SIGNUP, signup_data())
    assert response["Location"] == reverse("home")
    assert not User.objects.filter(username="dana").exists()


def test_signup_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 403
    assert not User.objects.exists()


def test_signup_answers_only_get_and_post(client: Client):
    assert client.put(SIGNUP).status_code == 405
    assert client.delete(SIGNUP).status_code == 405


def test_the_database_keeps_emails_unique_whatever_their_capitals(alice):
    """Two sign-ups racing past the form check still cannot share an address."""
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="twin", email=alice.email.upper())
    UserFactory(username="no-mail-1", email="")
    UserFactory(username="no-mail-2", email="")
    assert User.objects.filter(email="").count() == 2
