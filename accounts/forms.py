"""Forms for signing up, signing in, passwords and the profile page."""

from functools import cache
from zoneinfo import available_timezones

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.http import QueryDict

from accounts.models import User
from config.fields import IdModelMultipleChoiceField
from workouts.models import Equipment

DEFAULT_TIME_ZONE = User._meta.get_field("time_zone").default
# Files in the tz database that are not places a person lives.
NOT_A_TIME_ZONE = {"localtime", "Factory", "posixrules"}

USERNAME_HELP = "You log in with this. Letters, digits and @ . + - _ only."
TIME_ZONE_HELP = "Your weeks run Monday to Sunday in this time zone."
TIME_ZONE_ERRORS = {"invalid_choice": "Pick a time zone from the list."}
WEEKLY_TARGET_HELP = (
    "How many sessions a week you aim for, from 1 to 7. Leave it empty and we use the "
    "sessions a week suggested by the routine you do most (or 1 if you have not started yet)."
)
WEEKLY_TARGET_ERROR = "Choose a number from 1 to 7, or leave it empty."


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(available_timezones() - NOT_A_TIME_ZONE)
    return [(name, name.replace("_", " ")) for name in names]


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("help_text", TIME_ZONE_HELP)
        kwargs.setdefault("error_messages", TIME_ZONE_ERRORS)
        super().__init__(choices=time_zone_choices, **kwargs)


class PasswordErrorsOnFirstFieldMixin:
    """Put "too short" or "too common" under the box where the password was chosen.

    Django reports them under the confirmation box; only a mismatch belongs there.
    """

    first_password_field = {"password2": "password1", "new_password2": "new_password1"}

    def validate_password_for_user(self, user, password_field_name="password2"):  # noqa: S107
        field_name = self.first_password_field.get(password_field_name, password_field_name)
        super().validate_password_for_user(user, field_name)


class SignupForm(PasswordErrorsOnFirstFieldMixin, UserCreationForm):
    error_messages = {
        **UserCreationForm.error_messages,
        "password_mismatch": "The two passwords are different.",
    }
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        help_text="Only used to help you reset a forgotten password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    role = forms.ChoiceField(
        label="I am",
        choices=[(User.Role.ATHLETE, "An athlete"), (User.Role.COACH, "A coach")],
        initial=User.Role.ATHLETE,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose athlete or coach.",
            "invalid_choice": "Choose athlete or coach.",
        },
    )
    time_zone = TimeZoneField(initial=DEFAULT_TIME_ZONE)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "role", "time_zone")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = USERNAME_HELP
        self.fields["password2"].help_text = "Type it once more so a typo cannot lock you out."
        if not self.is_bound:
            # static/js/timezone.js swaps the default for the device's zone.
            self.fields["time_zone"].widget.attrs["data-device-time-zone"] = "fill"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"].strip())
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Another account already uses this email address.", code="unique_email"
            )
        return email


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That username and password do not match an account. Check both; capital letters count."
        ),
        "inactive": "This account has been switched off.",
    }


class ChangePasswordForm(PasswordErrorsOnFirstFieldMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "That is not your current password. Please try again.",
        "password_mismatch": "The two new passwords are different.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password2"].help_text = "Type it once more to be sure."


class NewPasswordForm(PasswordErrorsOnFirstFieldMixin, SetPasswordForm):
    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": "The two new passwords are different.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].help_text = "Type it once more to be sure."


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=User._meta.get_field("display_name").max_length,
        required=False,
        help_text="What your coach sees. Leave it empty to use your name or username.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    time_zone = TimeZoneField()
    weight_unit = forms.ChoiceField(
        label="Weights in",
        choices=[(User.WeightUnit.KG, "Kilograms (kg)"), (User.WeightUnit.LB, "Pounds (lb)")],
        widget=forms.RadioSelect,
    )
    weekly_target = forms.IntegerField(
        label="Sessions a week",
        required=False,
        min_value=1,
        max_value=7,
        help_text=WEEKLY_TARGET_HELP,
        error_messages={
            "invalid": WEEKLY_TARGET_ERROR,
            "min_value": WEEKLY_TARGET_ERROR,
            "max_value": WEEKLY_TARGET_ERROR,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    equipment = IdModelMultipleChoiceField(
        label="Equipment you have",
        queryset=Equipment.objects.order_by("name"),
        required=False,
        help_text="Circuits that need something you do not have are left out.",
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def for_user(cls, user: User, data: QueryDict | None = None) -> "ProfileForm":
        initial = {
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "weight_unit": user.weight_unit,
            "weekly_target": user.weekly_target,
            "equipment": list(user.equipment.values_list("pk", flat=True)),
        }
        form = cls(data=data, initial=initial)
        # static/js/timezone.js offers a button to pick the device's zone.
        form.fields["time_zone"].widget.attrs["data-device-time-zone"] = "offer"
        # A zone set elsewhere (the admin, an older tz database) stays selectable.
        if user.time_zone not in dict(time_zone_choices()):
            form.fields["time_zone"].choices = [
                (user.time_zone, user.time_zone),
                *time_zone_choices(),
            ]
        return form


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Coach's code",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": "Enter the code your coach gave you."},
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm."},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password
