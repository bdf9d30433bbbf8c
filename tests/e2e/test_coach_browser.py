"""A coach on a phone: the roster says who needs attention and why; he reads a session of
that athlete and comments on it; the athlete then finds the comment from her home page."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from accounts.models import CoachLink
from tests.conftest import new_phone
from tests.factories import PASSWORD, CoachFactory, UserFactory
from workouts import weeks
from workouts.history import build_history, local_moment, log_past_session
from workouts.models import SetLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COMMENT = "Pain 7 on balance: stop that exercise at the first twinge and tell me how it feels."


def seed() -> None:
    """Bob coaches Alice (two months of history, pain 7 today) and Charlie (on track)."""
    bob = CoachFactory(username="bob", first_name="Bob")
    alice = UserFactory(username="alice", first_name="Alice", weekly_target=2)
    charlie = UserFactory(username="charlie", first_name="Charlie", weekly_target=1)
    for athlete in (alice, charlie):
        CoachLink.objects.create(coach=bob, athlete=athlete)

    today = weeks.today(alice.zone)
    build_history(alice, weeks_back=8, per_week=2, today=today)
    # Just after midnight: in the past whatever the hour, and newer than all the history.
    sore = log_past_session(
        alice,
        "ankle-stability",
        local_moment(alice, today, hour=0),
        values={"single-leg-balance": (25, 30)},
    )
    log = SetLog.objects.filter(
        session=sore, session_exercise__exercise__slug="single-leg-balance"
    ).first()
    log.pain = 7
    log.save(update_fields=["pain"])

    # One session in each of the last four weeks and one today: target 1 met every week.
    this_monday = weeks.week_start(weeks.today(charlie.zone))
    for back in range(1, 5):
        day = this_monday - weeks.WEEK * back + timedelta(days=2)
        log_past_session(charlie, "ankle-stability", local_moment(charlie, day))
    log_past_session(charlie, "ankle-stability", local_moment(charlie, today, hour=0))


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_coach_reads_who_needs_attention_and_comments_the_athlete_reads_it(
    phone, chromium, live_server
):
    seed()
    page = phone
    log_in(page, "bob")

    # The roster: Alice needs attention, with the reason in words; Charlie is on track.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Athletes").click()
    expect(page.get_by_role("heading", name="Your athletes", level=1)).to_be_visible()
    attention = page.get_by_role("region", name=re.compile(r"^Needs attention"))
    expect(attention.get_by_role("link", name="Alice")).to_be_visible()
    expect(attention).to_contain_text(re.compile(r"pain 7 on single-leg balance", re.IGNORECASE))
    expect(attention.get_by_role("link", name="Charlie")).to_have_count(0)
    on_track = page.get_by_role("region", name=re.compile(r"^On track"))
    expect(on_track).to_contain_text("On track (1)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Alice's pages, read-only; her sessions, newest first.
    attention.get_by_role("link", name="Alice").click()
    expect(page.get_by_role("heading", name="Alice", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Alice").get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("heading", name="Alice's sessions", level=1)).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Ankle stability")).first.click()

    # The session as Alice logged it, with her pain on the set, and nothing to edit.
    expect(page.get_by_role("heading", name="Ankle stability", level=1)).to_be_visible()
    balance = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Single-leg balance")
    )
    expect(balance.filter(has_text="pain 7")).to_have_count(1)
    expect(page.get_by_role("button", name="Save note")).to_have_count(0)
    expect(page.get_by_role("link", name="Delete this session")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Bob comments on the session.
    comments = page.get_by_role("region", name="Comments")
    comments.get_by_label("Comment").fill(COMMENT)
    comments.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Comment added.")).to_be_visible()
    comments = page.get_by_role("region", name="Comments")
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text("Bob (coach)")

    # Alice, on her own phone, sees there is something new and reads it.
    athlete = new_phone(chromium, live_server.url)
    try:
        log_in(athlete, "alice")
        new = athlete.get_by_role("region", name="New comments")
        expect(new).to_contain_text("1 new comment")
        new.get_by_role("link", name=re.compile(r"^Ankle stability")).click()
        comments = athlete.get_by_role("region", name="Comments")
        expect(comments).to_contain_text(COMMENT)
        expect(comments).to_contain_text("Bob (coach)")
        # Read now: the home page no longer calls it new.
        athlete.goto("/")
        expect(athlete.get_by_role("region", name="New comments")).to_have_count(0)
    finally:
        athlete.context.close()
