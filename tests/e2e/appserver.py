"""Footing in its own process, for browser tests that stop and start the server for real.

pytest-django's live_server cannot be stopped and started again, and a browser's offline
mode does not reach service-worker fetches; so these tests run the app under gunicorn,
against the test database, on a port that stays the same across restarts (a service worker
belongs to one origin).
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]


def shared_database_url() -> str:
    """A DATABASE_URL for the test database the suite has set up (not the real one)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if "memory" in name or not Path(name).is_absolute():
            raise RuntimeError(f"the SQLite test database must be a file to share it: {name}")
        return f"sqlite:///{name}"
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"
    raise RuntimeError(f"no way to share a {connection.vendor} test database")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """Start, stop and start again; flip the switches tests/e2e/wsgi.py reads."""

    SWITCHES = ("unavailable", "lose-next-response")

    def __init__(self, *, control: Path, database_url: str):
        self.control = control
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = control / "server.log"
        self.process: subprocess.Popen | None = None
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "HTTPS": "0",
            "STATIC_MANIFEST": "0",
            "SECRET_KEY": os.environ["SECRET_KEY"],
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "FOOTING_TEST_CONTROL": str(control),
        }

    def start(self) -> None:
        if self.process is not None:
            return
        log = self.log_path.open("a")
        # gthread without keep-alive: every answer closes its connection, so an idle
        # browser connection never ties up a worker and a cut one is never reused.
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.e2e.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                "--worker-class=gthread",
                "--workers=1",
                "--threads=8",
                "--keep-alive=0",
                "--timeout=30",
                "--graceful-timeout=1",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app server did not start:\n{self.log_tail()}")
            if self.answers():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the app server did not answer in 30 s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Really stop it: the process is gone and the port refuses connections."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def answers(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/manifest.webmanifest")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def switch_on(self, name: str) -> None:
        assert name in self.SWITCHES
        (self.control / name).touch()

    def switch_off(self, name: str) -> None:
        (self.control / name).unlink(missing_ok=True)

    def set_posts(self) -> list[tuple[str, str]]:
        """Each set POST the server received: (client_id, what it answered)."""
        path = self.control / "set-posts.log"
        if not path.exists():
            return []
        return [tuple(line.split(" ", 1)) for line in path.read_text().splitlines() if line]

    def reset(self) -> None:
        """Every switch off and the request log empty (the server may be up or down)."""
        for name in self.SWITCHES:
            self.switch_off(name)
        (self.control / "set-posts.log").unlink(missing_ok=True)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text().splitlines()[-lines:])
