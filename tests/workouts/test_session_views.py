"""Doing a routine through the pages: Alice logs, Charlie (a stranger) gets 404 everywhere."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import start_session
from workouts import services
from workouts.models import SetLog, WorkoutSession
from workouts.services import SetValues

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def session(alice):
    return start_session(alice)


def _exercise(session, slug):
    return session.session_exercises.get(exercise__slug=slug)


def _set_data(session, slug, round_number=1, **values):
    data = {
        "session_exercise": _exercise(session, slug).pk,
        "round": round_number,
        "client_id": str(uuid.uuid4()),
        "performed_at": "",
    }
    data.update({k: v for k, v in values.items()})
    return data


def _urls(session, log=None):
    urls = [
        ("get", reverse("workouts:session", args=[session.pk])),
        ("post", reverse("workouts:set_create", args=[session.pk])),
        ("post", reverse("workouts:session_finish", args=[session.pk])),
        ("post", reverse("workouts:session_note", args=[session.pk])),
        ("post", reverse("workouts:session_abandon", args=[session.pk])),
        ("get", reverse("workouts:session_delete", args=[session.pk])),
        ("post", reverse("workouts:session_delete", args=[session.pk])),
    ]
    if log:
        urls += [
            ("post", reverse("workouts:set_update", args=[session.pk, log.pk])),
            ("post", reverse("workouts:set_delete", args=[session.pk, log.pk])),
        ]
    return urls


def test_home_offers_each_routine_and_says_what_is_left_out(client, alice):
    client.force_login(alice)
    page = client.get(reverse("home")).text
    assert "Start Ankle stability" in page
    assert "Start Dynamic feet and ankles" in page
    assert "Without a medicine ball, circuit 3 (Med-ball power) is left out" in page
    assert "Resume" not in page


def test_start_redirects_to_the_session_and_home_offers_resume(client, alice):
    client.force_login(alice)
    response = client.post(reverse("workouts:session_start", args=["ankle-stability"]))
    session = WorkoutSession.objects.get(athlete=alice)
    assert response["Location"] == session.get_absolute_url()
    page = client.get(reverse("home")).text
    assert "Resume" in page and session.get_absolute_url() in page


def test_starting_while_one_is_open_offers_resume_or_finish(client, alice, session):
    client.force_login(alice)
    response = client.post(
        reverse("workouts:session_start", args=["dynamic-feet-ankles"]), follow=True
    )
    assert WorkoutSession.objects.filter(athlete=alice).count() == 1
    assert "You have a session in progress" in response.text
    assert "Resume it" in response.text and "Finish it" in response.text


def test_session_page_shows_rounds_doses_and_one_form_per_set(client, alice, session):
    client.force_login(alice)
    page = client.get(session.get_absolute_url()).text
    assert page.count('class="set-form"') >= 8
    assert "20 s each leg" in page
    assert "5 taps each direction, each leg" in page
    assert "Start hold timer" in page


def test_logging_a_set_with_htmx_returns_just_the_row(client, alice, session):
    client.force_login(alice)
    response = client.post(
        reverse("workouts:set_create", args=[session.pk]),
        _set_data(session, "heel-raises", value=20),
        **HTMX,
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'class="set-row is-logged"' in response.text
    assert "✓" in response.text and "Undo" in response.text
    assert SetLog.objects.get().value == 20


def test_logging_a_set_without_javascript_redirects_back_to_the_row(client, alice, session):
    client.force_login(alice)
    heel = _exercise(session, "heel-raises")
    response = client.post(
        reverse("workouts:set_create", args=[session.pk]),
        _set_data(session, "heel-raises", value=18),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{session.get_absolute_url()}#set-{heel.pk}-1"
    page = client.get(session.get_absolute_url()).text
    assert "18" in page and "is-logged" in page


def test_a_retried_post_creates_nothing_new(client, alice, session):
    client.force_login(alice)
    data = _set_data(session, "single-leg-balance", left=20, right=17)
    url = reverse("workouts:set_create", args=[session.pk])
    first = client.post(url, data, **HTMX)
    second = client.post(url, data, **HTMX)
    assert first.status_code == second.status_code == 200
    assert SetLog.objects.count() == 1
    assert "L 20 s · R 17 s" in second.text


def test_same_client_id_with_other_values_gets_409_and_a_message(client, alice, session):
    client.force_login(alice)
    data = _set_data(session, "heel-raises", value=20)
    url = reverse("workouts:set_create", args=[session.pk])
    client.post(url, data, **HTMX)
    response = client.post(url, {**data, "value": 5}, **HTMX)
    assert response.status_code == 409
    assert "already saved with other values" in response.text
    assert SetLog.objects.get().value == 20


def test_bad_value_shows_the_message_next_to_the_field_and_keeps_the_input(client, alice, session):
    client.force_login(alice)
    url = reverse("workouts:set_create", args=[session.pk])
    response = client.post(url, _set_data(session, "heel-raises", value=9999), **HTMX)
    assert response.status_code == 422
    assert "Enter reps from 0 to 500." in response.text
    assert 'value="9999"' in response.text
    assert not SetLog.objects.exists()


def test_bad_value_without_javascript_renders_the_page_with_the_message(client, alice, session):
    client.force_login(alice)
    _log = services.set_log_create(
        session=session,
        session_exercise=_exercise(session, "heel-raises"),
        round_number=1,
        values=SetValues(value=20),
        client_id=uuid.uuid4(),
    )
    url = reverse("workouts:set_create", args=[session.pk])
    response = client.post(url, _set_data(session, "single-leg-balance", left="abc", right=5))
    assert response.status_code == 422
    assert "<html" in response.text
    assert "Enter a whole number of seconds." in response.text
    assert SetLog.objects.count() == 1, "the set logged before is still there"


@pytest.mark.parametrize(
    ("slug", "values", "message"),
    [
        ("heel-raises", {"left": 5, "right": 5}, "not done per side"),
        ("single-leg-balance", {"value": 20}, "Log left and right separately"),
        ("single-leg-balance", {"left": 20}, "Enter the right side."),
        ("heel-raises", {"value": 20, "rpe": 11}, "Effort is from 1 (very easy) to 10"),
        ("heel-raises", {"value": 20, "pain": -1}, "Pain is from 0 (none) to 10"),
        ("heel-raises", {"value": 20, "load": 5}, "carries no weight"),
        ("single-leg-balance", {"left": 1801, "right": 2}, "Enter seconds from 0 to 1800."),
    ],
)
def test_wrong_kind_of_value_is_refused_with_a_message(
    client, alice, session, slug, values, message
):
    client.force_login(alice)
    response = client.post(
        reverse("workouts:set_create", args=[session.pk]),
        _set_data(session, slug, **values),
        **HTMX,
    )
    assert response.status_code == 422
    assert message in response.text
    assert not SetLog.objects.exists()


def test_weight_is_entered_in_the_athletes_unit_and_stored_in_kg(client, alice):
    from workouts.models import Equipment

    alice.equipment.add(Equipment.objects.get(slug="medicine-ball"))
    alice.weight_unit = "lb"
    alice.save(update_fields=["weight_unit"])
    session = start_session(alice, "dynamic-feet-ankles")
    client.force_login(alice)
    response = client.post(
        reverse("workouts:set_create", args=[session.pk]),
        _set_data(session, "runners-lunge-med-ball-slam", left=8, right=8, load=10),
        **HTMX,
    )
    assert response.status_code == 200
    assert str(SetLog.objects.get().load_kg) == "4.54"
    assert "10 lb" in response.text


def test_edit_and_undo_a_set(client, alice, session):
    client.force_login(alice)
    client.post(
        reverse("workouts:set_create", args=[session.pk]),
        _set_data(session, "heel-raises", value=20),
        **HTMX,
    )
    log = SetLog.objects.get()
    edited = client.post(
        reverse("workouts:set_update", args=[session.pk, log.pk]), {"value": 16, "rpe": 7}, **HTMX
    )
    assert edited.status_code == 200
    assert "16 · effort 7" in edited.text
    log.refresh_from_db()
    assert (log.value, log.rpe) == (16, 7)
    undone = client.post(reverse("workouts:set_delete", args=[session.pk, log.pk]), **HTMX)
    assert undone.status_code == 200
    assert "Log set" in undone.text
    assert not SetLog.objects.exists()


def test_finish_shows_a_summary_and_the_session_turns_read_only(client, alice, session):
    client.force_login(alice)
    url = reverse("workouts:set_create", args=[session.pk])
    client.post(url, _set_data(session, "heel-raises", value=20))
    client.post(url, _set_data(session, "heel-walks", value=40))
    response = client.post(
        reverse("workouts:session_finish", args=[session.pk]),
        {"note": "Calves burning"},
        follow=True,
    )
    text = response.text
    assert "2 of 8 prescribed" in text
    assert "Star exercise" in text.split("Skipped")[1]
    assert "Calves burning" in text
    assert 'class="set-form"' not in text
    refused = client.post(url, _set_data(session, "star-exercise", left=5, right=5), **HTMX)
    assert refused.status_code == 422
    assert "finished" in refused.text
    client.post(reverse("workouts:session_note", args=[session.pk]), {"note": "Edited later"})
    session.refresh_from_db()
    assert session.note == "Edited later"


def test_abandon_keeps_the_session_marked_incomplete(client, alice, session):
    client.force_login(alice)
    client.post(reverse("workouts:session_abandon", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == "abandoned"
    assert "Abandoned" in client.get(reverse("workouts:history")).text


def test_delete_asks_first_then_removes_the_session(client, alice, session):
    client.force_login(alice)
    url = reverse("workouts:session_delete", args=[session.pk])
    assert "Delete this session?" in client.get(url).text
    assert WorkoutSession.objects.filter(pk=session.pk).exists()
    client.post(url)
    assert not WorkoutSession.objects.filter(pk=session.pk).exists()


def test_history_lists_sessions_newest_first_with_set_counts(client, alice, session):
    client.force_login(alice)
    client.post(
        reverse("workouts:set_create", args=[session.pk]),
        _set_data(session, "heel-raises", value=20),
    )
    services.session_finish(session=session, note="")
    newer = start_session(alice, "dynamic-feet-ankles")
    text = client.get(reverse("workouts:history")).text
    assert text.index("Dynamic feet and ankles") < text.index("Ankle stability")
    assert "1 set " in text
    assert newer.get_absolute_url() in text


def test_history_paginates(client, alice):
    for _ in range(25):
        services.session_abandon(session=start_session(alice))
    client.force_login(alice)
    first = client.get(reverse("workouts:history"))
    assert len(first.context["page"].object_list) == 20
    assert "Page 1 of 2" in first.text
    assert len(client.get(reverse("workouts:history"), {"page": 2}).context["page"]) == 5


def test_stranger_gets_404_on_every_session_url(client, alice, charlie, session):
    log, _ = services.set_log_create(
        session=session,
        session_exercise=_exercise(session, "heel-raises"),
        round_number=1,
        values=SetValues(value=20),
        client_id=uuid.uuid4(),
    )
    client.force_login(charlie)
    for method, url in _urls(session, log):
        data = _set_data(session, "heel-walks", value=40) if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
    assert SetLog.objects.count() == 1
    assert WorkoutSession.objects.get(pk=session.pk).is_open


def test_anonymous_is_sent_to_login(client, session):
    for method, url in _urls(session):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("workouts:history"))["Location"].startswith(reverse("login"))


def test_wrong_method_gets_405(client, alice, session):
    client.force_login(alice)
    for name in ("set_create", "session_finish", "session_note", "session_abandon"):
        assert client.get(reverse(f"workouts:{name}", args=[session.pk])).status_code == 405
    assert client.put(reverse("workouts:session_delete", args=[session.pk])).status_code == 405


def test_csrf_is_enforced_on_logging(alice, session):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        reverse("workouts:set_create", args=[session.pk]),
        _set_data(session, "heel-raises", value=20),
    )
    assert response.status_code == 403
    assert not SetLog.objects.exists()


def test_logging_a_set_costs_few_queries_whatever_the_history(
    client, alice, django_assert_max_num_queries
):
    # Forty earlier sessions with every set logged: the "last time" lookup must not grow.
    for _ in range(40):
        old = start_session(alice)
        for exercise in old.session_exercises.all():
            values = SetValues(left=20, right=20) if exercise.per_side else SetValues(value=20)
            services.set_log_create(
                session=old,
                session_exercise=exercise,
                round_number=1,
                values=values,
                client_id=uuid.uuid4(),
            )
        services.session_finish(session=old, note="")
    session = start_session(alice)
    client.force_login(alice)
    data = _set_data(session, "single-leg-balance", left=20, right=18)
    # Auth (2), the session and its exercise (2), the insert and the side-best upsert of
    # a per-side set in a transaction (4), then the row it answers with: the catalogue
    # token and last time (2). The set is not read back. The upsert is the one statement
    # that keeps the roster's left/right summary exact (workouts/summaries.py).
    with django_assert_max_num_queries(10):
        response = client.post(reverse("workouts:set_create", args=[session.pk]), data, **HTMX)
    assert response.status_code == 200
    assert "Last time: L 20 s · R 20 s" in response.text
    # Auth (2), the session (1), its comments (1; nothing new, so no update), its
    # exercises, sets and the catalogue token (3), the last six sessions and their sets
    # (2). The next-level hints come from those sets: no query of their own.
    with django_assert_max_num_queries(9):
        page = client.get(session.get_absolute_url())
    assert "Last time: L 20 s · R 20 s" in page.text
