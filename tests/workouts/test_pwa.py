"""The installable app's files: the manifest, the service worker, the offline page, and the
hooks the page gives them (whose page it is, which forms are kept offline, rest times)."""

import json
import re
import struct

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import start_session
from workouts import catalogue, pwa, services
from workouts.models import Circuit

pytestmark = pytest.mark.django_db

THEME_COLOUR = "#14532d"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def _service_worker_config(text: str) -> dict:
    match = re.match(r"self\.FOOTING = (\{.*?\});\n", text)
    assert match, "the worker starts with its settings"
    return json.loads(match.group(1))


def test_manifest_describes_an_installable_app_without_login(client):
    response = client.get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == manifest["short_name"] == "Footing"
    assert manifest["start_url"] == reverse("home") == manifest["scope"]
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == THEME_COLOUR
    assert manifest["background_color"].startswith("#")


def test_every_manifest_icon_is_served_at_the_size_it_claims(client):
    icons = json.loads(client.get(reverse("manifest")).content)["icons"]
    png_sizes = set()
    for icon in icons:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        data = b"".join(response.streaming_content)
        if icon["type"] == "image/png":
            width, height = _png_size(data)
            assert icon["sizes"] == f"{width}x{height}"
            png_sizes.add(icon["sizes"])
        else:
            assert icon["type"] == "image/svg+xml" and data.startswith(b"<svg")
    assert {"192x192", "512x512"} <= png_sizes
    assert any(icon.get("purpose") == "maskable" for icon in icons)


def test_service_worker_is_served_from_the_root_and_never_cached_stale(client):
    response = client.get(reverse("service_worker"))
    assert reverse("service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    again = client.get(reverse("service_worker"), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_the_service_worker_keeps_a_shell_that_exists(client):
    config = _service_worker_config(client.get(reverse("service_worker")).text)
    assert "/static/css/app.css" in config["shell"]
    assert "/static/js/outbox.js" in config["shell"]
    for url in [*config["shell"], config["offline"]]:
        assert client.get(url).status_code == 200, url
    # Account pages and the admin are never kept on the phone.
    assert set(config["private"]) == {"/accounts/", "/admin/"}
    assert re.fullmatch(r"[0-9a-f]{16}", config["version"])


def test_in_production_the_shell_names_the_hashed_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    config = _service_worker_config(pwa._build_service_worker())
    assert config["staticPrefix"] == "/static/"
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", config["shell"][0])
    for url in config["shell"]:
        assert (tmp_path / url.removeprefix("/static/")).is_file(), url


@pytest.mark.parametrize("name", ["manifest", "service_worker", "offline"])
def test_the_app_files_refuse_other_methods(client, name):
    assert client.post(reverse(name)).status_code == 405


def test_the_offline_page_holds_nothing_personal_even_when_signed_in(client, alice):
    client.force_login(alice)
    response = client.get(reverse("offline"))
    assert response.status_code == 200
    page = response.text
    assert "You are offline" in page
    assert "Alice" not in page and "alice" not in page
    assert "csrfmiddlewaretoken" not in page and "Log out" not in page


def test_pages_say_whose_they_are_for_the_offline_copies(client, alice):
    anonymous = client.get(reverse("workouts:routine_list")).text
    assert '<meta name="footing-user" content="">' in anonymous
    assert 'rel="manifest" href="/manifest.webmanifest"' in anonymous
    assert "js/pwa.js" in anonymous and "js/outbox.js" not in anonymous

    client.force_login(alice)
    signed_in = client.get(reverse("workouts:routine_list")).text
    assert f'<meta name="footing-user" content="{alice.pk}">' in signed_in
    assert "js/outbox.js" in signed_in
    assert 'class="inline-form" data-logout' in signed_in
    assert "Send now" in signed_in


def test_new_sets_are_kept_offline_and_circuits_carry_their_rest_time(client, alice):
    Circuit.objects.filter(routine__slug="dynamic-feet-ankles", order=1).update(rest_seconds=45)
    Circuit.objects.filter(routine__slug="dynamic-feet-ankles", order=2).update(rest_seconds=0)
    catalogue.changed()  # update() sends no signal
    session = start_session(alice, "dynamic-feet-ankles")
    client.force_login(alice)
    page = client.get(session.get_absolute_url()).text
    assert len(re.findall(r'data-kind="new" data-outbox\s', page)) == page.count('data-kind="new"')
    assert page.count('data-kind="new"') > 0
    assert 'data-rest-seconds="45"' in page and 'data-rest-seconds="0"' in page
    assert 'data-rounds="3"' in page and 'data-round="2"' in page
    assert "Skip rest" in page


def test_a_finished_session_has_no_rest_timer_or_session_script(client, alice):
    session = start_session(alice)
    services.session_finish(session=session, note="")
    client.force_login(alice)
    page = client.get(session.get_absolute_url()).text
    assert "Skip rest" not in page and "js/session.js" not in page
