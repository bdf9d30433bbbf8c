"""The Footing user: an athlete or a coach, with the time zone their weeks are counted in."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "%(value)s is not a time zone we know.", params={"value": value}
        ) from None


class User(AbstractUser):
    class Role(models.TextChoices):
        ATHLETE = "athlete", "Athlete"
        COACH = "coach", "Coach"

    role = models.CharField(max_length=16, choices=Role, default=Role.ATHLETE)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Weeks are counted Monday to Sunday in this zone.",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["athlete", "coach"]),
                name="accounts_user_role_valid",
            ),
        ]

    @property
    def is_coach(self) -> bool:
        return self.role == self.Role.COACH

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)
