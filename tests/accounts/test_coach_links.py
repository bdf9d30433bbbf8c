"""Linking a coach with the athlete's consent; revoking and removing take effect at once."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import CoachLink
from tests.accounts.test_markup import field_error
from tests.factories import CoachFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(bob):
    return services.invite_code_for(bob)


def test_a_coach_has_a_readable_code_and_link(client: Client, bob, code):
    client.force_login(bob)
    page = client.get(reverse("coach_invite")).text
    assert code in page
    assert reverse("coach_join", args=[code]) in page
    assert len(code) == 8 and not set(code) & set("0O1IL")


def test_the_code_is_made_by_a_button_not_by_visiting_the_page(client: Client, bob):
    client.force_login(bob)
    assert "Make my invite code" in client.get(reverse("coach_invite")).text
    bob.refresh_from_db()
    assert bob.invite_code is None
    client.post(reverse("coach_invite"))
    bob.refresh_from_db()
    assert bob.invite_code and bob.invite_code in client.get(reverse("coach_invite")).text


def test_only_coaches_have_an_invite_page(client: Client, alice):
    client.force_login(alice)
    assert client.get(reverse("coach_invite")).status_code == 404


def test_entering_the_code_asks_before_linking(client: Client, alice, bob, code):
    client.force_login(alice)
    response = client.post(reverse("coaches"), {"code": code.lower()})
    assert response.status_code == 302
    confirm = client.get(response["Location"]).text
    assert "Let Bob see your training?" in confirm
    assert not CoachLink.objects.exists()  # nothing until the athlete confirms

    response = client.post(reverse("coach_join", args=[code]), follow=True)
    assert "Bob can now see your sessions and progress." in response.text
    assert CoachLink.objects.filter(coach=bob, athlete=alice).exists()
    assert "Remove access" in response.text


def test_the_invite_link_logs_in_first_then_confirms(client: Client, alice, code):
    url = reverse("coach_join", args=[code])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(alice)
    assert "Yes, link to Bob" in client.get(url).text


def test_an_unknown_code_is_refused_next_to_the_field(client: Client, alice):
    client.force_login(alice)
    response = client.post(reverse("coaches"), {"code": "NOPE2345"})
    assert response.status_code == 422
    assert field_error(response, "code") == "No coach has that code. Check it with your coach."


def test_an_athlete_code_is_no_coach_code(client: Client, alice, charlie):
    charlie.invite_code = "ATHLETE2"
    charlie.save()
    client.force_login(alice)
    response = client.post(reverse("coaches"), {"code": "ATHLETE2"})
    assert field_error(response, "code") == "No coach has that code. Check it with your coach."


def test_linking_twice_is_refused_with_a_message(client: Client, alice, code):
    client.force_login(alice)
    client.post(reverse("coach_join", args=[code]))
    response = client.post(reverse("coach_join", args=[code]), follow=True)
    assert "Bob is already your coach." in response.text
    assert CoachLink.objects.count() == 1


def test_a_coach_cannot_link_to_themselves(client: Client, bob, code):
    client.force_login(bob)
    response = client.post(reverse("coach_join", args=[code]), follow=True)
    assert "That is your own code" in response.text
    assert not CoachLink.objects.exists()


def test_a_coach_who_trains_can_have_a_coach(client: Client, bob, code):
    dana = CoachFactory(username="dana", first_name="Dana")
    client.force_login(dana)
    client.post(reverse("coach_join", args=[code]))
    assert CoachLink.objects.filter(coach=bob, athlete=dana).exists()


def test_an_athlete_may_have_several_coaches(client: Client, alice, code):
    dana = CoachFactory(username="dana", first_name="Dana")
    client.force_login(alice)
    client.post(reverse("coach_join", args=[code]))
    client.post(reverse("coach_join", args=[services.invite_code_for(dana)]))
    assert alice.coach_links.count() == 2


def test_revoking_takes_access_away_at_once(client: Client, alice, bob):
    CoachLink.objects.create(coach=bob, athlete=alice)
    coach = Client()
    coach.force_login(bob)
    assert coach.get(reverse("workouts:coach_athlete", args=[alice.pk])).status_code == 200
    client.force_login(alice)
    response = client.post(reverse("coach_revoke", args=[bob.pk]), follow=True)
    assert "Bob can no longer see your data." in response.text
    assert coach.get(reverse("workouts:coach_athlete", args=[alice.pk])).status_code == 404


def test_revoking_a_stranger_is_404(client: Client, alice, bob):
    client.force_login(alice)
    assert client.post(reverse("coach_revoke", args=[bob.pk])).status_code == 404


def test_a_coach_removes_an_athlete_from_the_roster(client: Client, alice, bob):
    CoachLink.objects.create(coach=bob, athlete=alice)
    client.force_login(bob)
    response = client.post(reverse("workouts:coach_remove", args=[alice.pk]), follow=True)
    assert "Alice is off your roster." in response.text
    assert not CoachLink.objects.exists()
    assert client.get(reverse("workouts:coach_athlete", args=[alice.pk])).status_code == 404


def test_a_new_code_stops_the_old_one_but_keeps_athletes(client: Client, alice, bob, code):
    CoachLink.objects.create(coach=bob, athlete=alice)
    client.force_login(bob)
    client.post(reverse("coach_invite"))
    bob.refresh_from_db()
    assert bob.invite_code != code
    assert CoachLink.objects.filter(coach=bob, athlete=alice).exists()
    with pytest.raises(services.LinkRefused):
        services.coach_for_code(code)


def test_the_invite_page_shows_the_code_once(client: Client, bob, code):
    client.force_login(bob)
    page = client.get(reverse("coach_invite")).text
    assert page.count(code) == 3  # the code, and the link's href and text
    assert page.count("<p>Your code</p>") == 1
    assert page.count("Make a new code") == 1
