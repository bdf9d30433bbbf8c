"""What a phone downloads for the session page, and what Lighthouse thinks of it.

Serves Footing the way production does: DEBUG=0, gunicorn, HTTPS (a throwaway self-signed
certificate that Chromium is told to trust), and whitenoise's hashed, pre-compressed static
files (.br and .gz) from `collectstatic`, collected from a copy of static/ whose own modules
are minified by tools/browser/minify.mjs, the script the Docker image runs. Differences,
stated plainly: HTTP/1.1 straight from gunicorn (production has nginx with HTTP/2 in
front), and nginx's gzip of the pages and /sw.js is done by this server instead (nginx's
level 1; stock nginx has no brotli).

Then, in Chromium:
  * first visit to the session page, empty cache: bytes on the wire per kind (HTML, JS,
    CSS, other), from the DevTools protocol (`encodedDataLength`: headers plus compressed
    body), plus what the service worker fetches to fill its cache (from the server's log);
  * repeat visit in the same browser, cache and service worker warm;
  * Lighthouse 12 (mobile, the default) on the session page and the dashboard.

It then logs one set on the session page through the outbox, with the minified files, and
fails on any console error or Content-Security-Policy violation.

Run:  .venv/bin/python bench/frontend.py            (needs: npm ci --prefix tools/browser)
      .venv/bin/python bench/frontend.py --no-lighthouse
      .venv/bin/python bench/frontend.py --as-before  (the old way: plain HTTP, gzip only,
                                                       sources as written; or any of
                                                       --http, --gzip-only, --no-minify)
Uses its own SQLite database, certificate and static folders in a temporary directory;
port 8899.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import os
import secrets
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "tools" / "browser" / "node_modules" / ".bin" / "lighthouse"
MINIFY = ROOT / "tools" / "browser" / "minify.mjs"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KB = 1024
TARGETS = {"first_total": 60 * KB, "first_js": 25 * KB, "repeat_total": 10 * KB}
LIGHTHOUSE_TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}


# --- The WSGI app gunicorn serves: Footing, with HTML gzipped as nginx would ---------------


# nginx compresses text/html always, plus its `gzip_types` (deploy/nginx.conf).
GZIP_TYPES = (
    "text/html",
    "text/css",
    "application/javascript",
    "text/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
)


def _gzip_like_nginx(app):
    """Compress what nginx would (`gzip on;`, level 1) for clients that accept gzip.

    Static files already come compressed from whitenoise and pass through untouched; this
    reaches the pages, the service worker script (/sw.js) and the manifest.
    """

    gzip_only = os.environ.get("BENCH_GZIP_ONLY") == "1"

    def wrapped(environ, start_response):
        accepts = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
        if gzip_only and accepts:
            # The old measurement: whitenoise then picks the .gz files over the .br ones.
            environ["HTTP_ACCEPT_ENCODING"] = "gzip"
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: captured.setdefault("early", []).append(data)

        result = app(environ, capture)
        try:
            body = b"".join([*captured.get("early", []), *result])
        finally:
            getattr(result, "close", lambda: None)()
        headers = captured["headers"]
        names = {name.lower(): value for name, value in headers}
        if (
            accepts
            and names.get("content-type", "").split(";")[0].strip() in GZIP_TYPES
            and "content-encoding" not in names
            and len(body) > 20
        ):
            body = gzip.compress(body, compresslevel=1)
            headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
            headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))]
            vary = [v for n, v in headers if n.lower() == "vary"]
            if not any("accept-encoding" in v.lower() for v in vary):
                headers.append(("Vary", "Accept-Encoding"))
        start_response(captured["status"], headers, captured["exc_info"])
        return [body]

    return wrapped


def application(environ, start_response):
    """gunicorn's entry point (`bench.frontend:application`); builds the app on first use."""
    global _app
    if _app is None:
        from django.core.wsgi import get_wsgi_application

        _app = _gzip_like_nginx(get_wsgi_application())
    return _app(environ, start_response)


_app = None


# --- Setting up: database, static files, an athlete mid-session ----------------------------


@dataclass(frozen=True)
class Mode:
    """How the bench serves: the production way (default) or the old measurement."""

    https: bool = True
    minify: bool = True
    brotli: bool = True

    def describe(self) -> str:
        return ", ".join(
            (
                "HTTPS" if self.https else "plain HTTP",
                "own modules minified" if self.minify else "sources as written",
                "brotli or gzip" if self.brotli else "gzip only",
            )
        )


def prepare_static(work: Path, mode: Mode) -> Path:
    """A copy of static/ for collectstatic, with the modules minified as the image ships them."""
    source = work / "static-source"
    shutil.copytree(ROOT / "static", source)
    if mode.minify:
        subprocess.run(  # noqa: S603 - fixed arguments
            ["node", str(MINIFY), str(ROOT / "static" / "js"), str(source / "js")],  # noqa: S607
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return source


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1 and the hash Chromium is told to trust."""

    cert: Path
    key: Path
    spki_sha256: str

    def chromium_args(self) -> list[str]:
        # Chromium accepts this one certificate (by its key's hash) instead of ignoring every
        # certificate error, so the page is a secure context and the service worker
        # registers. The flag works only with a --user-data-dir, which Playwright and
        # Lighthouse both pass.
        return [f"--ignore-certificate-errors-spki-list={self.spki_sha256}"]


def make_certificate(work: Path) -> Certificate:
    """A fresh key and certificate for this run only, made with the openssl command."""
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    public_key = subprocess.run(  # noqa: S603 - fixed arguments
        ["openssl", "x509", "-in", str(cert), "-pubkey", "-noout"],  # noqa: S607
        check=True,
        capture_output=True,
    ).stdout
    spki = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "DER"],  # noqa: S607
        input=public_key,
        check=True,
        capture_output=True,
    ).stdout
    return Certificate(cert, key, base64.b64encode(hashlib.sha256(spki).digest()).decode())


def server_env(work: Path, mode: Mode, static_source: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_STATIC_ROOT": str(work / "static"),
        "STATIC_SOURCE_DIR": str(static_source),
        "BENCH_GZIP_ONLY": "0" if mode.brotli else "1",
        "DEBUG": "0",
        "HTTPS": "1" if mode.https else "0",
        "STATIC_MANIFEST": "1",
        "SECRET_KEY": "frontend-bench-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args, "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


SEED = """
import json
from datetime import timedelta
import django
django.setup()
from django.test import Client
from django.utils import timezone
from accounts.models import User
from workouts import weeks
from workouts.history import build_history, log_past_session
from workouts.models import WorkoutSession

athlete = User.objects.create_user("runner", password="frontend-bench-pw-8813",
                                   first_name="Rae", weekly_target=3)
build_history(athlete, weeks_back=8, per_week=3, today=weeks.today(athlete.zone))

def first_round(exercise, round_number):
    if round_number > 1:
        return None
    top = exercise.target_max
    return (top, top) if exercise.per_side else top

session = log_past_session(athlete, "dynamic-feet-ankles", timezone.now() - timedelta(minutes=9),
                           default=first_round, status=WorkoutSession.Status.IN_PROGRESS)
client = Client()
client.force_login(athlete)
from django.conf import settings
print(json.dumps({"session": session.pk,
                  "cookie": [settings.SESSION_COOKIE_NAME,
                             client.cookies[settings.SESSION_COOKIE_NAME].value]}))
"""


def seed(env: dict[str, str]) -> dict:
    """An athlete with eight weeks of history and the dynamic routine half done."""
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class Server:
    """gunicorn on a fixed port, with an access log of body bytes per request."""

    def __init__(self, env: dict[str, str], work: Path, port: int, certificate: Certificate | None):
        self.env, self.port, self.certificate = env, port, certificate
        self.url = f"{'https' if certificate else 'http'}://127.0.0.1:{port}"
        self.log = work / "access.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "bench.frontend:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--access-logfile",
                str(self.log),
                "--access-logformat",
                "%(m)s %(U)s %(s)s %(B)s",
                *self.tls_args(),
            ],
            cwd=ROOT,
            env=self.env,
        )
        context = None
        if self.certificate:
            context = ssl.create_default_context(cafile=self.certificate.cert)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2, context=context)  # noqa: S310 - our URL
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def tls_args(self) -> list[str]:
        if self.certificate is None:
            return []
        return ["--certfile", str(self.certificate.cert), "--keyfile", str(self.certificate.key)]

    def chromium_args(self) -> list[str]:
        return self.certificate.chromium_args() if self.certificate else []

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def log_lines(self) -> list[tuple[str, int]]:
        """(path, body bytes) of every request so far."""
        lines = []
        for line in self.log.read_text().splitlines():
            _method, path, _status, size = line.split()
            lines.append((path, 0 if size == "-" else int(size)))
        return lines


# --- Measuring a visit --------------------------------------------------------------------


@dataclass
class Visit:
    """Bytes on the wire for one page load, by kind, as the browser counted them."""

    by_kind: Counter = field(default_factory=Counter)
    requests: list[tuple[str, str, int, str, str]] = field(default_factory=list)
    worker_bytes: int = 0
    worker_paths: list[str] = field(default_factory=list)

    @property
    def page_total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def total(self) -> int:
        return self.page_total + self.worker_bytes


KINDS = {"Document": "html", "Script": "js", "Stylesheet": "css"}


def measure(context, url: str, server: Server) -> Visit:
    """Load `url` in a new tab of `context`, wait until the service worker is ready and the
    network is quiet, and count what came over the network (cache hits count zero)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    responses: dict[str, dict] = {}
    finished: dict[str, int] = {}
    cdp.on(
        "Network.responseReceived",
        lambda e: responses.__setitem__(e["requestId"], {**e["response"], "type": e["type"]}),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: finished.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    logged_before = len(server.log_lines())
    page.goto(url, wait_until="networkidle")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_timeout(1500)  # the worker's own fetches (install) finish

    visit = Visit()
    seen: Counter = Counter()
    for request_id, size in finished.items():
        response = responses.get(request_id)
        if response is None:
            continue
        cached = response.get("fromDiskCache") or response.get("fromServiceWorker")
        if cached:
            size = 0
        kind = KINDS.get(response["type"], "other")
        visit.by_kind[kind] += size
        path = "/" + response["url"].split("/", 3)[-1].split("?")[0]
        how = "service worker" if response.get("fromServiceWorker") else "network"
        if response.get("fromDiskCache"):
            how = "HTTP cache"
        headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
        encoding = headers.get("content-encoding", "none")
        visit.requests.append((kind, path, size, how, encoding))
        if how == "network":
            seen[path] += 1
    # What the server sent that this tab never saw: the service worker's own requests.
    for path, body in server.log_lines()[logged_before:]:
        if seen[path] > 0:
            seen[path] -= 1
        else:
            visit.worker_bytes += body
            visit.worker_paths.append(f"{path} ({body} B body)")
    page.close()
    return visit


def log_one_set(context, url: str) -> str:
    """Log the first open set on the session page through the outbox; return what it shows.

    The row reads "Logged:" only once the server has stored the set (one waiting to send
    reads "Sending"), so this proves the shipped (minified) outbox.js and session.js work.
    Any console error or Content-Security-Policy violation on the way fails the bench.
    """
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.goto(url, wait_until="networkidle")
    open_row = page.locator(".set-row", has=page.get_by_role("button", name="Log set")).first
    # By id: the row is swapped for the server's answer, and "the first open row" moves on.
    row = page.locator(f"[id='{open_row.get_attribute('id')}']")
    row.get_by_role("button", name="Log set").click()
    logged = row.locator(".logged")
    logged.filter(has_text="Logged:").wait_for(timeout=15000)
    text = " ".join(logged.inner_text().split())
    page.close()
    if problems:
        raise RuntimeError(f"console errors on the session page: {problems}")
    return text


def visits(server: Server, session_path: str, cookie: list[str]) -> tuple[Visit, Visit, str]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *server.chromium_args()]
        )
        context = browser.new_context(
            viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True
        )
        context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": server.url}])
        first = measure(context, server.url + session_path, server)
        repeat = measure(context, server.url + session_path, server)
        logged = log_one_set(context, server.url + session_path)
        browser.close()
    return first, repeat, logged


# --- Lighthouse -----------------------------------------------------------------------------


def lighthouse(url: str, cookie: list[str], work: Path, name: str, server: Server) -> dict:
    """Lighthouse 12, mobile (its default), signed in through an extra Cookie header."""
    headers = work / "headers.json"
    headers.write_text(json.dumps({"Cookie": f"{cookie[0]}={cookie[1]}"}))
    report = work / f"lighthouse-{name}.json"
    for attempt in range(3):
        # Under load Chromium sometimes loses the trace (NO_NAVSTART); that run says nothing.
        done = subprocess.run(  # noqa: S603 - fixed arguments
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--extra-headers={headers}",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--chrome-flags="
                + " ".join(
                    ["--headless=new", "--no-sandbox", "--disable-gpu", *server.chromium_args()]
                ),
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=False,
        )
        if done.returncode == 0:
            break
        print(f"lighthouse run {attempt + 1} on {name} failed; again", file=sys.stderr)
    else:
        raise RuntimeError(f"Lighthouse failed three times on {url}")
    data = json.loads(report.read_text())
    shutil.copy(report, Path(tempfile.gettempdir()) / f"footing-lighthouse-{name}.json")
    audits = data["audits"]
    failed = {
        category: [
            ref["id"]
            for ref in data["categories"][category]["auditRefs"]
            if ref["weight"] > 0
            and (audits[ref["id"]].get("score") or 0) < 1
            and audits[ref["id"]]["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
        ]
        for category in ("accessibility", "best-practices", "seo")
    }
    return {
        "scores": {k: round(v["score"] * 100) for k, v in data["categories"].items()},
        "metrics": {
            "FCP": audits["first-contentful-paint"]["displayValue"],
            "LCP": audits["largest-contentful-paint"]["displayValue"],
            "TBT": audits["total-blocking-time"]["displayValue"],
            "CLS": audits["cumulative-layout-shift"]["displayValue"],
            "SI": audits["speed-index"]["displayValue"],
        },
        "failed": failed,
        "console": [
            item.get("description", "") for item in audits["errors-in-console"]["details"]["items"]
        ],
    }


def slug(name: str) -> str:
    return name.replace(" ", "-")


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score: one run alone swings with the machine."""
    ordered = sorted(runs, key=lambda run: run["scores"]["performance"])
    median = dict(ordered[len(ordered) // 2])
    median["all_performance"] = [run["scores"]["performance"] for run in runs]
    return median


# --- Report ---------------------------------------------------------------------------------


def kb(size: int) -> str:
    return f"{size / KB:.1f} KB"


def verdict(value: float, limit: float, *, lower_is_better: bool = True) -> str:
    ok = value < limit if lower_is_better else value >= limit
    return "met" if ok else "MISSED"


def print_report(
    mode: Mode, first: Visit, repeat: Visit, logged: str, pages: dict[str, dict]
) -> None:
    print(f"Served with: {mode.describe()}.\n")
    print("## Transfer size, session page (360 px phone, Chromium)\n")
    print("| | first visit | repeat visit |")
    print("|---|---|---|")
    for kind in ("html", "js", "css", "other"):
        print(f"| {kind} | {kb(first.by_kind[kind])} | {kb(repeat.by_kind[kind])} |")
    print(
        f"| service worker's own fetches | {kb(first.worker_bytes)} | {kb(repeat.worker_bytes)} |"
    )
    print(f"| **total** | **{kb(first.total)}** | **{kb(repeat.total)}** |\n")
    checks = (
        ("first visit total", first.total, TARGETS["first_total"], "60 KB"),
        ("first visit JS", first.by_kind["js"], TARGETS["first_js"], "25 KB"),
        ("repeat visit total", repeat.total, TARGETS["repeat_total"], "10 KB"),
    )
    for label, value, limit, shown in checks:
        print(f"- {label} {kb(value)} vs < {shown}: {verdict(value, limit)}")
    print()
    for label, visit in (("First", first), ("Repeat", repeat)):
        print(f"{label} visit, request by request:\n")
        for kind, path, size, how, encoding in visit.requests:
            print(f"    {kind:5} {size:7d} B  {how:14}  {encoding:5}  {path}")
        for path in visit.worker_paths:
            print(f"    sw    {path}")
        print()
    print(f"One set logged through the outbox, no console errors; the row shows: {logged}\n")
    for name, result in pages.items():
        scores, metrics = result["scores"], result["metrics"]
        print(f"## Lighthouse, {name}\n")
        print(
            " · ".join(f"{k} {v}" for k, v in scores.items()),
            "|",
            " · ".join(f"{k} {v}" for k, v in metrics.items()),
        )
        print(
            f"- performance over {len(result['all_performance'])} runs: {result['all_performance']}"
        )
        for category, target in LIGHTHOUSE_TARGETS.items():
            score = scores[category]
            met = verdict(score, target, lower_is_better=False)
            print(f"- {category} {score} vs >= {target}: {met}")
        for category, ids in result["failed"].items():
            if ids:
                print(f"- {category} audits not passed: {', '.join(ids)}")
        if result["console"]:
            print(f"- console errors: {result['console']}")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8899)
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--http", action="store_true", help="plain HTTP instead of HTTPS")
    parser.add_argument("--gzip-only", action="store_true", help="never serve the .br files")
    parser.add_argument("--no-minify", action="store_true", help="ship our modules as written")
    parser.add_argument(
        "--as-before", action="store_true", help="the old measurement: all three above"
    )
    args = parser.parse_args()
    mode = Mode(
        https=not (args.http or args.as_before),
        minify=not (args.no_minify or args.as_before),
        brotli=not (args.gzip_only or args.as_before),
    )
    if not args.no_lighthouse and not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run  npm ci --prefix tools/browser")

    with tempfile.TemporaryDirectory(prefix="footing-frontend-") as tmp:
        work = Path(tmp)
        env = server_env(work, mode, prepare_static(work, mode))
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        seeded = seed(env)
        certificate = make_certificate(work) if mode.https else None
        server = Server(env, work, args.port, certificate)
        server.start()
        try:
            session_path = f"/sessions/{seeded['session']}/"
            first, repeat, logged = visits(server, session_path, seeded["cookie"])
            pages = {}
            if not args.no_lighthouse:
                for name, path in (("session page", session_path), ("dashboard", "/")):
                    runs = [
                        lighthouse(
                            server.url + path, seeded["cookie"], work, f"{slug(name)}-{n}", server
                        )
                        for n in range(args.runs)
                    ]
                    pages[name] = median_run(runs)
        finally:
            server.stop()
        print_report(mode, first, repeat, logged, pages)


if __name__ == "__main__":
    main()
