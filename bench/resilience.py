"""Resilience bench: restart PostgreSQL under load and check that no acknowledged set is lost.

What it does:

1. Makes a throwaway PostgreSQL cluster on a free port with the installed version
   (`pg_createcluster <version> footing_resilience_<pid> --port <port> -- --auth=trust`),
   creates a database, runs `manage.py migrate` (the catalogue comes with the migrations) and
   starts a session for each bench athlete.
2. Starts gunicorn (3 sync workers, DEBUG=0, HTTPS=0) on 127.0.0.1, so the app runs with its
   own production database settings: CONN_MAX_AGE, CONN_HEALTH_CHECKS and connect_timeout.
3. Each client is one athlete. It logs in through the login form, then logs every set of its
   session the way the page's outbox (static/js/outbox.js) posts it: the row's own fields and
   client_id, `HX-Request` and `X-CSRFToken` headers. Then it finishes the session and starts
   the next. A set that is not acknowledged (5xx, no answer, no logged row in the answer) is
   sent again with the same client_id after 2, 4, 8, 15 s, the outbox's schedule, and the sets
   after it wait. One probe client retries every 0.25 s instead, so recovery is measured to the
   quarter second and not to the back-off.
4. After a few seconds of load it stops PostgreSQL, waits --outage seconds and starts it again
   (--outage 0: `pg_ctlcluster restart`), while pg_isready, every 0.1 s, records when the
   database went down and when it answered again. The load goes on for --after seconds, then
   pending retries get --drain seconds to get through.
5. It checks that sets were acknowledged before the restart and after it; in the database,
   that every acknowledged set is stored exactly once and nothing is stored twice; that every
   set got through in the end and nothing was refused; that only requests sent while the
   database was down failed (up to --grace seconds after pg_isready saw it back); that the
   first set after that was acknowledged within --max-recovery seconds; and that the error
   page leaks nothing. It also records what /healthz answered meanwhile.

With --idle-restart no new sets are sent from 1.5 s before the restart until the database is
back. The workers then still hold connections the restart killed, which is the case
CONN_HEALTH_CHECKS is for; --without-health-checks runs the app with that setting off (from a
settings module outside the project) to show what it buys.

It exits 0 only if every check passes (1: a check failed; 2: the bench could not run), prints
a summary and writes bench/results/resilience.md (--append adds the run to it). The cluster,
the database and gunicorn are removed at the end, also after a failure or Ctrl-C; gunicorn's
logs stay in /tmp/footing-resilience-<pid>.

Run it as root (pg_createcluster needs it); it takes about a minute:

    .venv/bin/python bench/resilience.py

Against an existing cluster instead. This restarts that cluster for everyone who uses it, so
only do it on purpose:

    .venv/bin/python bench/resilience.py \\
        --database-url postgres://postgres@127.0.0.1:5432/footing_resilience \\
        --restart-command \\
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main restart"

The database in --database-url is created when it is missing and dropped at the end when this
script created it; otherwise only the bench athletes are deleted. DB_CONN_MAX_AGE and
DB_CONNECT_TIMEOUT from the environment reach gunicorn, so the same run can compare settings.
"""

from __future__ import annotations

import argparse
import atexit
import collections
import contextlib
import http.client
import itertools
import json
import os
import random
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
PASSWORD = "resilience-bench-password-1"  # noqa: S105 - throwaway bench accounts
OUTBOX_RETRY_SECONDS = (2.0, 4.0, 8.0, 15.0, 30.0)
PROBE_RETRY_SECONDS = (0.25,)
THINK_SECONDS = 0.05
ROUTINES = ("dynamic-feet-ankles", "ankle-stability")
REQUEST_TIMEOUT = 15.0  # outbox.js gives a send 15 s before it counts as unreachable
# What an error page must not show a stranger: a traceback, driver or settings details.
LEAK = re.compile(r"Traceback|psycopg|OperationalError|File \"|/work/|DATABASE|SECRET|settings")

# Run in `manage.py shell`: bench athletes share one password hash (hashing it per athlete
# would cost seconds) and each gets a started session on one of the two routines.
SETUP_CODE = """
import json, os
from django.contrib.auth.hashers import make_password
from accounts.models import User
from workouts import selectors, services
prefix, count = os.environ["BENCH_PREFIX"], int(os.environ["BENCH_ATHLETES"])
hashed = make_password(os.environ["BENCH_PASSWORD"])
routines = [selectors.routine_get(slug=s) for s in ("ankle-stability", "dynamic-feet-ankles")]
out = []
for i in range(count):
    user = User.objects.create(username=f"{prefix}{i:03d}", password=hashed)
    session = services.session_start(athlete=user, routine=routines[i % 2])
    out.append([user.username, session.get_absolute_url()])
print("BENCH-JSON" + json.dumps(out))
"""

CLEANUP_CODE = """
import os
from accounts.models import User
from workouts.models import WorkoutSession
prefix = os.environ["BENCH_PREFIX"]
WorkoutSession.objects.filter(athlete__username__startswith=prefix).delete()
User.objects.filter(username__startswith=prefix).delete()
"""


class BenchError(RuntimeError):
    """The bench could not set itself up; not a finding about the app."""


def now() -> float:
    return time.monotonic()


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def run(args: list[str], *, env: dict[str, str] | None = None, check: bool = True) -> str:
    """Run a command we spelled out ourselves; its output is kept for the error message."""
    done = subprocess.run(  # noqa: S603 - arguments are ours, never from a request
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        raise BenchError(f"{shlex.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BenchError(f"{name} is not installed")
    return path


# --- The database --------------------------------------------------------------------------


@dataclass
class Database:
    """Where the app's data lives and how to restart it."""

    url: str
    restart: list[list[str]] | str  # commands run in turn, `outage` apart; or a shell line
    outage: float

    @property
    def parts(self) -> tuple[str, str, str]:
        split = urlsplit(self.url)
        return split.hostname or HOST, str(split.port or 5432), unquote(split.path.lstrip("/"))

    def ready(self) -> bool:
        host, port, _ = self.parts
        done = subprocess.run(  # noqa: S603 - fixed arguments
            [tool("pg_isready"), "-q", "-h", host, "-p", port, "-t", "1"], check=False
        )
        return done.returncode == 0

    def psql(self, sql: str, *, database: str | None = None) -> list[list[str]]:
        split = urlsplit(self.url)
        env = os.environ | {"PGPASSWORD": unquote(split.password or "")}
        host, port, name = self.parts
        user = unquote(split.username or "postgres")
        out = run(
            [
                *[tool("psql"), "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1"],
                *["-h", host, "-p", port, "-U", user, "-d", database or name, "-c", sql],
            ],
            env=env,
        )
        return [line.split("\t") for line in out.splitlines() if line]

    def restart_now(self) -> None:
        """Stop and start (or run the given command); returns when the command has finished."""
        if isinstance(self.restart, str):
            done = subprocess.run(self.restart, shell=True, check=False)  # noqa: S602 - operator's
            if done.returncode != 0:
                raise BenchError(f"{self.restart!r} exited with {done.returncode}")
            return
        for i, command in enumerate(self.restart):
            if i:
                time.sleep(self.outage)
            run(command)

    def describe(self) -> str:
        if isinstance(self.restart, str):
            return self.restart
        commands = [shlex.join([Path(c[0]).name, *c[1:]]) for c in self.restart]
        return f"; sleep {self.outage:g}; ".join(commands)


def free_port(start: int) -> int:
    taken = {int(p) for p in re.findall(r"^\S+\s+\S+\s+(\d+)", run([tool("pg_lsclusters")]), re.M)}
    for port in range(start, start + 100):
        if port in taken:
            continue
        with socket.socket() as probe:
            if probe.connect_ex((HOST, port)) != 0:
                return port
    raise BenchError(f"no free port from {start}")


def private_database(outage: float, cleanups: list) -> Database:
    """A new cluster on a free port, so nobody else's PostgreSQL is restarted. Its removal
    is queued before it is made, so even an interrupted creation is cleaned up."""
    versions = sorted(
        (p.name for p in Path("/etc/postgresql").iterdir() if p.name.isdigit()), key=int
    )
    if not versions:
        raise BenchError("no PostgreSQL under /etc/postgresql")
    version, name, port = versions[-1], f"footing_resilience_{os.getpid()}", free_port(5433)
    ctl = [tool("pg_ctlcluster"), "--skip-systemctl-redirect", version, name]
    database = Database(
        url=f"postgres://postgres@{HOST}:{port}/footing_resilience",
        # No outage: a plain restart, down for about a second.
        restart=[[*ctl, "stop", "--mode", "fast"], [*ctl, "start"]]
        if outage > 0
        else [[*ctl, "restart", "--mode", "fast"]],
        outage=outage,
    )
    log(f"creating PostgreSQL {version} cluster {name} on port {port}")
    cleanups.append(lambda: run([tool("pg_dropcluster"), "--stop", version, name], check=False))
    run([tool("pg_createcluster"), version, name, "--port", str(port), "--", "--auth=trust"])
    run([*ctl, "start"])
    database.psql("CREATE DATABASE footing_resilience", database="postgres")
    return database


def existing_database(url: str, command: str, cleanups: list) -> Database:
    """The operator's cluster: create the database if missing and drop it only if we did."""
    database = Database(url=url, restart=command, outage=0.0)
    _, _, name = database.parts
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise BenchError(f"database name {name!r}: use letters, digits and _ only")
    found = database.psql(
        f"SELECT 1 FROM pg_database WHERE datname = '{name}'",  # noqa: S608 - checked above
        database="postgres",
    )
    if not found:
        cleanups.append(
            lambda: database.psql(f"DROP DATABASE {name} WITH (FORCE)", database="postgres")
        )
        database.psql(f"CREATE DATABASE {name}", database="postgres")
    return database


# --- The app -------------------------------------------------------------------------------


def app_env(database_url: str) -> dict[str, str]:
    return os.environ | {
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        # Serve static files from the app folders; the bench does not run collectstatic.
        "STATIC_MANIFEST": "0",
        "DATABASE_REPLICA_URL": "",
        "PYTHONUNBUFFERED": "1",
    }


def prepare_app(env: dict[str, str], prefix: str, athletes: int) -> list[tuple[str, str]]:
    log("migrating and starting a session for each bench athlete")
    run([str(PYTHON), "manage.py", "migrate", "--no-input"], env=env)
    setup_env = env | {"BENCH_PREFIX": prefix, "BENCH_ATHLETES": str(athletes)}
    setup_env["BENCH_PASSWORD"] = PASSWORD
    out = run([str(PYTHON), "manage.py", "shell", "-c", SETUP_CODE], env=setup_env)
    line = next(line for line in out.splitlines() if line.startswith("BENCH-JSON"))
    return [tuple(pair) for pair in json.loads(line.removeprefix("BENCH-JSON"))]


def without_health_checks(env: dict[str, str], logs: Path) -> dict[str, str]:
    """For comparison only: the app's settings with CONN_HEALTH_CHECKS off, from a module
    outside the project, so nobody's settings file changes."""
    (logs / "resilience_settings.py").write_text(
        "from config.settings import *  # noqa: F403\n"
        "DATABASES['default']['CONN_HEALTH_CHECKS'] = False  # noqa: F405\n"
    )
    return env | {
        "DJANGO_SETTINGS_MODULE": "resilience_settings",
        "PYTHONPATH": os.pathsep.join([str(logs), str(ROOT)]),
    }


def start_gunicorn(env: dict[str, str], port: int, logs: Path, cleanups: list) -> None:
    """Start it, queue its stop at once, and wait until it serves the login page."""
    log(f"starting gunicorn (3 workers) on {HOST}:{port}")
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            *[str(GUNICORN), "config.wsgi:application", "--bind", f"{HOST}:{port}"],
            *["--workers", "3", "--access-logfile", str(logs / "access.log")],
            *["--error-logfile", str(logs / "error.log")],
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(logs / "stderr.log").open("w"),
        start_new_session=True,  # its own process group: stopped as one at the end
    )
    cleanups.append(lambda: stop_process_group(process))
    deadline = now() + 30
    while now() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited:\n{(logs / 'error.log').read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            if Browser(port).request("GET", "/accounts/login/").status == 200:
                return
        time.sleep(0.3)
    raise BenchError("gunicorn did not answer within 30 s")


def stop_process_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- A browser: cookies, the login form, the session page's set forms ----------------------


@dataclass
class Row:
    """One set form of the session page, with the fields its outbox would send."""

    url: str
    anchor: str
    fields: dict[str, str]


class SetFormParser(HTMLParser):
    """Collects every `form[data-outbox]` (a new set) with its inputs, as FormData would."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.anchor = ""
        self.form: Row | None = None
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "li" and "set-row" in a.get("class", "").split():
            self.anchor = a.get("id", "")
        elif tag == "form" and "data-outbox" in a and a.get("data-kind") == "new":
            self.form = Row(url=a["action"], anchor=self.anchor, fields={})
        elif self.form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in {"button", "submit"}:
            self.form.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select, self.options = a.get("name"), []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.form.fields[self.textarea] = ""

    def handle_data(self, data: str) -> None:
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if self.form is None:
            return
        if tag == "select" and self.select:
            chosen = [v for v, selected in self.options if selected]
            chosen = chosen or [v for v, _ in self.options[:1]]
            if chosen:
                self.form.fields[self.select] = chosen[0]
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            # outbox.js drops the form's CSRF field and sends the cookie's token as a header.
            self.form.fields.pop("csrfmiddlewaretoken", None)
            self.rows.append(self.form)
            self.form = None


@dataclass
class Response:
    status: int
    content_type: str
    location: str
    body: str


class Browser:
    """One athlete's phone: a cookie jar and a fresh connection per request (gunicorn's sync
    workers close each connection anyway)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"http://{HOST}:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, htmx: bool = False):
        """One request; raises OSError or HTTPException when there is no answer."""
        headers = {"Origin": self.origin}
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            self.cookies.update({k: m.value for k, m in jar.items()})
        return Response(
            answer.status,
            answer.headers.get("Content-Type", ""),
            answer.headers.get("Location", ""),
            text,
        )

    def log_in(self, username: str) -> None:
        """Through the login form, with its CSRF token, as a person would."""
        page = self.request("GET", "/accounts/login/").body
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise BenchError("the login page has no CSRF token")
        form = {"csrfmiddlewaretoken": token[1], "username": username, "password": PASSWORD}
        answer = self.request("POST", "/accounts/login/", urlencode(form | {"next": ""}))
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise BenchError(f"logging in {username} answered {answer.status}")


# --- The load ------------------------------------------------------------------------------


@dataclass
class Attempt:
    """One request. kind is "set" (a POSTed set) or "page" (opening, finishing, starting a
    session). outcome is outbox.js's: ok, unreachable, refused or signed-out."""

    kind: str
    client_id: str
    number: int
    sent: float
    answered: float
    status: int | None
    outcome: str
    detail: str
    content_type: str = ""
    probe: bool = False
    # The wall clock at sending, to compare with the server's received_at.
    wall: float = field(default_factory=time.time)


def outcome_of(status: int, logged: bool) -> str:
    """outbox.js's send(): 2xx without the logged row, 5xx, 408/425/429: try again later."""
    if 200 <= status < 300:
        return "ok" if logged else "unreachable"
    if status in {401, 403} or 300 <= status < 400:
        return "signed-out"
    if status >= 500 or status in {408, 425, 429}:
        return "unreachable"
    return "refused"


@dataclass
class Load:
    stop_new: threading.Event = field(default_factory=threading.Event)
    # Cleared while the load pauses around the restart (--idle-restart).
    going: threading.Event = field(default_factory=threading.Event)
    stop_all: threading.Event = field(default_factory=threading.Event)
    attempts: list[Attempt] = field(default_factory=list)
    sessions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)


class Athlete:
    """One client: logs every set of a session in order, finishes it, starts the next one.
    Whatever fails is sent again, the same request with the same client_id, after `retry`
    seconds; the sets after it wait, as they do in the outbox."""

    def __init__(self, load: Load, browser: Browser, session_url: str, *, probe: bool) -> None:
        self.load = load
        self.browser = browser
        self.session_url = session_url
        self.probe = probe
        self.retry = PROBE_RETRY_SECONDS if probe else OUTBOX_RETRY_SECONDS
        self.think = 0.1 if probe else THINK_SECONDS
        self.rng = random.Random()  # noqa: S311 - jitter, not security

    def run(self) -> None:
        url: str | None = self.session_url
        for slug in itertools.cycle(ROUTINES):
            rows = self.rows(url) if url else None
            if not rows:  # the bench is over, or the page has no set form (a bench bug)
                return
            for row in rows:
                self.load.going.wait()
                if self.load.stop_new.is_set():
                    return
                self.log_set(row)
                self.load.stop_new.wait(self.think)
            if self.load.stop_new.is_set():
                return
            url = self.next_session(url, slug)

    def wait(self, number: int) -> bool:
        """Back off before try number+1; True when the bench is over."""
        delay = self.retry[min(number - 1, len(self.retry) - 1)]
        return self.load.stop_all.wait(delay * (0.8 + self.rng.random() * 0.4))

    def log_set(self, row: Row) -> None:
        fields = row.fields | {"performed_at": datetime.now(UTC).isoformat()}
        body = urlencode(fields)
        for number in itertools.count(1):
            sent, wall = now(), time.time()
            try:
                answer = self.browser.request("POST", row.url, body, htmx=True)
            except (OSError, http.client.HTTPException) as error:
                status, outcome, detail, ctype = None, "unreachable", describe(error), ""
            else:
                logged = f'<li class="set-row is-logged" id="{row.anchor}"' in answer.body
                status, ctype = answer.status, answer.content_type
                outcome = outcome_of(status, logged)
                detail = "" if outcome == "ok" else answer.body[:300]
            self.load.record(
                Attempt(
                    kind="set",
                    client_id=fields["client_id"],
                    number=number,
                    sent=sent,
                    answered=now(),
                    status=status,
                    outcome=outcome,
                    detail=detail,
                    content_type=ctype,
                    probe=self.probe,
                    wall=wall,
                )
            )
            if outcome != "unreachable" or self.wait(number):
                return

    def page(self, method: str, path: str, body: str | None = None) -> Response | None:
        """Open or post a page until the server answers below 500; None when refused or the
        bench is over."""
        for number in itertools.count(1):
            sent = now()
            answer: Response | None = None
            try:
                answer = self.browser.request(method, path, body)
            except (OSError, http.client.HTTPException) as error:
                status, outcome, detail, ctype = None, "unreachable", describe(error), ""
            else:
                status, ctype = answer.status, answer.content_type
                outcome = "unreachable" if status >= 500 else "ok" if status < 400 else "refused"
                detail = "" if outcome == "ok" else answer.body[:300]
            self.load.record(
                Attempt(
                    kind="page",
                    client_id="",
                    number=number,
                    sent=sent,
                    answered=now(),
                    status=status,
                    outcome=outcome,
                    detail=detail,
                    content_type=ctype,
                    probe=self.probe,
                )
            )
            if outcome == "ok":
                return answer
            if outcome == "refused" or self.wait(number):
                return None
        return None

    def rows(self, url: str) -> list[Row] | None:
        answer = self.page("GET", url)
        if answer is None:
            return None
        parser = SetFormParser()
        parser.feed(answer.body)
        return parser.rows

    def next_session(self, url: str, slug: str) -> str | None:
        """Finish this session (a no-op when already finished) and start the next."""
        if self.page("POST", f"{url}finish/", urlencode({"note": ""})) is None:
            return None
        start = f"/routines/{slug}/start/"
        answer = self.page("POST", start, "")
        if answer is None:
            return None
        with self.load.lock:
            self.load.sessions += 1
        opened = re.search(r"/sessions/\d+/$", answer.location)
        if opened:
            return opened[0]
        # Already open: an earlier try started it and its answer was lost. Resume that one.
        answer = self.page("GET", start)
        found = answer and re.search(r'href="(/sessions/\d+/)"', answer.body)
        return found[1] if found else None


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


class ReadinessMonitor(threading.Thread):
    """Polls pg_isready every 0.1 s and keeps (time, ready) pairs."""

    def __init__(self, database: Database) -> None:
        super().__init__(daemon=True)
        self.database = database
        self.samples: list[tuple[float, bool]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.samples.append((now(), self.database.ready()))
            self.done.wait(0.1)


class HealthMonitor(threading.Thread):
    """Asks the app's /healthz every 0.25 s, as the proxy would, and keeps (time, status).
    It pauses with the load: with --idle-restart its requests would meet the killed
    connections first and hide what the clients' requests would otherwise meet."""

    def __init__(self, port: int, going: threading.Event) -> None:
        super().__init__(daemon=True)
        self.browser = Browser(port)
        self.going = going
        self.samples: list[tuple[float, int | None]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.going.wait()
            try:
                status: int | None = self.browser.request("GET", "/healthz").status
            except (OSError, http.client.HTTPException):
                status = None
            self.samples.append((now(), status))
            self.done.wait(0.25)

    def summary(self, restart: float) -> str:
        bad = [t for t, status in self.samples if status != 200]
        statuses = collections.Counter(status for _, status in self.samples)
        if statuses.keys() <= {404}:
            return "no /healthz in this version"
        counted = ", ".join(f"{n} x {status or 'no answer'}" for status, n in statuses.items())
        if not bad:
            return f"200 throughout ({counted})"
        return f"not 200 from {bad[0] - restart:+.2f} s to {bad[-1] - restart:+.2f} s ({counted})"


# --- Checking ------------------------------------------------------------------------------


@dataclass
class Timeline:
    start: float  # load began
    restart: float  # the restart command began
    restart_done: float  # it returned
    down: float | None  # first failed pg_isready after the restart began
    up: float  # first good pg_isready after the last bad one
    resumed: float = 0.0  # new sets flow again (later than `up` with --idle-restart)
    health: str = ""  # what /healthz answered meanwhile


def timeline(start: float, restart: float, done: float, samples) -> Timeline:
    """The database is back at the first good pg_isready after the last bad one: pg_ctlcluster
    itself returns a moment later, so its return would flatter the recovery time."""
    after = [(t, ok) for t, ok in samples if t >= restart]
    failed = [t for t, ok in after if not ok]
    last_failed = failed[-1] if failed else done
    up = next((t for t, ok in after if ok and t > last_failed), done)
    return Timeline(start, restart, done, failed[0] if failed else None, up)


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


def stored_sets(database: Database, prefix: str) -> list[list[str]]:
    # The prefix is ours: letters and digits only.
    query = (
        "SELECT l.client_id, l.session_exercise_id, l.round,"  # noqa: S608
        " extract(epoch FROM l.received_at) FROM workouts_setlog l"
        " JOIN workouts_workoutsession s ON s.id = l.session_id"
        " JOIN accounts_user u ON u.id = s.athlete_id"
        f" WHERE u.username LIKE '{prefix}%'"
    )
    return database.psql(query)


def app_exceptions(logs: Path) -> collections.Counter:
    """The exception each 5xx ended with (the last of its chain), counted. Django logs a
    500 as "Internal Server Error" and the outage page (config/errors.py, 503) as
    "Service Unavailable"."""
    text = (logs / "stderr.log").read_text(errors="replace")
    counts: collections.Counter = collections.Counter()
    for block in re.split(r"(?:Internal Server Error|Service Unavailable): ", text)[1:]:
        found = re.findall(r"^((?:[\w.]+\.)?\w*(?:Error|Exception)): (.*)$", block, re.M)
        if found:
            kind, message = found[-1]
            message = re.sub(r"connection to server at \S+, port \d+ failed: ", "", message)
            counts[f"{kind}: {' '.join(message.split())[:120]}"] += 1
    return counts


def page_title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    return " ".join((found[1] if found else html).split())[:80]


def evaluate(
    attempts: list[Attempt],
    stored: list[list[str]],
    times: Timeline,
    args: argparse.Namespace,
) -> tuple[list[Check], dict]:
    by_id: dict[str, list[Attempt]] = collections.defaultdict(list)
    for attempt in attempts:
        if attempt.kind == "set":
            by_id[attempt.client_id].append(attempt)
    acknowledged = {cid for cid, tries in by_id.items() if any(a.outcome == "ok" for a in tries)}
    counts = collections.Counter(row[0] for row in stored)
    per_row = collections.Counter((row[1], row[2]) for row in stored)
    failures = [a for a in attempts if a.outcome == "unreachable"]
    # A request sent while the database was down may be answered after it is back; one sent
    # after it is back must not fail.
    window_end = times.up + args.grace
    outside = [a for a in failures if a.answered < times.restart or a.sent > window_end]
    refused = [a for a in attempts if a.outcome in {"refused", "signed-out"}]
    # From the moment the database is back and sets are being sent again.
    back = max(times.up, times.resumed)
    after_up = sorted(
        (a for a in attempts if a.kind == "set" and a.sent >= back), key=lambda a: a.sent
    )
    first_ok = next((a for a in after_up if a.outcome == "ok"), None)
    recovery = None if first_ok is None else first_ok.answered - back
    errors_after_up = [a for a in failures if a.sent >= times.up]
    retried = [cid for cid, tries in by_id.items() if tries[0].outcome == "unreachable"]
    pages = collections.Counter(
        (a.status, a.content_type.split(";")[0], page_title(a.detail))
        for a in failures
        if a.status is not None
    )
    leaks = [a for a in failures if a.status is not None and LEAK.search(a.detail)]
    missing = sorted(acknowledged - set(counts))
    # A failed attempt that had stored the set anyway (the database went away after the commit,
    # while the answer was being drawn): the retry must have been a replay, not a new set.
    received = {row[0]: float(row[3]) for row in stored}
    replayed = [
        cid
        for cid in retried
        if cid in received
        and received[cid] < next((a.wall for a in by_id[cid] if a.outcome == "ok"), 0.0)
    ]
    twice = [cid for cid, n in counts.items() if n > 1] + [k for k, n in per_row.items() if n > 1]
    unacknowledged = sorted(set(counts) - acknowledged)
    pending = sorted(set(by_id) - acknowledged)
    unknown = sorted(set(counts) - set(by_id))

    def rel(t: float) -> str:
        return f"{t - times.restart:+.2f} s"

    ok_sets = [a for a in attempts if a.kind == "set" and a.outcome == "ok"]
    before = sum(1 for a in ok_sets if a.answered < times.restart)
    after = sum(1 for a in ok_sets if a.sent >= back)
    checks = [
        Check(
            "the load ran on both sides of the restart",
            before > 0 and after > 0,
            f"{before} sets acknowledged before the restart, {after} after the database was back",
        ),
        Check(
            "every acknowledged set is in the database",
            not missing,
            f"{len(acknowledged) - len(missing)} of {len(acknowledged)} found",
        ),
        Check("no set is stored twice", not twice, f"{len(twice)} duplicates"),
        Check(
            "every stored set was one we sent and was acknowledged in the end",
            not unacknowledged and not unknown,
            f"{len(unacknowledged)} stored but never acknowledged, {len(unknown)} unknown",
        ),
        Check(
            "every set got through in the end (retries with the same client_id)",
            not pending,
            f"{len(retried) - len(pending)} of {len(retried)} retried sets got through;"
            f" {len(pending)} still pending",
        ),
        Check(
            "nothing refused (a 409 would mean a retry was taken for a new set)",
            not refused,
            ", ".join(f"{a.status} {a.detail[:60]!r}" for a in refused[:3]) or "none",
        ),
        Check(
            "errors only for requests sent while the database was down",
            (bool(failures) or args.idle_restart) and not outside,
            f"{len(failures)} errors from {rel(min(a.sent for a in failures))}"
            f" to {rel(max(a.answered for a in failures))}; {len(outside)} sent after"
            f" {rel(window_end)} or answered before the restart"
            if failures
            else "no errors at all"
            + ("" if args.idle_restart else ": the restart was not noticed, nothing was tested"),
        ),
        Check(
            f"recovered by itself within {args.max_recovery:g} s",
            recovery is not None and recovery <= args.max_recovery,
            "never" if recovery is None else f"first set acknowledged {recovery:.2f} s after",
        ),
        Check(
            "error pages leak nothing (no traceback, driver or settings)",
            not leaks,
            f"{len(leaks)} pages leak" if leaks else "clean",
        ),
    ]
    figures = {
        "sets": len(by_id),
        "requests": sum(len(tries) for tries in by_id.values()),
        "page_requests": sum(1 for a in attempts if a.kind == "page"),
        "page_errors": sum(1 for a in failures if a.kind == "page"),
        "acknowledged": len(acknowledged),
        "found": len(acknowledged) - len(missing),
        "stored": len(stored),
        "duplicates": len(twice),
        "first_errors": len(retried),
        "first_errors_http": sum(1 for c in retried if by_id[c][0].status is not None),
        "retried_ok": len(retried) - len(pending),
        "replayed": len(replayed),
        "errors": len(failures),
        "errors_after_up": len(errors_after_up),
        "last_error": max((a.answered for a in failures), default=None),
        "first_error": min((a.sent for a in failures), default=None),
        "recovery": recovery,
        "pages": pages,
        "probe_requests": sum(1 for a in attempts if a.probe),
    }
    return checks, figures


# --- Reporting -----------------------------------------------------------------------------


def report(
    checks: list[Check],
    figures: dict,
    times: Timeline,
    exceptions: collections.Counter,
    args: argparse.Namespace,
    command: str,
) -> str:
    def rel(t: float | None) -> str:
        return "-" if t is None else f"{t - times.restart:+.2f} s"

    load_seconds = times.restart - times.start
    down = "not seen by pg_isready" if times.down is None else rel(times.down)
    pages = "; ".join(
        f"{n} x {status} {ctype} `{text}`" for (status, ctype, text), n in figures["pages"].items()
    )
    rows = [
        ("sets sent (distinct client_id)", figures["sets"]),
        ("set requests, retries included", figures["requests"]),
        (
            "other requests (open, finish, start a session)",
            f"{figures['page_requests']} ({figures['page_errors']} failed;"
            f" {figures['sessions']} sessions started)",
        ),
        ("acknowledged (2xx with the logged row)", figures["acknowledged"]),
        ("acknowledged and found in the database", figures["found"]),
        ("stored in the database", figures["stored"]),
        ("stored twice", figures["duplicates"]),
        (
            "sets whose first attempt failed",
            f"{figures['first_errors']} ({figures['first_errors_http']} answered 5xx,"
            f" {figures['first_errors'] - figures['first_errors_http']} no answer)",
        ),
        ("of those, got through on a retry", figures["retried_ok"]),
        (
            "of those, already stored by the failed attempt (the retry was answered as a replay)",
            figures["replayed"],
        ),
        (
            "failed requests (all kinds), when",
            f"{figures['errors']}, from {rel(figures['first_error'])}"
            f" to {rel(figures['last_error'])}",
        ),
        ("failed requests sent after the database was back", figures["errors_after_up"]),
        (
            "database down (restart began at 0)",
            f"down at {down}, back at {rel(times.up)} (restart command took"
            f" {times.restart_done - times.restart:.2f} s)",
        ),
        (
            "recovery: database back (and sets sent again) to first set acknowledged",
            "never" if figures["recovery"] is None else f"{figures['recovery']:.2f} s",
        ),
        ("error answers seen by clients", pages or "none with an HTTP answer"),
        ("/healthz every 0.25 s", times.health),
    ]
    checks_on = "off" if args.without_health_checks else "on"
    lines = [
        f"## Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{args.clients} athletes and 1 probe against gunicorn with 3 sync workers;"
        f" {load_seconds:.1f} s of load before the restart, {args.after:g} s after"
        + (
            "; no new sets from 1.5 s before the restart until the database was back."
            if args.idle_restart
            else "; the load went on through the restart."
        ),
        f"Database settings: CONN_MAX_AGE {os.environ.get('DB_CONN_MAX_AGE') or 60},"
        f" CONN_HEALTH_CHECKS {checks_on},"
        f" connect_timeout {os.environ.get('DB_CONNECT_TIMEOUT') or 5}.",
        f"Restart: `{command}`.",
        "",
        "| measure | value |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in rows],
        "",
        "| check | result | detail |",
        "|---|---|---|",
        *[f"| {c.name} | {'pass' if c.passed else 'FAIL'} | {c.detail} |" for c in checks],
        "",
        "Exceptions the app logged (with each 5xx):",
        "",
        *([f"- {n} x `{text}`" for text, n in exceptions.most_common(6)] or ["- none"]),
        "",
        f"How it was run: `{shlex.join([str(PYTHON.relative_to(ROOT)), *sys.argv])}`.",
        "Times are from a monotonic clock, relative to the start of the restart command.",
        "",
    ]
    return "\n".join(lines)


# --- Main ----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", help="use this database instead of a private cluster")
    parser.add_argument(
        "--restart-command", help="shell command that restarts that database's PostgreSQL"
    )
    parser.add_argument(
        "--outage",
        type=float,
        default=3.0,
        help="seconds stopped (private cluster; default 3; 0: pg_ctlcluster restart)",
    )
    parser.add_argument(
        "--clients", type=int, default=6, help="athletes posting sets (default 6), plus a probe"
    )
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before")
    parser.add_argument("--after", type=float, default=15.0, help="seconds of load after")
    parser.add_argument("--drain", type=float, default=35.0, help="seconds for pending retries")
    parser.add_argument(
        "--grace",
        type=float,
        default=1.0,
        help="a request sent this long after pg_isready saw the database back may still fail"
        " (default 1 s: pg_isready samples every 0.1 s)",
    )
    parser.add_argument(
        "--idle-restart",
        action="store_true",
        help="pause the load from 1.5 s before the restart until the database is back: the"
        " workers then hold connections the restart killed (what CONN_HEALTH_CHECKS is for)",
    )
    parser.add_argument("--max-recovery", type=float, default=5.0, help="seconds (default 5)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn port (0: a free one)")
    parser.add_argument(
        "--append", action="store_true", help="add this run to the results file, keep the rest"
    )
    parser.add_argument(
        "--without-health-checks",
        action="store_true",
        help="run the app with CONN_HEALTH_CHECKS off, to see what the setting buys",
    )
    parser.add_argument(
        "--results", type=Path, default=ROOT / "bench" / "results" / "resilience.md"
    )
    args = parser.parse_args()
    if bool(args.database_url) != bool(args.restart_command):
        parser.error("--database-url and --restart-command go together")
    return args


def pick_port(wanted: int) -> int:
    with socket.socket() as sock:
        sock.bind((HOST, wanted))
        return sock.getsockname()[1]


def logged_in(port: int, username: str) -> Browser:
    browser = Browser(port)
    browser.log_in(username)
    return browser


def run_load(load: Load, clients: list[Athlete], database: Database, args) -> Timeline:
    """Load, restart, more load, drain; returns when it all happened."""
    # Daemons: a Ctrl-C or SIGTERM must not wait for clients that would retry for a while.
    threads = [threading.Thread(target=client.run, daemon=True) for client in clients]
    monitor = ReadinessMonitor(database)
    health = HealthMonitor(clients[0].browser.port, load.going)
    start = now()
    load.going.set()
    for thread in threads:
        thread.start()
    monitor.start()
    health.start()
    time.sleep(args.warmup)
    if args.idle_restart:
        log("pausing the load")
        load.going.clear()
        time.sleep(1.5)
    log("restarting PostgreSQL")
    restart = now()
    database.restart_now()
    restart_done = now()
    while not database.ready():
        time.sleep(0.05)
    load.going.set()
    resumed = now()
    log(f"restart command done after {restart_done - restart:.1f} s; load goes on")
    time.sleep(args.after)
    load.stop_new.set()
    log("no new sets; waiting for pending retries")
    deadline = now() + args.drain
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - now()))
    load.stop_all.set()
    for thread in threads:
        thread.join()
    for watcher in (monitor, health):
        watcher.done.set()
        watcher.join()
    times = timeline(start, restart, restart_done, monitor.samples)
    times.resumed = resumed if args.idle_restart else times.up
    times.health = health.summary(restart)
    return times


RESULTS_HEADER = """# Resilience: PostgreSQL restarted under load

Written by `bench/resilience.py`; its docstring says what each check means.

"""


def write_results(path: Path, text: str, *, append: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    before = path.read_text() if append and path.exists() else RESULTS_HEADER
    path.write_text(before.rstrip("\n") + "\n\n" + text)


def bench(args: argparse.Namespace, logs: Path, cleanups: list) -> int:
    if args.database_url:
        database = existing_database(args.database_url, args.restart_command, cleanups)
        command = args.restart_command
    else:
        database = private_database(args.outage, cleanups)
        command = database.describe()
    env = app_env(database.url)
    prefix = f"rb{secrets.token_hex(3)}"
    athletes = prepare_app(env, prefix, args.clients + 1)
    if args.database_url:
        # A shared database keeps nothing of the bench (a private cluster is dropped whole).
        cleanups.append(
            lambda: run(
                [str(PYTHON), "manage.py", "shell", "-c", CLEANUP_CODE],
                env=env | {"BENCH_PREFIX": prefix},
                check=False,
            )
        )
    port = pick_port(args.port)
    if args.without_health_checks:
        env = without_health_checks(env, logs)
    start_gunicorn(env, port, logs, cleanups)
    load = Load()
    clients = [
        Athlete(load, logged_in(port, username), url, probe=i == 0)
        for i, (username, url) in enumerate(athletes)
    ]
    log(f"{len(clients)} athletes logged in through the login form")
    times = run_load(load, clients, database, args)
    cleanups.pop()()  # gunicorn stops first, so its log is complete before it is read
    checks, figures = evaluate(load.attempts, stored_sets(database, prefix), times, args)
    figures["sessions"] = load.sessions
    text = report(checks, figures, times, app_exceptions(logs), args, command)
    write_results(args.results, text, append=args.append)
    print(text)
    log(f"written to {args.results}")
    return 0 if all(c.passed for c in checks) else 1


def main() -> int:
    args = parse_args()
    cleanups: list = []

    def clean() -> None:
        while cleanups:
            with contextlib.suppress(Exception):
                cleanups.pop()()

    atexit.register(clean)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / f"footing-resilience-{os.getpid()}"  # noqa: S108
    logs.mkdir(parents=True, exist_ok=True)
    try:
        return bench(args, logs, cleanups)
    except BenchError as error:
        log(f"bench could not run: {error}")
        return 2
    finally:
        log("cleaning up what the bench made (gunicorn, bench data, cluster or database)")
        clean()
        log(f"gunicorn logs kept in {logs}")


if __name__ == "__main__":
    sys.exit(main())
