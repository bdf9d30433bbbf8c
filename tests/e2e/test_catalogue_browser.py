"""A runner on a phone browses the routines."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_browse_routines_on_a_phone(phone):
    phone.goto("/routines/")
    assert phone.get_by_role("heading", name="Routines", level=1).is_visible()
    phone.get_by_role("link", name="Ankle stability").click()
    phone.wait_for_url("**/routines/ankle-stability/")
    assert phone.get_by_role("heading", name="Single-leg balance").is_visible()
    assert phone.get_by_text("20 s each leg").is_visible()
    # Nothing is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("link", name="Routines").first.click()
    phone.get_by_role("link", name="Dynamic feet and ankles").click()
    assert phone.get_by_text("needs a medicine ball; left out without one").is_visible()
