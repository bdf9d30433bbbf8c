"""Changing a password, and resetting a forgotten one by email."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.test_markup import field_error, reset_url
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lateral-hops-on-floor-tape"


def logs_in(username: str, password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


# Changing a password


def test_changing_a_password_needs_login(client: Client):
    url = reverse("password_change")
    assert client.get(url)["Location"] == f"{reverse('login')}?next={url}"


def test_the_profile_links_to_change_password(client: Client, alice):
    client.force_login(alice)
    html = client.get(reverse("profile")).content.decode()
    assert f'href="{reverse("password_change")}">Change password</a>' in html


def test_a_new_password_works_and_the_old_one_stops(client: Client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    assert "Password changed" in client.get(response["Location"]).content.decode()
    # Still signed in here; the old password no longer works anywhere.
    assert client.get(reverse("profile")).status_code == 200
    assert logs_in("alice", NEW_PASSWORD)
    assert not logs_in("alice", PASSWORD)


def test_the_wrong_current_password_is_flagged_next_to_it(client: Client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert field_error(response, "old_password") == (
        "That is not your current password. Please try again."
    )
    assert logs_in("alice", PASSWORD)


def test_a_common_new_password_is_flagged_next_to_the_new_password(client: Client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    )
    assert response.status_code == 200
    assert field_error(response, "new_password1") == "This password is too common."
    assert logs_in("alice", PASSWORD)


# Resetting a forgotten password


def test_a_reset_email_leads_to_a_new_password(client: Client, alice, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "Alice@Example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert "Check your email" in client.get(response["Location"]).content.decode()

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["alice@example.com"]
    assert email.subject == "Choose a new Footing password"
    assert "Hello Alice," in email.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", email.body).group(1)

    # The link swaps its token for a session, then shows the form.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    assert "Choose a new password" in client.get(form_url).content.decode()

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("password_reset_complete")
    assert "Password saved" in client.get(response["Location"]).content.decode()
    assert logs_in("alice", NEW_PASSWORD)
    assert not logs_in("alice", PASSWORD)

    # A used link is dead.
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_an_unknown_email_sends_nothing_and_reveals_nothing(client: Client, alice, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_the_reset_email_is_in_our_words(client: Client, alice, mailoutbox):
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    body = mailoutbox[0].body
    assert "If you did not ask for this, ignore this email" in body
    assert "Your username, in case you forgot it too: alice" in body
    assert "&#x27;" not in body and "&amp;" not in body


def test_a_tampered_reset_link_is_refused(client: Client, alice):
    link = reset_url(alice).replace("/reset/", "/reset/x")
    response = client.get(link, follow=True)
    assert "This link no longer works" in response.content.decode()
    assert f'href="{reverse("password_reset")}"' in response.content.decode()


def test_different_new_passwords_are_flagged_on_the_second_box(client: Client, alice):
    form_url = client.get(reset_url(alice))["Location"]
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "!"}
    )
    assert response.status_code == 200
    assert field_error(response, "new_password2") == "The two new passwords are different."
    assert logs_in("alice", PASSWORD)
