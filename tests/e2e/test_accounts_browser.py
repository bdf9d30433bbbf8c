"""A runner in Tokyo signs up on a 360 px phone; the time zone fills itself in."""

import pytest

from accounts.models import User
from tests.conftest import new_phone
from tests.factories import PASSWORD, EquipmentFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def tokyo_phone(chromium, live_server):
    page = new_phone(chromium, live_server.url, width=360, height=740, timezone_id="Asia/Tokyo")
    yield page
    page.context.close()


def test_sign_up_on_a_phone_picks_the_phones_time_zone(tokyo_phone):
    page = tokyo_phone
    page.goto("/accounts/signup/")
    assert page.get_by_label("Time zone").input_value() == "Asia/Tokyo"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_label("Username").fill("kenji")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_label("A coach").check()
    button = page.get_by_role("button", name="Sign up")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_url(lambda url: "/accounts/signup/" not in url)

    user = User.objects.get(username="kenji")
    assert user.time_zone == "Asia/Tokyo"
    assert user.is_coach


def test_a_zone_the_person_picked_is_not_replaced(tokyo_phone):
    page = tokyo_phone
    page.goto("/accounts/signup/")
    page.get_by_label("Time zone").select_option("Europe/Lisbon")
    page.get_by_label("Username").fill("kenji")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill("a different one")
    page.get_by_role("button", name="Sign up").click()
    assert page.get_by_text("The two passwords are different.").is_visible()
    assert page.get_by_label("Time zone").input_value() == "Europe/Lisbon"


def test_the_profile_offers_the_phones_time_zone(tokyo_phone):
    UserFactory(username="aiko")
    EquipmentFactory(name="Resistance band", slug="resistance-band")
    page = tokyo_phone
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("aiko")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/accounts/profile/")
    assert page.get_by_label("Time zone").input_value() == "UTC"

    page.get_by_role("button", name="Use this device's time zone (Asia/Tokyo)").click()
    assert page.get_by_label("Time zone").input_value() == "Asia/Tokyo"
    page.get_by_label("Resistance band").check()
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_text("Your profile is saved.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    user = User.objects.get(username="aiko")
    assert user.time_zone == "Asia/Tokyo"
    assert list(user.equipment.values_list("name", flat=True)) == ["Resistance band"]
