"""Project-level facts: which database the suite ran on, strict settings, the demo seed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from config.env import env_bool, parse_database_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_suite_runs_on_the_database_named_by_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    print(f"database vendor: {connection.vendor}")
    if expected == "postgresql":
        # Fault settings: a restarted database is noticed, a dead one does not hang a worker.
        assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
        assert connection.settings_dict["OPTIONS"]["connect_timeout"] == 5


def test_database_url_parsing(tmp_path):
    pg = parse_database_url("postgres://u:p%40ss@db.example:6543/footing", base_dir=tmp_path)
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "u",
        "p@ss",
        "db.example",
        "6543",
        "footing",
    )
    assert parse_database_url("sqlite:///db.sqlite3", base_dir=tmp_path)["NAME"] == str(
        tmp_path / "db.sqlite3"
    )
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        parse_database_url("mysql://x/y", base_dir=tmp_path)
    with pytest.raises(ImproperlyConfigured, match="database name"):
        parse_database_url("postgres://localhost/", base_dir=tmp_path)


def test_bad_boolean_is_refused_not_guessed(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", default=False)


def _run_settings(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "HTTPS", "STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production(**env: str) -> dict[str, str]:
    """The environment of a production process (DEBUG off, a real-looking key), plus `env`."""
    return {"DEBUG": "0", "SECRET_KEY": "k" * 20 + "ZyXw9876-" * 5, "STATIC_MANIFEST": "0"} | env


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_settings({"DEBUG": "0"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _run_settings(
        _production(ALLOWED_HOSTS="footing.example", STATIC_MANIFEST="1"),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_are_secure_host_only_cookies():
    """Over HTTPS the browser must refuse the session and CSRF cookies on plain HTTP or
    from a sibling subdomain: the __Host- prefix demands Secure, Path=/ and no Domain."""
    script = (
        "from django.test import Client; "
        "r = Client().get('/accounts/login/', secure=True); "
        "print(r.status_code); "
        "from django.conf import settings; print(settings.SESSION_COOKIE_NAME); "
        "[print(c.output()) for c in r.cookies.values()]"
    )
    result = _run_settings(
        _production(ALLOWED_HOSTS="testserver", DATABASE_URL="sqlite:///:memory:"),
        "shell",
        "--no-imports",
        "--command",
        script,
    )
    assert result.returncode == 0, result.stderr
    status, session_cookie, *cookies = result.stdout.splitlines()
    assert status == "200"
    assert session_cookie == "__Host-sessionid"
    (csrf,) = (c for c in cookies if "csrftoken" in c)
    assert csrf.startswith("Set-Cookie: __Host-csrftoken=")
    assert "Secure" in csrf and "Path=/" in csrf and "Domain" not in csrf


@pytest.mark.django_db
def test_health_check_answers_ok_while_the_database_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok\n")
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_without_a_database_health_and_pages_say_503_and_health_skips_the_https_redirect():
    """A production process whose PostgreSQL is unreachable: the proxy's plain-HTTP check
    gets a 503 at once (not a redirect, not a hang), users' pages still go to HTTPS."""
    script = (
        "from django.test import Client; c = Client(raise_request_exception=False); "
        "print(c.get('/healthz').status_code, c.get('/accounts/login/').status_code); "
        "page = c.get('/routines/', secure=True); "
        "print(page.status_code, page['Retry-After'], page.text)"
    )
    result = _run_settings(
        _production(
            ALLOWED_HOSTS="testserver",
            DATABASE_URL="postgres://footing@127.0.0.1:9/footing",  # nothing listens
            DB_CONNECT_TIMEOUT="2",
        ),
        "shell",
        "--no-imports",
        "--command",
        script,
    )
    assert result.returncode == 0, result.stderr
    health, page = result.stdout.split("\n", 1)
    assert health.split() == ["503", "301"]
    # A user's page while the database is away: 503, try again soon, nothing leaked.
    assert page.startswith("503 5 ")
    assert "Footing can't reach its database right now" in page
    assert "OperationalError" not in page and "127.0.0.1" not in page


def test_compose_file_only_sets_variables_the_settings_read():
    """docker-compose.yml is checked by reading (no Docker engine in CI): a misspelt
    variable there would be silently ignored in production."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    settings_source = "".join(p.read_text() for p in (ROOT / "config").glob("*.py"))
    web = compose["services"]["web"]
    unread = [name for name in web["environment"] if f'"{name}"' not in settings_source]
    assert unread == ["WEB_CONCURRENCY"]  # read by gunicorn's command in the Dockerfile
    assert "WEB_CONCURRENCY" in (ROOT / "Dockerfile").read_text()
    # Replicas never race to migrate, and only the proxy is published.
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    published = [name for name, svc in compose["services"].items() if svc.get("ports")]
    assert published == ["proxy"]


@pytest.mark.django_db
def test_seed_demo_creates_the_three_demo_accounts_and_is_safe_twice(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "athlete  / footing-athlete-demo" in out
    assert User.objects.filter(username__in=["coach", "athlete", "staff"]).count() == 3
    staff = User.objects.get(username="staff")
    assert staff.is_staff and staff.groups.filter(name="Catalogue editors").exists()
    assert User.objects.get(username="coach").role == User.Role.COACH
    athlete = User.objects.get(username="athlete")
    assert athlete.check_password("footing-athlete-demo")
    # A history to look at, written once: the second run adds no sessions.
    assert out.count("past sessions") == 1
    assert athlete.workout_sessions.count() == 16  # ten weeks, every fourth one skipped
    assert list(athlete.coach_links.values_list("coach__username", flat=True)) == ["coach"]


@pytest.mark.django_db
def test_seed_demo_refuses_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client):
    policy = client.get("/routines/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
