"""Past sessions written in one go: the demo athlete's history, benchmarks and tests.

`log_past_session` goes through `services.session_start`, so a past session has the same
snapshot as one done in the app; only its times are moved into the past. Its sets go in
with one bulk insert, so it records what the set services and `session_finish` would:
the session's `has_sets`, its side bests and its week's tally.
"""

import random
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta

from django.db import connections, router, transaction

from accounts.models import User
from workouts import selectors, services, summaries, weeks
from workouts.models import Routine, SessionExercise, SetLog, SideBest, WorkoutSession

# What one exercise did in a past session: a value, (left, right), or a function of the
# session exercise and the round that returns either.
Values = int | tuple[int, int]
ValueRule = Values | Callable[[SessionExercise, int], Values | None]


@transaction.atomic
def log_past_session(
    athlete: User,
    routine: Routine | str,
    when: datetime,
    *,
    values: Mapping[str, ValueRule] | None = None,
    default: ValueRule | None = None,
    level: Mapping[str, int] | None = None,
    status: str = WorkoutSession.Status.FINISHED,
    minutes: int = 25,
    all_rounds: bool = False,
) -> WorkoutSession:
    """A session started at `when` (aware), with a set for every round prescribed.

    `values` maps exercise slugs to what was done; others get `default`, or the top of
    their dose when `default` is None. A rule returning None skips that set. `level` maps
    slugs to the ladder rung used. `all_rounds` logs the optional rounds too.
    """
    if isinstance(routine, str):
        routine = selectors.routine_get(slug=routine)
    session = services.session_start(athlete=athlete, routine=routine)
    session.started_at = when
    session.local_date = weeks.local_date(when, session.time_zone)
    session.status = status
    session.ended_at = when + timedelta(minutes=minutes)

    values = values or {}
    level = level or {}
    exercises = list(
        session.session_exercises.select_related("exercise").prefetch_related(
            "exercise__variations"
        )
    )
    logs = []
    for number, exercise in enumerate(exercises):
        slug = exercise.exercise.slug
        rule = values.get(slug, default)
        rung = level.get(slug)
        variation = None
        if rung is not None:
            variation = next(v for v in exercise.exercise.variations.all() if v.order == rung)
        rounds = exercise.rounds_max if all_rounds else exercise.rounds_min
        for round_number in range(1, rounds + 1):
            done = rule(exercise, round_number) if callable(rule) else rule
            if done is None and rule is not None:
                continue
            if done is None:
                done = exercise.target_max
            if exercise.per_side:
                left, right = done if isinstance(done, tuple) else (done, done)
                fields = {"left": left, "right": right}
            else:
                fields = {"value": done[0] if isinstance(done, tuple) else done}
            logs.append(
                SetLog(
                    session=session,
                    session_exercise=exercise,
                    round=round_number,
                    variation=variation,
                    performed_at=when + timedelta(minutes=number + round_number),
                    client_id=uuid.uuid4(),
                    **fields,
                )
            )
    # What session_finish and the set services would have recorded.
    session.has_sets = bool(logs) and status != WorkoutSession.Status.IN_PROGRESS
    session.save(update_fields=["started_at", "local_date", "status", "ended_at", "has_sets"])
    SetLog.objects.bulk_create(logs)
    summaries.refresh_side_bests(connections[router.db_for_write(SideBest)], session_id=session.pk)
    if session.has_sets:
        services.week_tally_refresh(session=session)
    return session


def local_moment(athlete: User, day: date, hour: int = 18) -> datetime:
    """An aware datetime at `hour` o'clock on `day` in the athlete's zone."""
    return datetime.combine(day, time(hour), tzinfo=athlete.zone)


def build_history(
    athlete: User,
    *,
    weeks_back: int,
    per_week: int,
    today: date,
    seed: int = 7,
    skip_every: int = 0,
    all_rounds: bool = False,
) -> int:
    """About `per_week` sessions a week for `weeks_back` finished weeks before this one,
    alternating the two routines, with a weaker left side slowly catching up. Every `skip_every`-th
    week is left empty (0: none). Returns the number of sessions written."""
    rng = random.Random(seed)  # noqa: S311 - demo data, repeatable on purpose
    routines = [selectors.routine_get(slug=s) for s in ("ankle-stability", "dynamic-feet-ankles")]
    this_monday = weeks.week_start(today)
    written = 0
    for back in range(weeks_back, 0, -1):
        if skip_every and back % skip_every == 0:
            continue
        monday = this_monday - weeks.WEEK * back
        for n in range(per_week):
            day = monday + timedelta(days=min(6, n * 2 + rng.randint(0, 1)))
            progress = (weeks_back - back) / max(1, weeks_back)

            def sided(exercise: SessionExercise, _round: int, progress=progress) -> Values:
                top = exercise.target_max
                right = top
                left = max(1, round(top * (0.6 + 0.25 * progress)))
                return (left, right) if exercise.per_side else top

            log_past_session(
                athlete,
                routines[written % 2],
                local_moment(athlete, day, hour=7 + rng.randint(0, 12)),
                default=sided,
                all_rounds=all_rounds,
            )
            written += 1
    return written
