"""Every account form is usable without sight or a mouse: labels, linked errors, no inline code.

The `Page` parser and `field_error` here are shared by the other account tests.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
CONTROLS = {"input", "select", "textarea"}


class Page(HTMLParser):
    """The bits of a page a screen reader relies on, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.labels_for: set[str] = set()
        self.text_by_id: dict[str, str] = {}
        self.position_by_id: dict[str, int] = {}
        self.scripts: list[dict] = []
        self.styled: list[str] = []
        self._open: list[tuple[str, dict]] = []
        self._position = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._position += 1
        attributes = {name: value or "" for name, value in attrs}
        if "style" in attributes or any(name.startswith("on") for name in attributes):
            self.styled.append(tag)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "label" and attributes.get("for"):
            self.labels_for.add(attributes["for"])
        if tag in CONTROLS:
            fieldsets = [a for t, a in self._open if t == "fieldset"]
            described = attributes.get("aria-describedby") or (
                fieldsets[-1].get("aria-describedby", "") if fieldsets else ""
            )
            self.controls.append(
                {**attributes, "tag": tag, "position": self._position, "described": described}
            )
        if attributes.get("id"):
            self.position_by_id[attributes["id"]] = self._position
            self.text_by_id.setdefault(attributes["id"], "")
        if tag not in VOID:
            self._open.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        for _, attributes in self._open:
            if attributes.get("id"):
                self.text_by_id[attributes["id"]] += data

    def text(self, element_id: str) -> str:
        return " ".join(self.text_by_id[element_id].split())

    def visible_controls(self) -> list[dict]:
        return [c for c in self.controls if c.get("type") not in {"hidden", "submit", "button"}]


def field_error(response, name: str) -> str:
    """The error shown for field `name`: linked to it and placed right under it."""
    page = Page(response.content.decode())
    mine = [c for c in page.controls if c.get("name") == name]
    assert mine, f"no field named {name}"
    error_id = f"id_{name}_error"
    assert error_id in page.text_by_id, f"no error shown for {name}"
    assert error_id in mine[0]["described"].split(), f"{name} is not linked to its error"
    after_field = mine[-1]["position"]
    next_fields = [
        c["position"]
        for c in page.controls
        if c["position"] > after_field and c.get("type") not in {"hidden", "submit"}
    ]
    error_at = page.position_by_id[error_id]
    assert error_at > after_field, f"the error for {name} is above the field"
    assert not next_fields or error_at < next_fields[0], f"the error for {name} is too far down"
    return page.text(error_id)


def form_errors(response) -> str:
    """Errors about the whole form, shown at its top."""
    match = re.search(
        r'<ul class="errorlist nonfield"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )
    assert match, "no form-level error shown"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def reset_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", args=[uid, token])


def assert_accessible_form(response) -> None:
    assert response.status_code == 200
    page = Page(response.content.decode())
    controls = page.visible_controls()
    assert controls, "the page has no form fields"
    for control in controls:
        assert control.get("id"), f"{control.get('name')} has no id"
        assert control["id"] in page.labels_for, f"{control.get('name')} has no label"
    assert not page.styled, "inline style= or on*= attributes break the CSP"
    assert all(script.get("src") for script in page.scripts), "inline <script> breaks the CSP"


ANONYMOUS_PAGES = ["signup", "login", "password_reset"]
SIGNED_IN_PAGES = ["profile", "password_change"]


@pytest.mark.parametrize("url_name", ANONYMOUS_PAGES)
def test_every_field_has_a_label_when_signed_out(client: Client, url_name: str):
    assert_accessible_form(client.get(reverse(url_name)))


@pytest.mark.parametrize("url_name", SIGNED_IN_PAGES)
def test_every_field_has_a_label_when_signed_in(client: Client, alice, url_name: str):
    client.force_login(alice)
    assert_accessible_form(client.get(reverse(url_name)))


def test_every_field_has_a_label_on_the_new_password_page(client: Client, alice):
    response = client.get(reset_url(alice), follow=True)
    assert_accessible_form(response)


def test_every_field_keeps_its_label_when_the_form_comes_back_with_errors(client: Client):
    response = client.post(reverse("signup"), {"username": "", "time_zone": "Nowhere/Else"})
    assert_accessible_form(response)
    page = Page(response.content.decode())
    invalid = {c["name"] for c in page.controls if c.get("aria-invalid") == "true"}
    assert {"username", "password1", "password2", "time_zone"} <= invalid


def test_the_time_zone_script_is_loaded_as_a_file(client: Client, alice):
    signup = Page(client.get(reverse("signup")).content.decode())
    assert {"type": "module", "src": "/static/js/timezone.js"} in signup.scripts
    client.force_login(alice)
    profile = Page(client.get(reverse("profile")).content.decode())
    assert {"type": "module", "src": "/static/js/timezone.js"} in profile.scripts


def test_the_time_zone_script_is_served(client: Client):
    response = client.get("/static/js/timezone.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert b"resolvedOptions().timeZone" in body
