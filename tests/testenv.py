"""Loaded by pytest (`-p tests.testenv`) before Django reads its settings."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Production settings (DEBUG off) with a throwaway key, over plain HTTP on localhost.
os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 60)
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """On SQLite, keep the test database in a file rather than in memory.

    The offline browser tests run the app in a separate process that they can stop and
    start (tests/e2e/appserver.py); that process must see the same database. A RAM-backed
    folder keeps the file as fast as memory where the system has one.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        return
    test = database.setdefault("TEST", {})
    if not test.get("NAME"):
        ram = Path("/dev/shm")  # noqa: S108 - a private folder is made inside it below
        parent = ram if os.access(ram, os.W_OK) else None
        folder = tempfile.mkdtemp(prefix="footing-test-", dir=parent)
        config.footing_test_folder = folder
        test["NAME"] = str(Path(folder) / "test.sqlite3")


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = getattr(config, "footing_test_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
