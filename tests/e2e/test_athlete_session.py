"""A runner signs up on a phone and does both routines set by set, as a person would."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from workouts.models import SetLog, WorkoutSession

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _row(page, name, round_number=1):
    round_heading = page.get_by_role("heading", name=re.compile(rf"^Round {round_number}\b"))
    assert round_heading.count() >= 1
    return page.locator(".set-row", has=page.get_by_role("heading", name=name, exact=True)).nth(
        round_number - 1
    )


def _sign_up(page, username):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill("tendons-and-calves-42")
    page.get_by_label("Password confirmation").fill("tendons-and-calves-42")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Hi "))).to_be_visible()


def test_sign_up_log_the_stability_routine_and_find_it_in_history(phone):
    page = phone
    _sign_up(page, "runner")
    page.get_by_role("button", name="Start Ankle stability").click()
    expect(page.get_by_role("heading", name="Ankle stability", level=1)).to_be_visible()

    # Heel raises: one tap logs the prescribed 20.
    heel = _row(page, "Heel raises")
    heel.get_by_role("button", name="Log set").click()
    expect(heel.get_by_text("Logged:")).to_be_attached()
    heel = _row(page, "Heel raises")
    expect(heel).to_contain_text("✓ Logged: 20 · Flat floor")

    # Single-leg balance through the hold timer, both sides; losing balance on the right.
    balance = _row(page, "Single-leg balance")
    balance.get_by_role("button", name="Start hold timer").click()
    expect(balance.get_by_role("status")).to_contain_text("Hold for 20 seconds", timeout=6000)
    page.wait_for_timeout(1200)
    balance.get_by_role("button", name="Lost balance").click()
    expect(balance.get_by_role("status")).to_contain_text("Switch sides")
    balance.get_by_role("button", name="Switch sides").click()
    expect(balance.get_by_role("status")).to_contain_text("Hold for 20 seconds", timeout=6000)
    page.wait_for_timeout(2200)
    balance.get_by_role("button", name="Lost balance").click()
    expect(balance.get_by_role("status")).to_contain_text("Tap Log set")
    left = int(balance.get_by_label("Left (s)").input_value())
    right = int(balance.get_by_label("Right (s)").input_value())
    assert 1 <= left <= 3 and 2 <= right <= 4
    balance.get_by_role("button", name="Log set").click()
    expect(_row(page, "Single-leg balance").locator(".logged")).to_contain_text(
        f"L {left} s · R {right} s"
    )

    # Star: taps per direction on each leg, nudged with the steppers.
    star = _row(page, "Star exercise")
    star.get_by_role("button", name="One more, left").click()
    star.get_by_role("button", name="Log set").click()
    # "Logged:" only once the server stored it (a set waiting to send reads "Sending").
    expect(_row(page, "Star exercise").locator(".logged")).to_contain_text("L 6 · R 5")

    # Reload in the middle: nothing is lost and the session carries on.
    page.reload()
    expect(_row(page, "Heel raises")).to_contain_text("20 · Flat floor")
    expect(_row(page, "Star exercise")).to_contain_text("L 6 · R 5")

    page.get_by_label("How did it go? (optional)").fill("Wobbly on the right")
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_text("3 of 8 prescribed")).to_be_visible()

    page.get_by_role("link", name="History").click()
    page.get_by_role("link", name=re.compile("Ankle stability")).click()
    expect(page.get_by_text("Wobbly on the right")).to_be_visible()
    expect(_row(page, "Single-leg balance").locator(".logged")).to_contain_text(
        f"L {left} s · R {right} s"
    )

    session = WorkoutSession.objects.get(athlete__username="runner")
    stored = {log.session_exercise.name: log for log in SetLog.objects.filter(session=session)}
    assert stored["Heel raises"].value == 20
    assert (stored["Single-leg balance"].left, stored["Single-leg balance"].right) == (left, right)
    assert (stored["Star exercise"].left, stored["Star exercise"].right) == (6, 5)
    assert session.status == "finished"


def test_dynamic_routine_without_a_ball_leaves_circuit_three_out(phone):
    page = phone
    _sign_up(page, "noball")
    assert not User.objects.get(username="noball").equipment.exists()
    expect(
        page.get_by_text("Without a medicine ball, circuit 3 (Med-ball power) is left out")
    ).to_be_visible()
    page.get_by_role("button", name="Start Dynamic feet and ankles").click()
    expect(
        page.get_by_text("Left out: Circuit 3 (Med-ball power): no medicine ball.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Circuit 1: Springy warm-up")).to_be_visible()
    expect(page.get_by_role("heading", name="Circuit 2: Edge-of-step holds")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Med-ball power"))).to_have_count(0)
    expect(page.get_by_role("heading", name="Single-leg hinged med-ball slam")).to_have_count(0)
    # Two to three rounds: the third is there, marked optional.
    expect(page.get_by_role("heading", name="Round 3 (optional)").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_expired_login_sends_the_athlete_to_sign_in_and_back_with_nothing_lost(phone):
    page = phone
    _sign_up(page, "sleepy")
    page.get_by_role("button", name="Start Ankle stability").click()
    _row(page, "Heel raises").get_by_role("button", name="Log set").click()
    expect(_row(page, "Heel raises").locator(".logged")).to_contain_text("20")
    session_path = re.sub(r"^https?://[^/]+", "", page.url)

    page.context.clear_cookies(name="sessionid")  # the login expired in the bag
    _row(page, "Heel raises").get_by_role("button", name="Undo").click()

    # The whole page goes to sign-in: no login form squeezed into the set row.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Username").fill("sleepy")
    page.get_by_label("Password").fill("tendons-and-calves-42")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(session_path) + "$"))
    expect(_row(page, "Heel raises").locator(".logged")).to_contain_text("20")
    assert SetLog.objects.filter(session__athlete__username="sleepy").count() == 1
