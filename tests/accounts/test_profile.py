"""The profile page: time zone, units, weekly target and equipment."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_markup import Page, field_error
from workouts.models import Equipment

pytestmark = pytest.mark.django_db

PROFILE = reverse("profile")


def equipment_pk(slug: str) -> int:
    return Equipment.objects.get(slug=slug).pk


def profile_data(**overrides) -> dict:
    return {
        "display_name": "Al",
        "time_zone": "America/Los_Angeles",
        "weight_unit": "lb",
        "weekly_target": "3",
        "equipment": [equipment_pk("step"), equipment_pk("towel")],
        **overrides,
    }


def test_the_profile_needs_login(client: Client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PROFILE}"
    assert client.post(PROFILE, profile_data())["Location"].startswith("/accounts/login/")


def test_the_profile_shows_the_current_settings(client: Client, alice):
    alice.time_zone = "Asia/Tokyo"
    alice.weekly_target = 4
    alice.save(update_fields=["time_zone", "weekly_target"])
    alice.equipment.add(Equipment.objects.get(slug="bosu-ball"))
    client.force_login(alice)

    response = client.get(PROFILE)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="Asia/Tokyo" selected>Asia/Tokyo</option>' in html
    page = Page(html)
    by_name = {c["name"]: c for c in page.controls if c.get("name") != "weight_unit"}
    units = {c["value"]: c for c in page.controls if c.get("name") == "weight_unit"}
    assert "checked" in units["kg"]
    assert "checked" not in units["lb"]
    assert by_name["weekly_target"]["value"] == "4"
    checked = {c["value"] for c in page.controls if c.get("name") == "equipment" and "checked" in c}
    assert checked == {str(equipment_pk("bosu-ball"))}


def test_every_piece_of_equipment_is_a_labelled_checkbox(client: Client, alice):
    client.force_login(alice)
    html = client.get(PROFILE).content.decode()
    for item in Equipment.objects.all():
        assert f'value="{item.pk}"' in html
        assert f"> {item.name}</label>" in html


def test_the_weekly_target_explains_what_empty_means(client: Client, alice):
    client.force_login(alice)
    page = Page(client.get(PROFILE).content.decode())
    assert "Leave it empty and we use the sessions a week suggested by the routine you do most" in (
        page.text("id_weekly_target_helptext")
    )


def test_saving_changes_every_setting_and_says_so(client: Client, alice):
    client.force_login(alice)
    response = client.post(PROFILE, profile_data())
    assert response.status_code == 302
    assert response["Location"] == PROFILE

    alice.refresh_from_db()
    assert alice.display_name == "Al"
    assert alice.time_zone == "America/Los_Angeles"
    assert alice.weight_unit == User.WeightUnit.LB
    assert alice.weekly_target == 3
    assert set(alice.equipment.values_list("slug", flat=True)) == {"step", "towel"}

    page = client.get(PROFILE).content.decode()
    assert "Your profile is saved." in page
    assert '<option value="America/Los_Angeles" selected>' in page
    # The message shows once, not on every later visit.
    assert "Your profile is saved." not in client.get(PROFILE).content.decode()


def test_an_empty_target_means_automatic(client: Client, alice):
    alice.weekly_target = 5
    alice.save(update_fields=["weekly_target"])
    client.force_login(alice)
    response = client.post(PROFILE, profile_data(weekly_target=""))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.weekly_target is None


def test_unticking_everything_leaves_no_equipment(client: Client, alice):
    alice.equipment.set(Equipment.objects.all())
    client.force_login(alice)
    data = profile_data()
    del data["equipment"]
    assert client.post(PROFILE, data).status_code == 302
    assert not alice.equipment.exists()


@pytest.mark.parametrize("target", ["0", "8", "-1", "two"])
def test_a_target_outside_1_to_7_is_refused_and_nothing_changes(client: Client, alice, target):
    client.force_login(alice)
    response = client.post(PROFILE, profile_data(weekly_target=target))
    assert response.status_code == 200
    assert field_error(response, "weekly_target") == (
        "Choose a number from 1 to 7, or leave it empty."
    )
    alice.refresh_from_db()
    assert alice.time_zone == "UTC"
    assert alice.weight_unit == User.WeightUnit.KG
    assert alice.weekly_target is None
    assert not alice.equipment.exists()
    # The page shows what was typed, to correct it, and the unsaved name is not shown as saved.
    assert f'value="{target}"' in response.content.decode()
    assert "Your profile is saved." not in response.content.decode()


def test_an_unknown_time_zone_is_refused_next_to_it(client: Client, alice):
    client.force_login(alice)
    response = client.post(PROFILE, profile_data(time_zone="Atlantis/Capital"))
    assert response.status_code == 200
    assert field_error(response, "time_zone") == "Pick a time zone from the list."
    alice.refresh_from_db()
    assert alice.time_zone == "UTC"


def test_an_unknown_unit_is_refused_next_to_it(client: Client, alice):
    client.force_login(alice)
    response = client.post(PROFILE, profile_data(weight_unit="stone"))
    assert response.status_code == 200
    assert "stone is not one of the available choices" in field_error(response, "weight_unit")
    alice.refresh_from_db()
    assert alice.weight_unit == User.WeightUnit.KG


def test_unknown_equipment_is_refused_next_to_it(client: Client, alice):
    client.force_login(alice)
    response = client.post(PROFILE, profile_data(equipment=[999_999]))
    assert response.status_code == 200
    assert "999999 is not one of the available choices" in field_error(response, "equipment")


def test_a_zone_set_outside_the_list_stays_selected(client: Client, alice):
    # The admin accepts any zone the tz database knows, including old aliases.
    User.objects.filter(pk=alice.pk).update(time_zone="Etc/GMT-14")
    client.force_login(alice)
    html = client.get(PROFILE).content.decode()
    assert '<option value="Etc/GMT-14" selected>' in html


def user_updates(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "accounts_user"')]


def test_saving_writes_only_what_changed(client: Client, alice):
    client.force_login(alice)
    client.post(PROFILE, profile_data())
    with CaptureQueriesContext(connection) as queries:
        assert client.post(PROFILE, profile_data(weekly_target="4")).status_code == 302
    (update,) = user_updates(queries)
    assert '"weekly_target"' in update
    assert '"time_zone"' not in update
    assert '"first_name"' not in update
    assert '"password"' not in update

    with CaptureQueriesContext(connection) as queries:
        assert client.post(PROFILE, profile_data(weekly_target="4")).status_code == 302
    assert user_updates(queries) == []


def test_a_coach_has_a_profile_too(client: Client, bob):
    client.force_login(bob)
    response = client.post(PROFILE, profile_data(equipment=[]))
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.time_zone == "America/Los_Angeles"
    assert bob.is_coach


def test_the_profile_page_reads_a_fixed_number_of_rows(
    client: Client, alice, django_assert_max_num_queries
):
    alice.equipment.set(Equipment.objects.all())
    client.force_login(alice)
    with django_assert_max_num_queries(6):
        assert client.get(PROFILE).status_code == 200


def test_saving_without_the_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(PROFILE, profile_data())
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.time_zone == "UTC"


def test_the_profile_answers_only_get_and_post(client: Client, alice):
    client.force_login(alice)
    assert client.put(PROFILE).status_code == 405
    assert client.delete(PROFILE).status_code == 405
