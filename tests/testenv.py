"""Loaded by pytest (`-p tests.testenv`) before Django reads its settings."""

import os

# Production settings (DEBUG off) with a throwaway key, over plain HTTP on localhost.
os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 60)
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
