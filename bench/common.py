"""What the bench scripts share: the bench accounts' names and password, and Django set-up."""

import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every bench account has this password; the bench database is throwaway and local.
PASSWORD = "bench-footing-password-4821"  # noqa: S105 - a throwaway local database
ATHLETES_PER_COACH = 50


def athlete_username(number: int) -> str:
    """Athletes are numbered from 1; coach k follows athletes 50(k-1)+1 to 50k."""
    return f"bench-athlete-{number:04d}"


def coach_username(number: int) -> str:
    return f"bench-coach-{number:03d}"


def setup_django(*, production: bool = False) -> None:
    """Load the project's settings so a script can use the ORM.

    DATABASE_URL must point at a bench database. `production` runs with the settings the
    server uses (DEBUG off, bench.settings, collected static files) so timings match;
    otherwise DEBUG=1 spares the SECRET_KEY check.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL bench database, e.g. .../footing_bench_10k")
    if production:
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        os.environ.update(DEBUG="0", HTTPS="0")
        os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(60))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def machine_probe_ms() -> float:
    """How fast this machine runs plain Python right now: the best of 5 runs of a fixed
    workload (string building, dict lookups, sorting), in ms. Lower is faster.

    The bench machine is a shared virtual machine whose speed moves by up to 1.5x during
    the day; each report carries this figure so runs taken hours apart can be compared.
    """
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        table: dict[str, int] = {}
        for n in range(60_000):
            key = f"set-{n % 997}-{n % 7}"
            table[key] = table.get(key, 0) + n
        sorted(table.items(), key=lambda item: (item[1], item[0]))
        "".join(f"<li>{key}={value}</li>" for key, value in table.items())
        best = min(best, time.perf_counter() - began)
    return round(best * 1000, 1)
