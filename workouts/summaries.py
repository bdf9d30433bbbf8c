"""The roster's two summaries of the logs, each rebuilt by one SQL statement.

- `SideBest`: the best left and right of each per-side exercise in each session, from the
  set logs (`refresh_side_bests`).
- `WeekTally`: per athlete and week, the closed sessions with a set, from the sessions'
  `has_sets` (`refresh_week_tally`).

One statement rebuilds whatever it is given: one session or week (the services,
`history.log_past_session`) or everything (migration 0010, `bench/generate.py`). It is
plain SQL that PostgreSQL and SQLite both run, against table names, so the migration can
use it without today's models. Pass a params list even when empty: both backends then
read `%%` as `%`.

A write that can lower a summary (an edit or undo, a session deleted) deletes the row
first: the row lock makes a concurrent writer of the same row wait, and its INSERT then
reads what the first committed. Logging a set can only raise the bests, so it skips the
delete and keeps the larger of the stored and the new bests: two sets of one exercise
logged at the same moment both count, whichever commits first.
"""

from datetime import date

from django.db.backends.base.base import BaseDatabaseWrapper

from workouts import weeks

SIDE_BESTS = """
INSERT INTO workouts_sidebest (
    athlete_id, session_id, exercise_id, started_at, local_date, side_word,
    best_left, best_right
)
SELECT s.athlete_id, s.id, se.exercise_id, s.started_at, s.local_date, MAX(se.side_word),
    MAX(l."left"), MAX(l."right")
FROM workouts_setlog l
JOIN workouts_sessionexercise se ON se.id = l.session_exercise_id
JOIN workouts_workoutsession s ON s.id = l.session_id
WHERE l."left" IS NOT NULL{where}
GROUP BY s.id, se.exercise_id, s.athlete_id, s.started_at, s.local_date
ON CONFLICT (session_id, exercise_id) DO UPDATE SET
    best_left = CASE WHEN excluded.best_left > workouts_sidebest.best_left
        THEN excluded.best_left ELSE workouts_sidebest.best_left END,
    best_right = CASE WHEN excluded.best_right > workouts_sidebest.best_right
        THEN excluded.best_right ELSE workouts_sidebest.best_right END
"""

WEEK_TALLIES = """
INSERT INTO workouts_weektally (athlete_id, week_start, sessions, last_date)
SELECT s.athlete_id, {week}, COUNT(*), MAX(s.local_date)
FROM workouts_workoutsession s
WHERE s.has_sets{where}
GROUP BY s.athlete_id, {week}
ON CONFLICT (athlete_id, week_start) DO UPDATE SET
    sessions = excluded.sessions, last_date = excluded.last_date
"""


def refresh_side_bests(
    connection: BaseDatabaseWrapper,
    *,
    session_id: int | None = None,
    exercise_id: int | None = None,
    replace: bool = False,
) -> None:
    """The side bests of one session's exercise, of one session, or (no ids) of all.

    `replace` (an edit or undo) deletes the session's row for the exercise first.
    """
    if replace and (session_id is None or exercise_id is None):
        raise ValueError("replace rewrites one row: give the session and the exercise")
    where, params = "", []
    if session_id is not None:
        where += " AND l.session_id = %s"
        params.append(session_id)
    if exercise_id is not None:
        where += " AND se.exercise_id = %s"
        params.append(exercise_id)
    with connection.cursor() as cursor:
        if replace:
            cursor.execute(
                "DELETE FROM workouts_sidebest WHERE session_id = %s AND exercise_id = %s",
                params,
            )
        cursor.execute(SIDE_BESTS.format(where=where), params)


def refresh_week_tally(
    connection: BaseDatabaseWrapper, *, athlete_id: int | None = None, week: date | None = None
) -> None:
    """The tally of one athlete's week (deleted first: it may go down), or (no ids) all."""
    if (athlete_id is None) != (week is None):
        raise ValueError("give the athlete and the week, or neither")
    where, params = "", []
    with connection.cursor() as cursor:
        if athlete_id is not None:
            monday = weeks.week_start(week)
            cursor.execute(
                "DELETE FROM workouts_weektally WHERE athlete_id = %s AND week_start = %s",
                [athlete_id, monday],
            )
            where = " AND s.athlete_id = %s AND s.local_date BETWEEN %s AND %s"
            params = [athlete_id, monday, weeks.Week(monday).end]
        week_sql = weeks.week_start_sql("s.local_date", connection.vendor)
        cursor.execute(WEEK_TALLIES.format(week=week_sql, where=where), params)
