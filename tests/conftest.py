"""Shared fixtures: the personas, and a phone-sized browser for the e2e tests."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from tests.factories import CoachFactory, UserFactory


@pytest.fixture
def alice(db):
    """An athlete."""
    return UserFactory(username="alice", first_name="Alice")


@pytest.fixture
def bob(db):
    """Alice's coach (linked in later features)."""
    return CoachFactory(username="bob", first_name="Bob")


@pytest.fixture
def charlie(db):
    """Another athlete: a stranger to Alice's data."""
    return UserFactory(username="charlie", first_name="Charlie")


@pytest.fixture
def sam(db):
    """Staff, in the Catalogue editors group, not a superuser."""
    user = UserFactory(username="sam", first_name="Sam", is_staff=True)
    user.groups.add(Group.objects.get(name="Catalogue editors"))
    return user


def _chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    return None


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    path = _chromium_path()
    if path is None:
        message = "no Chromium at /usr/bin/chromium or CHROMIUM_PATH (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django's connections live in a context-local store; Playwright's sync API
    # switches context, so tests that run after it starts would see fresh
    # connection objects without the serialized catalogue that
    # serialized_rollback restores. Carry it over.
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_phone(browser, base_url: str, *, width: int = 390, height: int = 844, **options):
    """A fresh page in a context of its own, sized and behaving like a phone (touch, mobile
    viewport). `options` go to `new_context` (a time zone, say). Close `page.context`."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        base_url=base_url,
        is_mobile=True,
        has_touch=True,
        **options,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def phone(chromium, live_server):
    """A fresh page at a 390x844 phone viewport, pointed at the live server."""
    page = new_phone(chromium, live_server.url)
    yield page
    page.context.close()


def pytest_report_header(config) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db['NAME']})"
