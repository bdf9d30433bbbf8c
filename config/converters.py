"""URL converters. `<id:pk>` is `<int:pk>` bounded to what a database id can hold.

Django's `int` converter takes any run of digits; 99999999999999999999 would then reach the
database, which cannot hold it, and answer 500. With `id` it is simply a page that does
not exist.
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
