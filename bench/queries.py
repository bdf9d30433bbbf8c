"""Queries per request, and in-process time, for the pages the load test drives.

Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/footing_bench_1m \\
        .venv/bin/python bench/queries.py --repeat 20 [--profile roster] [--sql] [--explain]

It runs Django's test client inside this process against the bench database, as
bench-athlete-0001 and bench-coach-001 (roster of 50), and for each request reports the
SQL queries (CaptureQueriesContext), the median wall time over `--repeat` runs, and the
median CPU time of this process (Python only, not PostgreSQL): on a machine others share,
CPU time moves much less than wall time. `--profile NAME` prints the top of a cProfile of
that request (`--sort tottime` ranks by time spent in each function itself); `--sql`
prints every query of each request; `--explain` prints EXPLAIN ANALYZE for the slowest
query of each request. The session it starts is deleted at the end.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import athlete_username, coach_username, machine_probe_ms, setup_django


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Queries and time per request, in process.")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per request")
    parser.add_argument("--profile", help="cProfile this request (e.g. roster, dashboard)")
    parser.add_argument(
        "--sort",
        default="cumulative",
        help="how to order the profile: cumulative (default) or tottime (time in the function)",
    )
    parser.add_argument("--sql", action="store_true", help="print each request's SQL")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest SQL")
    return parser.parse_args(argv)


def requests(athlete_client, coach_client, session_path: str, athlete_pk: int, next_form):
    """name -> a call making that request (each returns the response, read fully)."""

    def read(response):
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    return {
        "session page": lambda: athlete_client.get(session_path),
        "log set": lambda: athlete_client.post(
            f"{session_path}sets/", next_form(), headers={"HX-Request": "true"}
        ),
        "dashboard": lambda: athlete_client.get("/"),
        "roster": lambda: coach_client.get("/coach/?show=all"),
        "coach: athlete dashboard": lambda: coach_client.get(f"/coach/athletes/{athlete_pk}/"),
        "csv export": lambda: read(coach_client.get(f"/coach/athletes/{athlete_pk}/export.csv")),
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    setup_django(production=True)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.LOGGING_CONFIG = None
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from workouts import selectors, services
    from workouts.models import SetLog

    athlete = User.objects.get(username=athlete_username(1))
    coach = User.objects.get(username=coach_username(1))
    athlete_client, coach_client = Client(), Client()
    athlete_client.force_login(athlete)
    coach_client.force_login(coach)
    open_one = selectors.open_session(athlete=athlete)
    if open_one:
        services.session_abandon(session=open_one)
    session = services.session_start(
        athlete=athlete, routine=selectors.routine_get(slug="dynamic-feet-ankles")
    )
    slots = [(se, n) for se in session.session_exercises.all() for n in range(1, se.rounds_max + 1)]

    def next_form() -> dict:
        se, round_number = slots.pop(0)
        form = {"session_exercise": se.pk, "round": round_number, "client_id": _uuid()}
        form |= {"left": 10, "right": 10} if se.per_side else {"value": 10}
        return form

    calls = requests(
        athlete_client, coach_client, f"/sessions/{session.pk}/", athlete.pk, next_form
    )
    try:
        print(f"machine probe: {machine_probe_ms()} ms (lower is faster)")
        print(f"{'request':<26}{'queries':>8}{'median ms':>11}{'CPU ms':>8}{'slowest SQL ms':>16}")
        for name, call in calls.items():
            repeat = (
                min(args.repeat, len(slots) // len(calls)) if name == "log set" else args.repeat
            )
            call()  # warm caches and connections
            with CaptureQueriesContext(connection) as captured:
                response = call()
            # Read them now: the next request clears the connection's query log.
            queries = list(captured.captured_queries)
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code}")
            times, cpu = [], []
            for _ in range(max(1, repeat)):
                began, began_cpu = time.perf_counter(), time.process_time()
                call()
                times.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
            slowest = max(queries, key=lambda q: float(q["time"]))
            print(
                f"{name:<26}{len(queries):>8}{statistics.median(times):>11.1f}"
                f"{statistics.median(cpu):>8.1f}"
                f"{float(slowest['time']) * 1000:>16.1f}"
            )
            if args.sql:
                for query in queries:
                    print(f"    {float(query['time']) * 1000:5.1f} ms  {query['sql'][:300]}")
            if args.explain:
                explain(connection, slowest["sql"])
            if args.profile == name:
                profile(call, args.sort)
    finally:
        SetLog.objects.filter(session=session).delete()
        session.delete()


def explain(connection, sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        print("    " + "\n    ".join(row[0] for row in cursor.fetchall()))


def profile(call: Callable, sort: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        call()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(35)
    print(out.getvalue())


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


if __name__ == "__main__":
    main()
