"""Fixtures for the offline browser tests: the app in its own process, and a phone on it."""

import pytest

from tests.conftest import new_phone
from tests.e2e.appserver import AppServer, shared_database_url


@pytest.fixture(scope="session")
def app_server(chromium, django_db_setup, tmp_path_factory):
    """Footing under gunicorn on the test database; stopped before the database goes."""
    server = AppServer(
        control=tmp_path_factory.mktemp("app-server"), database_url=shared_database_url()
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def footing(app_server):
    """The app server, up and with every switch off; a test may stop it, the next starts it."""
    app_server.reset()
    app_server.start()
    yield app_server
    app_server.reset()


@pytest.fixture
def offline_phone(chromium, footing):
    """A fresh 390x844 phone on the app server, with nothing kept from earlier tests."""
    page = new_phone(chromium, footing.url)
    yield page
    page.context.close()
