"""The optional read replica (config/replica.py), against a replica that lags on purpose.

The "replica" here is a real second database: a copy of the test database taken at one
moment, which never catches up. Whatever a coach page reads from it is visibly stale,
so the tests can tell which reads went where, and that access never depends on it.
"""

import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import CoachLink
from config.replica import PIN_COOKIE, REPLICA
from workouts import weeks
from workouts.history import local_moment, log_past_session
from workouts.models import WorkoutSession

# Transactional, so the copy sees committed rows; the catalogue is restored after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _snapshot(settings_dict: dict) -> tuple[dict, Callable[[], None]]:
    """Copy the test database as it is now; return the copy's settings and its remover."""
    connections["default"].close()
    if settings_dict["ENGINE"].endswith("sqlite3"):
        copy = str(Path(settings_dict["NAME"]).with_suffix(".replica.sqlite3"))
        shutil.copyfile(settings_dict["NAME"], copy)
        return {**settings_dict, "NAME": copy}, lambda: Path(copy).unlink()
    copy = f"{settings_dict['NAME']}_replica"
    server = {
        "dbname": "postgres",
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"],
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        # A template must have no other session: earlier tests' server threads and
        # processes may still hold idle connections (they reconnect when next used).
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [settings_dict["NAME"]],
        )
        admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{settings_dict["NAME"]}"')

    def drop() -> None:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')

    return {**settings_dict, "NAME": copy}, drop


@pytest.fixture
def lagging_replica(settings) -> Iterator[None]:
    """Install a replica frozen as the database is now, and the router that uses it."""
    replica_settings, remove = _snapshot(dict(connections["default"].settings_dict))
    # Kept open for the whole test (no reconnect after each request): Django's test case
    # refuses new connections to aliases it did not set up, but not one already open.
    connections.settings[REPLICA] = {**replica_settings, "CONN_MAX_AGE": None}
    replica = connections.create_connection(REPLICA)
    del connections.settings[REPLICA]
    replica.ensure_connection()
    connections.settings[REPLICA] = replica.settings_dict
    connections[REPLICA] = replica
    settings.DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        remove()


def _session(athlete, days_back: int) -> WorkoutSession:
    day = weeks.today(athlete.zone) - timedelta(days=days_back)
    return log_past_session(athlete, "ankle-stability", local_moment(athlete, day, hour=7))


@pytest.fixture
def coached(alice, bob):
    """Alice, linked to Bob, with one session in the snapshot the replica is taken from."""
    CoachLink.objects.create(coach=bob, athlete=alice)
    _session(alice, 3)
    return alice


def _get(client: Client, url: str) -> tuple[str, int, int]:
    """(page text or "404", queries on the primary, queries on the replica) for one GET."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(url)
    assert response.status_code in (200, 404)
    text = response.text if response.status_code == 200 else "404"
    return text, len(primary), len(replica)


def _history_links(text: str) -> int:
    return text.count('class="history-link"')


def test_coach_pages_read_the_replica_and_the_athlete_reads_the_primary(
    client: Client, coached, bob, lagging_replica
):
    _session(coached, 1)  # logged after the snapshot: only the primary has it

    client.force_login(bob)
    coach_view, _, from_replica = _get(client, reverse("workouts:coach_history", args=[coached.pk]))
    assert from_replica > 0
    assert _history_links(coach_view) == 1  # the replica has not caught up yet

    client.force_login(coached)
    own_view, _, from_replica = _get(client, reverse("workouts:history"))
    assert from_replica == 0
    assert _history_links(own_view) == 2  # the athlete always sees what they just logged


def test_a_revoked_link_ends_access_even_while_the_replica_still_has_it(
    client: Client, coached, bob, lagging_replica
):
    CoachLink.objects.filter(coach=bob, athlete=coached).delete()  # primary only

    client.force_login(bob)
    page, _, _ = _get(client, reverse("workouts:coach_athlete", args=[coached.pk]))
    assert page == "404"
    roster, _, _ = _get(client, reverse("workouts:roster"))
    assert coached.name not in roster


def test_after_a_change_the_coach_reads_the_primary_for_a_few_seconds(
    client: Client, coached, bob, lagging_replica
):
    _session(coached, 1)
    client.force_login(bob)
    response = client.post(
        reverse("workouts:coach_target", args=[coached.pk]), {"target": 4}, follow=False
    )
    assert response.status_code == 302
    assert client.cookies[PIN_COOKIE]["max-age"] == 10

    page, _, from_replica = _get(client, reverse("workouts:coach_history", args=[coached.pk]))
    assert from_replica == 0
    assert _history_links(page) == 2


def test_without_a_replica_nothing_changes(client: Client, coached, bob):
    client.force_login(bob)
    response = client.post(reverse("workouts:coach_target", args=[coached.pk]), {"target": 4})
    assert response.status_code == 302
    assert PIN_COOKIE not in client.cookies
    assert client.get(reverse("workouts:coach_history", args=[coached.pk])).status_code == 200
