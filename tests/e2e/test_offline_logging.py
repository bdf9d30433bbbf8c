"""A runner logs sets in a gym basement: the server is really gone, then back.

These tests run the app in its own process (tests/e2e/appserver.py) so they can stop it:
a browser's offline mode does not reach the service worker's own fetches.
"""

import re
import time
from datetime import UTC, datetime

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory
from workouts.models import Equipment, SetLog, WorkoutSession

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OUTBOX_ITEMS = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("footing");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  if (!db.objectStoreNames.contains("outbox")) return [];
  return new Promise((resolve) => {
    const all = db.transaction("outbox").objectStore("outbox").getAll();
    all.onsuccess = () => resolve(all.result);
  });
}"""

CACHED_PAGES = """async () => {
  const found = {};
  for (const name of await caches.keys()) {
    found[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
  }
  return found;
}"""


def _row(page, name):
    return page.locator(".set-row", has=page.get_by_role("heading", name=name, exact=True))


def _log_in_and_start(page, username, routine="Ankle stability"):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name=f"Start {routine}").click()
    expect(page.get_by_role("heading", name=routine, level=1)).to_be_visible()


def _wait_until_kept_for_offline(page):
    """The service worker is in charge and holds a copy of this page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    path = page.evaluate("location.pathname")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        controlled = page.evaluate("Boolean(navigator.serviceWorker.controller)")
        kept = [name for name, paths in page.evaluate(CACHED_PAGES).items() if path in paths]
        if controlled and kept:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} was not kept for offline use")


def _outbox_text(page):
    return page.locator("header [data-outbox-text]")


def test_sets_logged_with_the_server_gone_arrive_once_with_the_phones_times(offline_phone, footing):
    UserFactory(username="sole")
    page = offline_phone
    _log_in_and_start(page, "sole")
    _wait_until_kept_for_offline(page)

    # The gym basement: no signal, and the server is really stopped.
    footing.stop()
    assert not footing.answers()
    page.context.set_offline(True)
    expect(page.get_by_text(re.compile("^You are offline"))).to_be_visible()

    # Five sets, each at its own moment on the phone's clock (25 minutes ago onwards).
    base = int(time.time()) - 25 * 60
    moments = [base + 60 * i for i in range(5)]
    page.clock.set_fixed_time(moments[0])
    _row(page, "Heel raises").get_by_role("button", name="Log set").click()
    page.clock.set_fixed_time(moments[1])
    _row(page, "Heel walks").get_by_role("button", name="Log set").click()
    page.clock.set_fixed_time(moments[2])
    star = _row(page, "Star exercise")
    star.get_by_role("button", name="One more, left").click()
    star.get_by_role("button", name="Log set").click()
    page.clock.set_fixed_time(moments[3])
    balance = _row(page, "Single-leg balance")
    balance.get_by_label("Left (s)").fill("18")
    balance.get_by_label("Right (s)").fill("20")
    balance.get_by_role("button", name="Log set").click()
    page.clock.set_fixed_time(moments[4])
    _row(page, "Single-leg mini squat").get_by_role("button", name="Log set").click()

    for name, shown in [
        ("Heel raises", "20"),
        ("Heel walks", "40"),
        ("Star exercise", "L 6 · R 5"),
        ("Single-leg balance", "L 18 s · R 20 s"),
        ("Single-leg mini squat", "L 10 · R 10"),
    ]:
        expect(_row(page, name)).to_contain_text(f"Saved on this phone, waiting to send: {shown}")
    expect(_outbox_text(page)).to_have_text(
        re.compile(r"^5 sets saved on this phone, waiting to send\.")
    )
    assert page.get_by_role("button", name="Send now").bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not SetLog.objects.exists()

    # The page opens again without the server: the copy kept on the phone, sets still waiting.
    page.reload()
    expect(page.get_by_role("heading", name="Ankle stability", level=1)).to_be_visible()
    expect(
        page.get_by_text(re.compile("This is the copy of this page kept on this phone"))
    ).to_be_visible()
    expect(_row(page, "Single-leg balance")).to_contain_text(
        "Saved on this phone, waiting to send: L 18 s · R 20 s"
    )
    expect(_outbox_text(page)).to_contain_text("5 sets saved on this phone")

    # Back above ground: the server is up and the phone is online again.
    footing.start()
    page.context.set_offline(False)
    expect(page.locator("header [data-outbox]")).to_be_hidden()
    expect(page.get_by_text("Footing can be reached again. Reload the page")).to_be_visible()
    for name in ("Heel raises", "Heel walks", "Star exercise", "Single-leg balance"):
        expect(_row(page, name)).to_contain_text("Logged:")

    session = WorkoutSession.objects.get(athlete__username="sole")
    stored = {log.session_exercise.name: log for log in SetLog.objects.filter(session=session)}
    assert len(stored) == SetLog.objects.count() == 5
    assert stored["Heel raises"].value == 20
    assert stored["Heel walks"].value == 40
    assert (stored["Star exercise"].left, stored["Star exercise"].right) == (6, 5)
    assert (stored["Single-leg balance"].left, stored["Single-leg balance"].right) == (18, 20)
    assert (stored["Single-leg mini squat"].left, stored["Single-leg mini squat"].right) == (10, 10)
    names = ["Heel raises", "Heel walks", "Star exercise", "Single-leg balance"]
    names.append("Single-leg mini squat")
    for name, moment in zip(names, moments, strict=True):
        assert stored[name].performed_at == datetime.fromtimestamp(moment, tz=UTC), name
    # Sent in the order they were logged, each once.
    posted = [client_id for client_id, _ in footing.set_posts()]
    by_client = {str(log.client_id): log.session_exercise.name for log in stored.values()}
    assert [by_client[c] for c in posted] == names

    page.clock.set_fixed_time(time.time())
    page.reload()
    expect(_row(page, "Single-leg balance")).to_contain_text("Logged: L 18 s · R 20 s")
    expect(page.get_by_text("waiting to send")).to_have_count(0)
    assert page.evaluate(OUTBOX_ITEMS) == []


def test_a_set_whose_answer_was_lost_is_sent_again_and_stored_once(offline_phone, footing):
    UserFactory(username="arch")
    page = offline_phone
    _log_in_and_start(page, "arch")

    # The server stores the set, then the connection drops before the answer gets back.
    footing.switch_on("lose-next-response")
    _row(page, "Heel raises").get_by_role("button", name="Log set").click()
    expect(_row(page, "Heel raises")).to_contain_text("Saved on this phone, waiting to send: 20")
    assert SetLog.objects.count() == 1

    # The back-off retry sends it again with the same UUID; the server stores nothing new.
    expect(_row(page, "Heel raises")).to_contain_text("Logged: 20")
    expect(page.locator("header [data-outbox]")).to_be_hidden()
    (first_id, first), (second_id, second) = footing.set_posts()
    assert (first, second) == ("200 lost", "200")
    assert first_id == second_id
    assert SetLog.objects.count() == 1
    page.reload()
    expect(_row(page, "Heel raises")).to_contain_text("Logged: 20")


def test_a_queued_set_the_server_refuses_shows_why_and_is_not_sent_again(offline_phone, footing):
    athlete = UserFactory(username="ball")
    athlete.equipment.add(Equipment.objects.get(slug="medicine-ball"))
    page = offline_phone
    _log_in_and_start(page, "ball", routine="Dynamic feet and ankles")

    def lunge():
        return _row(page, "Runner's lunge with elevated foot and med-ball slam").first

    # Kept while the server is down, with a weight the form allows but the server does not.
    footing.switch_on("unavailable")
    lunge().get_by_label(re.compile(r"^Weight \(kg\)")).fill("400")
    lunge().get_by_role("button", name="Log set").click()
    expect(lunge()).to_contain_text("waiting to send")
    footing.switch_off("unavailable")
    page.get_by_role("button", name="Send now").click()

    expect(lunge()).to_contain_text("Enter a weight from 0 to 300 kg.")
    expect(lunge().get_by_label(re.compile(r"^Weight"))).to_have_value("400")
    expect(_outbox_text(page)).to_have_text("1 set not accepted: fix or discard it below.")
    # Still there after a reload (which sends whatever waits), and never sent again.
    page.reload()
    expect(lunge()).to_contain_text("Enter a weight from 0 to 300 kg.")
    page.wait_for_timeout(2500)  # longer than the first retry would wait
    refused = [status for _, status in footing.set_posts() if status != "503"]
    assert refused == ["422"]
    assert not SetLog.objects.exists()

    # Discard it; then log the set again with a weight that fits.
    lunge().get_by_role("button", name="Discard this set").click()
    expect(lunge()).not_to_contain_text("Enter a weight from 0 to 300 kg.")
    expect(page.locator("header [data-outbox]")).to_be_hidden()
    assert page.evaluate(OUTBOX_ITEMS) == []
    lunge().get_by_label(re.compile(r"^Weight")).fill("8")
    lunge().get_by_role("button", name="Log set").click()
    expect(lunge()).to_contain_text("Logged:")
    expect(lunge()).to_contain_text("8 kg")
    assert SetLog.objects.get().load_kg == 8


def test_an_expired_sign_in_keeps_the_sets_and_sends_them_after_logging_in(offline_phone, footing):
    UserFactory(username="late")
    page = offline_phone
    _log_in_and_start(page, "late")
    footing.switch_on("unavailable")
    _row(page, "Heel raises").get_by_role("button", name="Log set").click()
    expect(_row(page, "Heel raises")).to_contain_text("waiting to send")

    Session.objects.all().delete()  # the sign-in expires on the server
    footing.switch_off("unavailable")
    page.get_by_role("button", name="Send now").click()
    expect(_outbox_text(page)).to_have_text(
        "You are signed out. Log in again to send the 1 set saved on this phone."
    )
    expect(_row(page, "Heel raises")).to_contain_text("waiting to send")
    assert not SetLog.objects.exists()

    page.get_by_role("link", name="Log in again").click()
    page.get_by_label("Username").fill("late")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(_row(page, "Heel raises")).to_contain_text("Logged: 20")
    assert SetLog.objects.get().value == 20


def test_finishing_waits_until_the_sessions_sets_are_sent(offline_phone, footing):
    UserFactory(username="done")
    page = offline_phone
    _log_in_and_start(page, "done")
    footing.switch_on("unavailable")
    _row(page, "Heel raises").get_by_role("button", name="Log set").click()
    expect(_row(page, "Heel raises")).to_contain_text("waiting to send")

    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Not yet: 1 set of this session is still waiting to send. Try again once it has been sent."
    )
    assert WorkoutSession.objects.get().status == "in_progress"

    footing.switch_off("unavailable")
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_text("1 of 8 prescribed")).to_be_visible()
    assert WorkoutSession.objects.get().status == "finished"
    assert SetLog.objects.get().value == 20


def test_logging_out_with_sets_not_sent_warns_then_leaves_nothing_behind(offline_phone, footing):
    UserFactory(username="shared")
    page = offline_phone
    _log_in_and_start(page, "shared")
    _wait_until_kept_for_offline(page)
    session_path = page.evaluate("location.pathname")
    footing.switch_on("unavailable")
    _row(page, "Heel raises").get_by_role("button", name="Log set").click()
    _row(page, "Heel walks").get_by_role("button", name="Log set").click()
    expect(_outbox_text(page)).to_contain_text("2 sets saved on this phone")
    assert len(page.evaluate(OUTBOX_ITEMS)) == 2
    assert any(name.startswith("footing-pages-user-") for name in page.evaluate(CACHED_PAGES))

    page.get_by_role("button", name="Log out", exact=True).click()
    dialog = page.get_by_role("dialog", name="Log out?")
    expect(dialog).to_contain_text(
        "2 sets are saved only on this phone and not sent to Footing yet. "
        "If you log out now, they are deleted from this phone."
    )
    dialog.get_by_role("button", name="Stay logged in").click()
    expect(dialog).to_be_hidden()
    expect(_row(page, "Heel walks")).to_contain_text("waiting to send")

    page.get_by_role("button", name="Log out", exact=True).click()
    dialog.get_by_role("button", name="Log out and delete them").click()
    expect(page.get_by_role("heading", name="Log in", level=1)).to_be_visible()

    assert page.evaluate(OUTBOX_ITEMS) == []
    cached = page.evaluate(CACHED_PAGES)
    assert not [name for name in cached if name.startswith("footing-pages-user-")]
    assert not [name for name, paths in cached.items() if session_path in paths]
    assert not SetLog.objects.exists()


def test_the_app_can_be_installed(offline_phone, footing):
    page = offline_phone
    page.goto("/routines/")
    registration = page.evaluate(
        "navigator.serviceWorker.ready.then((r) => ({scope: r.scope, script: r.active.scriptURL}))"
    )
    assert registration == {"scope": f"{footing.url}/", "script": f"{footing.url}/sw.js"}

    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["manifest"]["name"] == "Footing"
    assert manifest["manifest"]["display"] == "kStandalone"
    assert manifest["manifest"]["startUrl"] == f"{footing.url}/"
    # Playwright's browser contexts are private windows, where nothing installs; that aside,
    # Chromium has nothing against installing it.
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []

    # The shell is kept: the page's own CSS and scripts are in the cache.
    shell = [paths for name, paths in page.evaluate(CACHED_PAGES).items() if "shell" in name]
    assert len(shell) == 1
    assert {"/static/css/app.css", "/static/js/outbox.js", "/offline/"} <= set(shell[0])

    # A page never opened, with the server gone: the offline page says so.
    footing.stop()
    page.goto("/routines/ankle-stability/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    page.goto("/routines/")
    expect(page.get_by_role("heading", name="Routines", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile("^Footing can't be reached right now"))).to_be_visible()
