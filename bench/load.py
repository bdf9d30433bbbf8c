"""Drive real HTTP at a running Footing server, as athletes and coaches do, and time it.

Usage (the server runs against a database filled by bench/generate.py):

    .venv/bin/python bench/load.py --base-url http://127.0.0.1:8765 \\
        --athletes 6 --coaches 2 --warmup 20 --duration 60 --out bench/results/load-1m.json

Each client is a thread with its own connection and cookie jar, and logs in through the
real login form (CSRF token included). Clients do not pause between requests.

- An athlete client (bench-athlete-0001, -0002, ...) starts a routine, opens the session
  page, logs every set by posting the page's own new-set form as htmx does (HX-Request,
  the CSRF header, the form's client_id and values, performed_at), opens the session page
  again half way, finishes, and opens the dashboard. Then the other routine.
- A coach client (bench-coach-001, whose roster has 50 athletes) opens the roster, then
  one athlete's dashboard, and every fourth round that athlete's CSV export.

Only requests that start inside the measured window count. Afterwards the athletes delete
the sessions they started, so the database stays the size it was. The report gives, per
endpoint: requests, errors, p50/p95/p99 and mean in ms, requests per second, and bytes.
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import PASSWORD, athlete_username, coach_username, machine_probe_ms

ROUTINES = ("ankle-stability", "dynamic-feet-ankles")
NEW_SET_FORM = re.compile(r'<form method="post" action="(/sessions/\d+/sets/)".*?</form>', re.S)
INPUT = re.compile(r"<input\b([^>]*)>")
SELECTED = re.compile(r'<select[^>]*name="(\w+)".*?<option value="(\d+)"[^>]*selected', re.S)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ATHLETE_LINK = re.compile(r'href="/coach/athletes/(\d+)/"')


@dataclass
class Sample:
    name: str
    status: int
    ms: float
    size: int
    ok: bool


@dataclass
class Window:
    """When measuring starts and stops; requests outside it are not recorded."""

    start: float
    end: float

    def measures(self, moment: float) -> bool:
        return self.start <= moment < self.end

    def over(self) -> bool:
        return time.monotonic() >= self.end


@dataclass
class Client:
    base: str
    window: Window
    samples: list[Sample]
    pause: float = 0.0
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        parts = urlsplit(self.base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(
        self,
        name: str,
        method: str,
        path: str,
        form: dict | None = None,
        *,
        htmx: bool = False,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int, dict[str, str], str]:
        """Send one request and read the whole answer; record it if inside the window."""
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Origin"] = self.base
        if htmx:
            headers["HX-Request"] = "true"
        began = time.monotonic()
        status, answer_headers, data = self._send(method, path, body, headers)
        elapsed = (time.monotonic() - began) * 1000
        if self.window.measures(began):
            self.samples.append(Sample(name, status, elapsed, len(data), status in expect))
        if self.pause:
            # A person reads, taps, rests: between 0.5 and 1.5 times the pause asked for.
            time.sleep(self.pause * random.uniform(0.5, 1.5))  # noqa: S311 - pacing only
        return status, answer_headers, data.decode("utf-8", "replace")

    def _send(self, method: str, path: str, body: str | None, headers: dict) -> tuple:
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # The server closed a kept-alive connection: open a new one once.
                self.conn.close()
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def login(self, username: str) -> None:
        _status, _headers, page = self.request("login page", "GET", "/accounts/login/")
        token = CSRF_INPUT.search(page).group(1)
        status, _headers, _page = self.request(
            "login",
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
            expect=(302,),
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not log in (HTTP {status})")


def new_set_forms(page: str) -> list[tuple[str, dict[str, str]]]:
    """Every new-set form on the session page, with the values it would post as it stands."""
    forms = []
    for match in NEW_SET_FORM.finditer(page):
        html = match.group(0)
        fields: dict[str, str] = {}
        for attrs in INPUT.findall(html):
            values = dict(ATTR.findall(attrs))
            if "name" in values:
                fields[values["name"]] = values.get("value", "")
        for name, value in SELECTED.findall(html):
            fields[name] = value
        fields.pop("csrfmiddlewaretoken", None)
        forms.append((match.group(1), fields))
    return forms


def fill(fields: dict[str, str], rng: random.Random) -> dict[str, str]:
    """What a tap on "Log set" sends: the default numbers, a time, sometimes effort."""
    sent = dict(fields)
    for name in ("value", "left", "right"):
        if name in sent and not sent[name]:
            sent[name] = str(rng.randint(5, 15))
    sent["performed_at"] = datetime.now(UTC).isoformat()
    sent["rpe"] = str(rng.randint(4, 8)) if rng.random() < 0.5 else ""
    return sent


def athlete_loop(client: Client, number: int, started: list[int]) -> None:
    """Start, log every set, finish, dashboard; until the window closes."""
    rng = random.Random(number)  # noqa: S311 - load mix, not security
    client.login(athlete_username(number))
    turn = number
    while not client.window.over():
        slug = ROUTINES[turn % 2]
        turn += 1
        _status, headers, _page = client.request(
            "start session", "POST", f"/routines/{slug}/start/", {}, expect=(302,)
        )
        location = headers.get("location", "")
        found = re.fullmatch(r"/sessions/(\d+)/", location)
        if not found:
            abandon_open_session(client, slug)
            continue
        session_path = location
        started.append(int(found.group(1)))
        _status, _headers, page = client.request("session page", "GET", session_path)
        forms = new_set_forms(page)
        for index, (action, fields) in enumerate(forms):
            client.request("log set", "POST", action, fill(fields, rng), htmx=True)
            if index == len(forms) // 2:
                client.request("session page", "GET", session_path)
        client.request(
            "finish session",
            "POST",
            f"{session_path}finish/",
            {"note": ""},
            htmx=True,
            expect=(200,),
        )
        client.request("dashboard", "GET", "/")


def abandon_open_session(client: Client, slug: str) -> None:
    """A session left open by an interrupted run blocks starting: stop it."""
    _status, _headers, page = client.request("start page", "GET", f"/routines/{slug}/start/")
    found = re.search(r'action="(/sessions/\d+/abandon/)"', page)
    if not found:
        raise RuntimeError("Could not start a session, and none is open to stop.")
    client.request("abandon", "POST", found.group(1), {}, expect=(302,))


def coach_loop(client: Client, number: int) -> None:
    """Roster, one athlete's dashboard, and now and then their CSV; until the window closes."""
    rng = random.Random(1000 + number)  # noqa: S311 - load mix, not security
    client.login(coach_username(1))
    rounds = number
    while not client.window.over():
        _status, _headers, page = client.request("roster", "GET", "/coach/?show=all")
        athletes = sorted(set(ATHLETE_LINK.findall(page)))
        if not athletes:
            raise RuntimeError("The coach's roster lists nobody.")
        pk = rng.choice(athletes)
        client.request("coach: athlete dashboard", "GET", f"/coach/athletes/{pk}/")
        if rounds % 4 == 0:
            client.request("csv export", "GET", f"/coach/athletes/{pk}/export.csv")
        rounds += 1


def clean_up(base: str, number: int, session_ids: list[int]) -> None:
    """Delete the sessions this athlete started, so every run meets the same database."""
    client = Client(base, Window(0, 0), [])
    client.login(athlete_username(number))
    for pk in session_ids:
        client.request("delete", "POST", f"/sessions/{pk}/delete/", {}, expect=(302,))


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, round(share * len(values) + 0.5))
    return values[min(rank, len(values)) - 1]


def summarise(samples: list[Sample], seconds: float) -> dict[str, dict]:
    by_name: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_name[sample.name].append(sample)
    report = {}
    for name, group in sorted(by_name.items()):
        times = sorted(s.ms for s in group)
        report[name] = {
            "requests": len(group),
            "errors": sum(1 for s in group if not s.ok),
            "p50_ms": round(percentile(times, 0.50), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "p99_ms": round(percentile(times, 0.99), 1),
            "mean_ms": round(statistics.fmean(times), 1),
            "per_second": round(len(group) / seconds, 1),
            "mean_bytes": round(statistics.fmean(s.size for s in group)),
        }
    return report


def run(args: argparse.Namespace) -> dict:
    now = time.monotonic()
    window = Window(now + args.warmup, now + args.warmup + args.duration)
    samples: list[Sample] = []
    started: dict[int, list[int]] = {n: [] for n in range(1, args.athletes + 1)}
    failures: list[str] = []

    def guarded(target, *target_args) -> None:
        try:
            target(*target_args)
        except Exception as error:
            failures.append(f"{target.__name__}{target_args[1:2]}: {error!r}")

    threads = [
        threading.Thread(
            target=guarded,
            args=(athlete_loop, Client(args.base_url, window, samples, args.pause), n, started[n]),
        )
        for n in range(1, args.athletes + 1)
    ] + [
        threading.Thread(
            target=guarded,
            args=(coach_loop, Client(args.base_url, window, samples, args.pause), n),
        )
        for n in range(1, args.coaches + 1)
    ]
    probe_before = machine_probe_ms()
    load_before = os.getloadavg()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load_after = os.getloadavg()
    probe_after = machine_probe_ms()
    for number, ids in started.items():
        clean_up(args.base_url, number, ids)
    return {
        "label": args.label,
        "base_url": args.base_url,
        "clients": {"athletes": args.athletes, "coaches": args.coaches},
        "pause_s": args.pause,
        "warmup_s": args.warmup,
        "duration_s": args.duration,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in load_after],
        # bench.common.machine_probe_ms before and after: the machine's speed at the time.
        "machine_probe_ms": [probe_before, probe_after],
        "failures": failures,
        "endpoints": summarise(samples, args.duration),
    }


def print_table(result: dict) -> None:
    print(
        f"{result['label']}: load average {result['load_average_after']}, "
        f"machine probe {result['machine_probe_ms']} ms (lower is faster)"
    )
    print(f"{'endpoint':<26}{'n':>6}{'err':>5}{'p50':>8}{'p95':>8}{'p99':>8}{'req/s':>8}{'KB':>8}")
    for name, row in result["endpoints"].items():
        print(
            f"{name:<26}{row['requests']:>6}{row['errors']:>5}{row['p50_ms']:>8}"
            f"{row['p95_ms']:>8}{row['p99_ms']:>8}{row['per_second']:>8}"
            f"{row['mean_bytes'] / 1024:>8.1f}"
        )
    for failure in result["failures"]:
        print("FAILED:", failure)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load a running Footing server as athletes and coaches; print and save "
        "per-endpoint latency.",
        epilog="The module docstring describes the flows.",
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    parser.add_argument("--athletes", type=int, default=6, help="athlete clients (default 6)")
    parser.add_argument("--coaches", type=int, default=2, help="coach clients (default 2)")
    parser.add_argument("--warmup", type=float, default=20, help="seconds not recorded first")
    parser.add_argument("--duration", type=float, default=60, help="seconds measured")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds each client waits after a request, +-50%% (default 0: no pause)",
    )
    parser.add_argument("--label", default="", help="a name for this run in the report")
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    result = run(args)
    print_table(result)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    if result["failures"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
