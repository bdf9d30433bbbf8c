"""Logging in and out."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.test_markup import Page, field_error, form_errors
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
PROFILE = reverse("profile")


def test_the_login_page_links_to_sign_up_and_password_reset(client: Client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="{reverse("signup")}">Sign up</a>' in html
    assert f'<a href="{reverse("password_reset")}">Forgot your password?</a>' in html


def test_the_right_password_signs_in_and_goes_home(client: Client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_after_login_the_page_asked_for_opens(client: Client, alice):
    response = client.get(PROFILE)
    assert response["Location"] == f"{LOGIN}?next={PROFILE}"
    response = client.post(
        f"{LOGIN}?next={PROFILE}", {"username": "alice", "password": PASSWORD, "next": PROFILE}
    )
    assert response["Location"] == PROFILE


def test_a_link_to_another_site_is_not_followed_after_login(client: Client, alice):
    response = client.post(
        LOGIN, {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_the_wrong_password_says_so_and_signs_nobody_in(client: Client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": "not-my-password"})
    assert response.status_code == 200
    assert form_errors(response) == (
        "That username and password do not match an account. Check both; capital letters count."
    )
    assert "_auth_user_id" not in client.session
    # The username is kept so only the password needs typing again.
    assert 'value="alice"' in response.content.decode()


def test_an_empty_password_is_flagged_next_to_the_password(client: Client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": ""})
    assert response.status_code == 200
    assert field_error(response, "password") == "This field is required."


def test_a_signed_in_person_visiting_login_is_sent_home(client: Client, alice):
    client.force_login(alice)
    assert client.get(LOGIN)["Location"] == reverse("home")


def test_logout_needs_a_post(client: Client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_after_logging_out_the_profile_asks_for_login_again(client: Client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert client.get(PROFILE)["Location"] == f"{LOGIN}?next={PROFILE}"


def test_the_login_form_keeps_its_labels(client: Client):
    page = Page(client.get(LOGIN).content.decode())
    names = {c["name"] for c in page.visible_controls()}
    assert names == {"username", "password"}


def test_an_expired_login_sends_htmx_back_to_the_login_page_whole(client: Client):
    """htmx would otherwise swap the login form into the set row being edited."""
    edit = reverse("workouts:set_update", args=[5, 9])
    response = client.post(
        edit,
        {"reps": 10},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/sessions/5/?x=1"},
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == f"{LOGIN}?next=/sessions/5/%3Fx%3D1"
    assert response.content == b""


def test_an_expired_login_never_sends_htmx_to_another_site_afterwards(client: Client):
    edit = reverse("workouts:set_update", args=[5, 9])
    response = client.post(
        edit,
        {"reps": 10},
        headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/phish"},
    )
    assert response["HX-Redirect"] == f"{LOGIN}?next={edit}"


def test_a_plain_request_with_an_expired_login_is_still_redirected(client: Client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={PROFILE}"
