"""Form fields that refuse ids no database row could have before asking the database.

A posted 99999999999999999999 would otherwise reach the query and fail there (a 500 on
SQLite, a DataError on PostgreSQL) instead of coming back as "choose from the list".
"""

from django import forms
from django.core.exceptions import ValidationError


def _is_id(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and 0 < len(text) <= 18


class IdModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if not _is_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)
