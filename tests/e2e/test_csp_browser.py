"""Walking the main pages breaks no rule of the Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import CoachLink
from tests.factories import PASSWORD, CoachFactory, UserFactory
from workouts import weeks
from workouts.history import build_history

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_no_page_trips_the_content_security_policy(phone, live_server):
    athlete = UserFactory(username="ines", weekly_target=2)
    coach = CoachFactory(username="olga")
    CoachLink.objects.create(coach=coach, athlete=athlete)
    build_history(athlete, weeks_back=3, per_week=2, today=weeks.today(athlete.zone))
    session = athlete.workout_sessions.first()

    page = phone
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/routines/")
    page.goto("/accounts/signup/")
    _sign_in(page, "ines")
    for path in (
        "/",
        "/progress/",
        "/progress/single-leg-balance/",
        "/history/",
        f"/sessions/{session.pk}/",
        "/accounts/profile/",
        "/accounts/coaches/",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/")
    page.get_by_role("button", name=re.compile("Start Ankle stability")).click()
    expect(page.get_by_role("button", name="Start hold timer").first).to_be_visible()
    page.get_by_role("button", name="Log set").first.click()
    expect(page.locator(".logged").first).to_be_visible()

    context = page.context.browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url
    )
    coach_page = context.new_page()
    coach_page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    _sign_in(coach_page, "olga")
    for path in ("/coach/?show=all", f"/coach/athletes/{athlete.pk}/", "/accounts/invite/"):
        coach_page.goto(path)
        expect(coach_page.get_by_role("heading", level=1)).to_be_visible()
    context.close()
    assert violations == []
