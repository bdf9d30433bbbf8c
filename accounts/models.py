"""The Footing user: an athlete or a coach, with the time zone their weeks are counted in."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower


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

    class WeightUnit(models.TextChoices):
        KG = "kg", "kg"
        LB = "lb", "lb"

    role = models.CharField(max_length=16, choices=Role, default=Role.ATHLETE)
    display_name = models.CharField(max_length=80, blank=True)
    weight_unit = models.CharField(max_length=2, choices=WeightUnit, default=WeightUnit.KG)
    weekly_target = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Sessions a week, 1-7. Empty: the suggestion of the routine done most, or 1.",
    )
    equipment = models.ManyToManyField(
        "workouts.Equipment",
        blank=True,
        related_name="owners",
        help_text="What the athlete has; circuits needing anything else are left out.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Weeks are counted Monday to Sunday in this zone.",
    )
    # What a coach suggested; the athlete sees who and can clear it.
    recommended_routine = models.ForeignKey(
        "workouts.Routine", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recommended_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Coaches only: the code athletes enter to link, and when the roster asks for attention.
    invite_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    pain_threshold = models.PositiveSmallIntegerField(
        default=5, help_text="Pain at or above this in the last 14 days needs attention (1-10)."
    )
    asymmetry_threshold = models.PositiveSmallIntegerField(
        default=20, help_text="A gap between sides at or above this percent needs attention."
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["athlete", "coach"]),
                name="accounts_user_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_target__isnull=True)
                | models.Q(weekly_target__range=(1, 7)),
                name="accounts_user_weekly_target_1_7",
            ),
            # One account per address, whatever the case: password reset mails
            # go to one person only. Empty emails (username-only sign-ups) are free.
            models.CheckConstraint(
                condition=models.Q(pain_threshold__range=(1, 10)),
                name="accounts_user_pain_threshold_1_10",
            ),
            models.CheckConstraint(
                condition=models.Q(asymmetry_threshold__range=(5, 100)),
                name="accounts_user_asymmetry_threshold_5_100",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_unique_email_ci",
            ),
        ]

    @property
    def name(self) -> str:
        return self.display_name or self.first_name or self.username

    @property
    def is_coach(self) -> bool:
        return self.role == self.Role.COACH

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class CoachLink(models.Model):
    """An athlete let this coach see their data. Deleting it takes the access away at once."""

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="athlete_links")
    athlete = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coach_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["coach", "athlete"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "athlete"], name="accounts_coachlink_unique"),
            models.CheckConstraint(
                condition=~models.Q(coach=models.F("athlete")), name="accounts_coachlink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.athlete}"
