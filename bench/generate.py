"""Fill a bench database with athletes, coaches and a year of training history.

Usage (from the project folder; the database must exist and be migrated):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/footing_bench_1m
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/generate.py --athletes 334 --sets-per-athlete 3000   # ~1 million sets
    .venv/bin/python bench/generate.py --athletes 50 --sets-per-athlete 200     # ~10 thousand

What it writes, the same for the same arguments (seeded):

- athletes `bench-athlete-0001`... and one coach per 50 athletes (`bench-coach-001` follows
  athletes 1-50, so its roster always has 50). Every password is `bench.common.PASSWORD`.
- for each athlete, finished sessions spread over the last `--days` days, alternating the
  two shipped routines with every round done (8 and 18 sets), until the athlete has about
  `--sets-per-athlete` sets. The snapshot rows are copied from a real `services.session_start`.
- a weekly target per athlete, a coach comment on about 2 % of sessions, pain now and then.

Sessions, session exercises and sets go in with PostgreSQL COPY (about 3 minutes for a
million sets on a busy 2-core machine); then the roster's summaries (side bests, week
tallies) are filled by the statements migration 0010 uses, and VACUUM ANALYZE runs. `--reset` first
empties every session table: use it only on a database made for benchmarks.
"""

import argparse
import math
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import (
    ATHLETES_PER_COACH,
    PASSWORD,
    athlete_username,
    coach_username,
    setup_django,
)

ZONES = ["Europe/London", "UTC", "America/New_York", "Europe/Berlin", "Australia/Sydney"]
ROUTINES = ("ankle-stability", "dynamic-feet-ankles")

SESSION_COLUMNS = (
    "id, athlete_id, routine_id, routine_name, status, started_at, ended_at, time_zone,"
    " local_date, left_out, note, has_sets"
)
EXERCISE_FIELDS = (
    "exercise_id",
    "circuit_order",
    "circuit_name",
    "order",
    "rounds_min",
    "rounds_max",
    "rest_seconds",
    "name",
    "cue",
    "unit",
    "target_min",
    "target_max",
    "to_fatigue",
    "per_side",
    "side_word",
    "per_direction",
    "carries_load",
    "load_note",
    "hold_top_seconds_min",
    "hold_top_seconds_max",
    "dose",
)
SET_COLUMNS = (
    'id, session_id, session_exercise_id, round, variation_id, value, "left", "right",'
    " load_kg, rpe, pain, note, performed_at, received_at, client_id"
)


@dataclass
class Template:
    """One routine as `session_start` snapshots it, plus each exercise's ladder."""

    routine_id: int
    routine_name: str
    exercises: list[dict]
    ladders: dict[int, list[int]]  # exercise id -> variation ids, easiest first

    @property
    def sets(self) -> int:
        return sum(e["rounds_max"] for e in self.exercises)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the module docstring (or BENCHMARKS.md) for the sizes used there.",
    )
    parser.add_argument("--athletes", type=int, required=True, help="how many athletes")
    parser.add_argument(
        "--sets-per-athlete", type=int, default=3000, help="set logs per athlete (default 3000)"
    )
    parser.add_argument("--days", type=int, default=365, help="history length (default 365)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--reset",
        action="store_true",
        help="empty the session tables and delete bench accounts first (bench databases only)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    setup_django()
    started = time.monotonic()
    if args.reset:
        reset()
    athletes, coaches = create_accounts(args.athletes)
    templates = session_templates(athletes[0])
    written = write_history(athletes, coaches, templates, args)
    finish(started, written)


def reset() -> None:
    from django.db import connection

    from accounts.models import User

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE workouts_comment, workouts_setlog, workouts_sessionexercise,"
            " workouts_workoutsession, workouts_weeklytarget, workouts_excusedweek,"
            " workouts_sidebest, workouts_weektally CASCADE"
        )
    User.objects.filter(username__startswith="bench-").delete()
    print("Reset: session tables emptied, bench accounts deleted.")


def create_accounts(count: int) -> tuple[list, list]:
    """Athletes (all equipment, a weekly target, a few zones) and a coach per 50 of them."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import CoachLink, User
    from workouts.models import Equipment

    if User.objects.filter(username__startswith="bench-").exists():
        sys.exit("Bench accounts exist already: run with --reset on a bench database.")
    password = make_password(PASSWORD)  # one hash for all: Argon2 per user would take minutes
    athletes = User.objects.bulk_create(
        User(
            username=athlete_username(n),
            password=password,
            first_name=f"Athlete {n}",
            role=User.Role.ATHLETE,
            weekly_target=3 + n % 2,
            time_zone=ZONES[n % len(ZONES)],
        )
        for n in range(1, count + 1)
    )
    coaches = User.objects.bulk_create(
        User(
            username=coach_username(n),
            password=password,
            first_name=f"Coach {n}",
            role=User.Role.COACH,
            invite_code=f"BENCH{n:03d}",
        )
        for n in range(1, math.ceil(count / ATHLETES_PER_COACH) + 1)
    )
    CoachLink.objects.bulk_create(
        CoachLink(coach=coaches[i // ATHLETES_PER_COACH], athlete=athlete)
        for i, athlete in enumerate(athletes)
    )
    owned = User.equipment.through
    owned.objects.bulk_create(
        owned(user_id=athlete.pk, equipment_id=equipment.pk)
        for athlete in athletes
        for equipment in Equipment.objects.all()
    )
    print(f"Accounts: {len(athletes)} athletes, {len(coaches)} coaches.")
    return athletes, coaches


def session_templates(athlete) -> list[Template]:
    """Start each routine once through the real service, keep its snapshot, delete it."""
    from workouts import selectors, services
    from workouts.models import Variation

    templates = []
    for slug in ROUTINES:
        routine = selectors.routine_get(slug=slug)
        session = services.session_start(athlete=athlete, routine=routine)
        rows = list(session.session_exercises.order_by("circuit_order", "order").values())
        session.delete()
        ladders: dict[int, list[int]] = {}
        for variation in Variation.objects.order_by("order"):
            ladders.setdefault(variation.exercise_id, []).append(variation.pk)
        templates.append(
            Template(
                routine_id=routine.pk,
                routine_name=routine.name,
                exercises=[{k: row[k] for k in EXERCISE_FIELDS} for row in rows],
                ladders=ladders,
            )
        )
    return templates


class Ids:
    """Primary keys handed out here, so one COPY can refer to rows of another."""

    def __init__(self, table: str):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 - fixed names
            self.next = cursor.fetchone()[0] + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


def session_days(rng: random.Random, count: int, days: int) -> list[int]:
    """How many days ago each session was, oldest first; at most one a day while possible."""
    if count <= days:
        picked = rng.sample(range(1, days + 1), count)
    else:
        picked = [rng.randint(1, days) for _ in range(count)]
    return sorted(picked, reverse=True)


def athlete_history(
    athlete, coach, templates: list[Template], args, ids: dict[str, Ids], today: date
) -> tuple[list, list, list, list]:
    """Rows for one athlete: sessions, session exercises, sets, comments."""
    rng = random.Random(args.seed * 1_000_003 + athlete.pk)  # noqa: S311 - repeatable on purpose
    zone = ZoneInfo(athlete.time_zone)
    kinds = []
    total = 0
    first = rng.randint(0, 1)
    while total < args.sets_per_athlete:
        template = templates[(first + len(kinds)) % 2]
        kinds.append(template)
        total += template.sets
    days_ago = session_days(rng, len(kinds), args.days)
    sessions, exercises, sets, comments = [], [], [], []
    for number, (template, back) in enumerate(zip(kinds, days_ago, strict=True)):
        progress = number / max(1, len(kinds) - 1)
        local_day = today - timedelta(days=back)
        start_local = datetime(
            local_day.year,
            local_day.month,
            local_day.day,
            rng.randint(6, 20),
            rng.randint(0, 59),
            tzinfo=zone,
        )
        started = start_local.astimezone(UTC)
        session_id = ids["session"].take()
        sessions.append(
            (
                session_id,
                athlete.pk,
                template.routine_id,
                template.routine_name,
                "finished" if rng.random() > 0.03 else "abandoned",
                started,
                started + timedelta(minutes=25),
                athlete.time_zone,
                local_day,
                "",
                "",
                True,  # closed, and every round below is logged
            )
        )
        minute = 0
        for exercise in template.exercises:
            exercise_row_id = ids["exercise"].take()
            exercises.append((exercise_row_id, session_id, *exercise.values()))
            ladder = template.ladders.get(exercise["exercise_id"], [])
            level = ladder[min(len(ladder) - 1, int(progress * len(ladder)))] if ladder else None
            for round_number in range(1, exercise["rounds_max"] + 1):
                minute += 1
                sets.append(
                    set_row(
                        rng,
                        exercise,
                        ids["set"].take(),
                        session_id,
                        exercise_row_id,
                        round_number,
                        level,
                        progress,
                        started + timedelta(minutes=minute),
                    )
                )
        if rng.random() < 0.02:
            comments.append(
                (
                    ids["comment"].take(),
                    "Good work; keep the knee over the toes.",
                    started + timedelta(hours=3),
                    started + timedelta(hours=20),
                    coach.pk,
                    session_id,
                    None,
                )
            )
    return sessions, exercises, sets, comments


def set_row(
    rng: random.Random,
    exercise: dict,
    set_id: int,
    session_id: int,
    exercise_row_id: int,
    round_number: int,
    level: int | None,
    progress: float,
    performed: datetime,
) -> tuple:
    """One set: near the top of the dose, a weaker left side catching up, pain now and then."""
    top, bottom = exercise["target_max"], exercise["target_min"]
    value = left = right = None
    if exercise["per_side"]:
        right = max(1, top + rng.randint(-2, 1))
        left = max(1, round(right * (0.7 + 0.25 * progress)))
    else:
        value = rng.randint(bottom, top)
    pain = rng.randint(3, 7) if rng.random() < 0.01 else (0 if rng.random() < 0.5 else None)
    return (
        set_id,
        session_id,
        exercise_row_id,
        round_number,
        level,
        value,
        left,
        right,
        Decimal(rng.choice(("3.00", "4.00", "5.00"))) if exercise["carries_load"] else None,
        rng.randint(4, 8) if rng.random() < 0.5 else None,
        pain,
        "felt tight" if rng.random() < 0.01 else "",
        performed,
        performed + timedelta(seconds=rng.randint(1, 30)),
        uuid.UUID(int=rng.getrandbits(128), version=4),
    )


def copy_rows(table: str, columns: str, rows: list[tuple]) -> None:
    from django.db import connection

    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def write_history(athletes: list, coaches: list, templates: list[Template], args) -> int:
    """COPY every athlete's history, a batch of athletes at a time."""
    from workouts import weeks
    from workouts.models import WeeklyTarget

    ids = {
        "session": Ids("workouts_workoutsession"),
        "exercise": Ids("workouts_sessionexercise"),
        "set": Ids("workouts_setlog"),
        "comment": Ids("workouts_comment"),
    }
    today = datetime.now(UTC).date()
    exercise_columns = "id, session_id, " + ", ".join(
        f'"{name}"' if name == "order" else name for name in EXERCISE_FIELDS
    )
    comment_columns = "id, body, created_at, seen_by_athlete_at, author_id, session_id, set_log_id"
    written = 0
    batch = 10
    for start in range(0, len(athletes), batch):
        rows: tuple[list, list, list, list] = ([], [], [], [])
        for i, athlete in enumerate(athletes[start : start + batch], start=start):
            coach = coaches[i // ATHLETES_PER_COACH]
            for bucket, part in zip(
                rows, athlete_history(athlete, coach, templates, args, ids, today), strict=True
            ):
                bucket.extend(part)
        copy_rows("workouts_workoutsession", SESSION_COLUMNS, rows[0])
        copy_rows("workouts_sessionexercise", exercise_columns, rows[1])
        copy_rows("workouts_setlog", SET_COLUMNS, rows[2])
        copy_rows("workouts_comment", comment_columns, rows[3])
        written += len(rows[2])
        print(f"  athletes {start + 1}-{min(start + batch, len(athletes))}: {written} sets")
    WeeklyTarget.objects.bulk_create(
        WeeklyTarget(
            athlete=athlete,
            week_start=weeks.week_start(today - timedelta(days=args.days)),
            target=athlete.weekly_target,
            set_by=athlete,
        )
        for athlete in athletes
    )
    return written


def finish(started: float, written: int) -> None:
    """Fill the roster's summaries, move the id sequences past the copied rows, then VACUUM
    ANALYZE so plans see real sizes."""
    from django.db import connection

    from workouts import summaries

    # The same statements as migration 0010: the side bests and week tallies of every
    # session, from the rows just copied.
    summaries.refresh_side_bests(connection)
    summaries.refresh_week_tally(connection)
    with connection.cursor() as cursor:
        for table in (
            "workouts_workoutsession",
            "workouts_sessionexercise",
            "workouts_setlog",
            "workouts_comment",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                f" (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        # VACUUM too, as autovacuum would on a live database: it lets index-only scans work.
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM workouts_setlog")
        total = cursor.fetchone()[0]
    print(f"Wrote {written} sets ({total} in the table) in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
