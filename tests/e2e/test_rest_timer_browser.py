"""Between rounds a runner rests as long as the circuit says, and the screen stays on."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory
from workouts import catalogue
from workouts.models import Circuit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Counts the page's requests to keep the screen on; the real Wake Lock API still answers.
COUNT_WAKE_LOCKS = """
if (navigator.wakeLock) {
  const request = navigator.wakeLock.request.bind(navigator.wakeLock);
  window.wakeLocksTaken = 0;
  navigator.wakeLock.request = async (type) => {
    const sentinel = await request(type);
    window.wakeLocksTaken += 1;
    return sentinel;
  };
}
"""


def _log(page, name, round_number):
    row = page.locator(".set-row", has=page.get_by_role("heading", name=name, exact=True))
    row.nth(round_number - 1).get_by_role("button", name="Log set").click()


def test_rest_timer_between_rounds_with_the_circuits_rest_time(phone):
    dynamic = Circuit.objects.filter(routine__slug="dynamic-feet-ankles")
    dynamic.filter(order=1).update(rest_seconds=3)  # as staff set it in the admin
    dynamic.filter(order=2).update(rest_seconds=0)  # no rest timer for this circuit
    catalogue.changed()  # update() sends no signal
    UserFactory(username="rest")
    page = phone
    page.add_init_script(COUNT_WAKE_LOCKS)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("rest")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Start Dynamic feet and ankles").click()
    expect(page.get_by_role("heading", name="Dynamic feet and ankles", level=1)).to_be_visible()
    assert page.evaluate("window.wakeLocksTaken") == 1

    # One set of round 1 logged: no rest yet. The last one: rest, then round 2.
    _log(page, "Pogo jumps", 1)
    expect(page.get_by_role("region", name="Rest before round 2")).to_be_hidden()
    _log(page, "Lateral single-leg jumps", 1)
    rest = page.get_by_role("region", name="Rest before round 2")
    expect(rest).to_be_visible()
    expect(rest.get_by_role("status")).to_have_text("Circuit 1: rest 0:03, then round 2.")
    expect(rest.get_by_role("timer")).to_have_text(re.compile(r"^0:0[1-3]$"))
    expect(rest.get_by_role("status")).to_have_text("Rest over. Time for round 2.")
    expect(rest.get_by_role("timer")).to_have_text("0:00")
    assert rest.get_by_role("button", name="Close").bounding_box()["height"] >= 44
    rest.get_by_role("button", name="Close").click()
    expect(rest).to_be_hidden()

    # Round 2 done: rest before the optional third round, skipped.
    _log(page, "Pogo jumps", 2)
    _log(page, "Lateral single-leg jumps", 2)
    rest = page.get_by_role("region", name="Rest before round 3")
    expect(rest).to_be_visible()
    rest.get_by_role("button", name="Skip rest").click()
    expect(rest).to_be_hidden()

    # The second circuit has no rest time: no timer after its round.
    _log(page, "Sideways single-leg edge-of-step balance", 1)
    _log(page, "Sideways single-leg edge-of-step balance with high-knee drivers", 1)
    expect(
        page.locator(".set-row.is-logged", has_text="Sideways single-leg edge-of-step balance")
    ).to_have_count(2)
    expect(page.locator("[data-rest-timer]")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
