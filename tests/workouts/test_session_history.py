""" "Last time" and the next-level hint on the session page, near and far back.

The page reads them from the athlete's last few sessions (`selectors.RECENT_SESSIONS`)
and walks further back only when those do not settle it; both ways must agree.
"""

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest

from tests.factories import UserFactory, start_session
from workouts import progress, selectors
from workouts.history import local_moment, log_past_session
from workouts.models import SetLog, Variation

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 1)


@pytest.fixture
def runner(db):
    return UserFactory(username="runner", time_zone="UTC")


def _past(athlete, routine: str, day: int, **kwargs) -> None:
    log_past_session(athlete, routine, local_moment(athlete, DAY + timedelta(days=day)), **kwargs)


def _row(blocks, slug: str) -> selectors.SetRow:
    return next(
        row
        for block in blocks
        for round_block in block.rounds
        for row in round_block.rows
        if row.session_exercise.exercise.slug == slug and row.round == 1
    )


def test_last_time_reaches_past_the_recent_sessions(client, runner):
    # Balance work once, then more dynamic sessions than the page reads at first.
    _past(runner, "ankle-stability", 0, values={"single-leg-balance": (25, 22)})
    for day in range(1, selectors.RECENT_SESSIONS + 2):
        _past(runner, "dynamic-feet-ankles", day)
    session = start_session(runner)
    client.force_login(runner)
    page = client.get(session.get_absolute_url()).text
    assert "Last time: L 25 s · R 22 s" in page


def test_the_hint_counts_a_session_older_than_the_recent_ones(client, runner):
    # Two sessions at the top of the dose on level 2, with many others in between.
    _past(
        runner,
        "ankle-stability",
        0,
        values={"single-leg-balance": (30, 30)},
        level={"single-leg-balance": 2},
    )
    for day in range(1, selectors.RECENT_SESSIONS + 2):
        _past(runner, "dynamic-feet-ankles", day)
    _past(
        runner,
        "ankle-stability",
        20,
        values={"single-leg-balance": (30, 30)},
        level={"single-leg-balance": 2},
    )
    session = start_session(runner)
    client.force_login(runner)
    page = client.get(session.get_absolute_url()).text
    assert "Ready for the next level: Bosu, round side up." in page


def test_the_hint_ignores_sessions_older_than_its_lookback(runner):
    _past(
        runner,
        "ankle-stability",
        0,
        values={"single-leg-balance": (30, 30)},
        level={"single-leg-balance": 2},
    )
    later = (selectors.HINT_LOOKBACK + timedelta(days=10)).days
    _past(
        runner,
        "ankle-stability",
        later,
        values={"single-leg-balance": (30, 30)},
        level={"single-leg-balance": 2},
    )
    session = start_session(runner)
    session.started_at = local_moment(runner, DAY + timedelta(days=later + 1))
    session.local_date = DAY + timedelta(days=later + 1)
    session.save()
    row = _row(selectors.session_blocks(session=session, hints=True), "single-leg-balance")
    assert row.previous.left == 30, "last time has no lookback"
    assert row.next_step is None, "one of the two sessions is too old to count"


@pytest.mark.parametrize("seed", range(8))
def test_the_recent_read_agrees_with_the_full_walk(runner, monkeypatch, seed):
    """Random histories: what the page shows is the same whichever way it was read."""
    chance = random.Random(seed)  # noqa: S311 - test data, not security
    routines = ["ankle-stability", "dynamic-feet-ankles"]

    def mixed(exercise, _round):
        """Each set, and each side of it, at the top or the bottom of the dose."""
        return tuple(chance.choice([exercise.target_min, exercise.target_max]) for _ in "LR")

    for day in range(chance.randint(0, 14)):
        top = chance.random() < 0.6
        _past(
            runner,
            chance.choice(routines),
            day * chance.randint(1, 9),
            default=None if top else mixed,
            level={"single-leg-balance": chance.choice([1, 2])},
            all_rounds=chance.random() < 0.3,
        )
    session = start_session(runner, chance.choice(routines))

    def last_time(row):
        previous = row.previous
        if previous is None:
            return (row.anchor, None, None)
        return (row.anchor, previous.pk, previous.variation.name if previous.variation_id else None)

    def shown(blocks):
        return [
            (*last_time(row), row.default_value, row.default_variation_id, row.next_step)
            for block in blocks
            for round_block in block.rounds
            for row in round_block.rows
        ]

    recent = shown(selectors.session_blocks(session=session, hints=True))
    # The row a logged set is answered with reads last time on its own, in one query.
    one_row = [
        last_time(selectors.set_row(session=session, session_exercise=exercise, round=n, log=None))
        for exercise in session.session_exercises.all()
        for n in range(1, exercise.rounds_max + 1)
    ]
    monkeypatch.setattr(selectors, "_recent_history", lambda **_kwargs: None)
    walked = shown(selectors.session_blocks(session=session, hints=True))
    assert recent == walked
    assert sorted(one_row) == sorted(shown_row[:3] for shown_row in recent)


@pytest.mark.parametrize("seed", range(6))
def test_the_hints_reading_of_sets_in_hand_matches_the_sql_aggregate(runner, seed):
    """The session page works out "top of the dose reached, at which level" from the sets
    it has read (`progress.session_level`); the history walk and the progress pages
    aggregate the same in SQL (`progress.session_results`). Random sets must agree."""
    chance = random.Random(seed)  # noqa: S311 - test data, not security

    def anything(exercise, _round):
        if chance.random() < 0.15:
            return None  # a set left out
        doses = [exercise.target_min - 1, exercise.target_max, exercise.target_max + 1]
        return (chance.choice(doses), chance.choice(doses))

    for day in range(8):
        _past(
            runner,
            chance.choice(["ankle-stability", "dynamic-feet-ankles"]),
            day,
            default=anything,
            level={"single-leg-balance": chance.choice([1, 2])} if chance.random() < 0.7 else {},
            all_rounds=chance.random() < 0.7,
        )
    # Now and then a level changed between rounds of a session.
    ladder = list(Variation.objects.filter(exercise__slug="single-leg-balance"))
    balance = SetLog.objects.filter(
        session__athlete=runner, session_exercise__exercise__slug="single-leg-balance"
    )
    for log in balance:
        if chance.random() < 0.5:
            log.variation = chance.choice(ladder)
            log.save(update_fields=["variation"])
    logs = SetLog.objects.filter(session__athlete=runner).select_related(
        "variation", "session_exercise"
    )
    in_sql = {
        (result.exercise_id, result.session_id): (result.reached_top, result.level_order)
        for result in progress.session_results(logs)
    }
    grouped = defaultdict(list)
    for log in logs:
        grouped[log.session_exercise.exercise_id, log.session_id].append(log)
    in_python = {}
    for key, sets in grouped.items():
        level = progress.session_level(sets, max(s.session_exercise.target_max for s in sets))
        in_python[key] = (level.reached_top, level.level_order)
    assert in_python == in_sql
    assert {reached for reached, _level in in_sql.values()} == {True, False}


def test_a_session_that_changed_level_counts_its_highest():
    sets = [
        SetLog(round=1, value=12, variation=Variation(pk=1, order=1)),
        SetLog(round=2, value=12, variation=Variation(pk=3, order=3)),
        SetLog(round=3, value=9, variation=None),
    ]
    level = progress.session_level(sets, target=12)
    assert (level.reached_top, level.level_order) == (False, 3)
    assert progress.session_level(sets[:2], target=12).reached_top
