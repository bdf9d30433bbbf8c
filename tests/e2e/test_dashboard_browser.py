"""An athlete with months of history opens the dashboard on a phone and reads it."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory
from workouts import weeks
from workouts.history import build_history, local_moment, log_past_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_dashboard_reads_at_a_glance_on_a_phone(phone):
    athlete = UserFactory(username="maya", weekly_target=2, time_zone="Europe/London")
    athlete.set_password(PASSWORD)
    athlete.save()
    today = weeks.today(athlete.zone)
    build_history(athlete, weeks_back=20, per_week=2, today=today)
    log_past_session(
        athlete,
        "ankle-stability",
        local_moment(athlete, today, hour=0),
        values={"single-leg-balance": (8, 20)},  # a bad day on the left
    )

    page = phone
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    this_week = page.get_by_role("region", name="This week")
    expect(this_week).to_contain_text("1 of 2 sessions done")
    consistency = page.get_by_role("region", name="Consistency")
    expect(consistency.get_by_text("Streak", exact=True)).to_be_visible()
    expect(consistency).to_contain_text(re.compile(r"Streak\s*20 weeks"))
    sides = page.get_by_role("region", name="Left and right")
    expect(sides).to_contain_text(re.compile(r"Single-leg balance: The left leg is weaker"))

    # Readable at phone width: nothing scrolls sideways, the charts fit the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for name in ("Sessions per week, last 12 weeks", "Sets logged per day, last six months"):
        chart = page.get_by_role("img", name=name)
        box = chart.bounding_box()
        assert box is not None and box["width"] <= 390

    # Change the target from the dashboard: this week is judged on it at once.
    page.get_by_text("Change the weekly target").click()
    page.get_by_label("Weekly target").select_option("1")
    page.get_by_role("button", name="Save target").click()
    expect(page.get_by_role("region", name="This week")).to_contain_text("1 of 1 session done")
    expect(page.get_by_text("Target met.")).to_be_visible()

    page.get_by_role("link", name="Single-leg balance").first.click()
    expect(page.get_by_role("heading", name="Single-leg balance", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"The left leg is weaker: \d+% behind"))).to_be_visible()
