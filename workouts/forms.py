"""Forms for logging sets and closing sessions: bounds and messages an athlete can act on."""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from config.fields import IdModelChoiceField
from workouts.models import (
    LOAD_KG_MAX,
    REPS_MAX,
    SECONDS_MAX,
    ExcusedWeek,
    Routine,
    SessionExercise,
)
from workouts.services import SetValues
from workouts.weeks import Week

KG_PER_LB = Decimal("0.45359237")


def kg_to_unit(kg: Decimal | None, unit: str) -> Decimal | None:
    if kg is None:
        return None
    if unit == "lb":
        return (Decimal(kg) / KG_PER_LB).quantize(Decimal("0.1"))
    return Decimal(kg).quantize(Decimal("0.1"))


class SetLogForm(forms.Form):
    """One set. Which of value / left+right / load apply depends on the session exercise."""

    value = forms.IntegerField(required=False)
    left = forms.IntegerField(required=False)
    right = forms.IntegerField(required=False)
    load = forms.DecimalField(required=False, max_digits=6, decimal_places=2)
    variation = forms.IntegerField(required=False)
    rpe = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=10,
        label="Effort (RPE 1-10)",
        error_messages={
            "min_value": "Effort is from 1 (very easy) to 10 (all-out).",
            "max_value": "Effort is from 1 (very easy) to 10 (all-out).",
            "invalid": "Effort is a whole number from 1 to 10.",
        },
    )
    pain = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10,
        label="Pain (0-10)",
        error_messages={
            "min_value": "Pain is from 0 (none) to 10 (worst).",
            "max_value": "Pain is from 0 (none) to 10 (worst).",
            "invalid": "Pain is a whole number from 0 to 10.",
        },
    )
    note = forms.CharField(required=False, max_length=500, strip=True)

    def __init__(self, *args, session_exercise: SessionExercise, weight_unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.session_exercise = session_exercise
        self.weight_unit = weight_unit
        limit = SECONDS_MAX if session_exercise.is_timed else REPS_MAX
        what = "seconds" if session_exercise.is_timed else session_exercise.get_unit_display()
        for name in ("value", "left", "right"):
            field = self.fields[name]
            field.min_value, field.max_value = 0, limit
            field.error_messages = {
                "invalid": f"Enter a whole number of {what}.",
                "min_value": f"Enter {what} from 0 to {limit}.",
                "max_value": f"Enter {what} from 0 to {limit}.",
            }
            field.validators = [MinValueValidator(0), MaxValueValidator(limit)]
        self.fields["left"].label = "Left"
        self.fields["right"].label = "Right"
        self.fields["value"].label = what.capitalize()
        self.fields["load"].label = f"Weight ({weight_unit})"

    def clean(self):
        cleaned = super().clean()
        exercise = self.session_exercise
        value, left, right = (cleaned.get(k) for k in ("value", "left", "right"))
        if exercise.per_side:
            if value is not None:
                self.add_error("value", "Log left and right separately for this exercise.")
            for side, number in (("left", left), ("right", right)):
                if number is None and side not in self.errors:
                    self.add_error(side, f"Enter the {side} side.")
        else:
            if left is not None or right is not None:
                self.add_error(
                    "left" if left is not None else "right",
                    "This exercise is not done per side; enter one number.",
                )
            if value is None and "value" not in self.errors:
                self.add_error("value", "Enter how many you did.")
        load = cleaned.get("load")
        if load is not None:
            if not exercise.carries_load:
                self.add_error("load", "This exercise carries no weight.")
            else:
                kg = load * KG_PER_LB if self.weight_unit == "lb" else load
                if not 0 <= kg <= LOAD_KG_MAX:
                    top = LOAD_KG_MAX if self.weight_unit == "kg" else 661
                    self.add_error("load", f"Enter a weight from 0 to {top} {self.weight_unit}.")
                else:
                    cleaned["load_kg"] = kg.quantize(Decimal("0.01"))
        return cleaned

    def set_values(self) -> SetValues:
        data = self.cleaned_data
        return SetValues(
            value=data.get("value"),
            left=data.get("left"),
            right=data.get("right"),
            load_kg=data.get("load_kg"),
            variation_id=data.get("variation"),
            rpe=data.get("rpe"),
            pain=data.get("pain"),
            note=data.get("note", ""),
        )


class NewSetForm(SetLogForm):
    """A set being logged for the first time: it also says where it goes and who made it."""

    round = forms.IntegerField(min_value=1)
    client_id = forms.UUIDField(
        error_messages={"invalid": "This form is damaged; reload the page."}
    )
    performed_at = forms.DateTimeField(required=False)

    def clean_performed_at(self):
        when = self.cleaned_data.get("performed_at")
        now = timezone.now()
        # A phone clock far in the future is wrong; the server's time is the better guess.
        if when is None or when > now + timedelta(minutes=10):
            return now
        return when


class SessionNoteForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="How did it go?",
    )


TARGET_CHOICES = [(n, f"{n} session{'s' if n > 1 else ''} a week") for n in range(1, 8)]


class WeeklyTargetForm(forms.Form):
    target = forms.TypedChoiceField(
        label="Weekly target",
        choices=TARGET_CHOICES,
        coerce=int,
        error_messages={"invalid_choice": "Choose a target from 1 to 7 sessions a week."},
    )


class ExcuseWeekForm(forms.Form):
    """Excuse one of the recent weeks; `weeks` are the Week objects on offer."""

    week = forms.ChoiceField(label="Week")
    reason = forms.ChoiceField(
        label="Reason",
        choices=ExcusedWeek.Reason.choices,
        error_messages={"invalid_choice": "Choose a reason from the list."},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Keep the note under 200 characters."},
    )

    def __init__(self, *args, weeks: list[Week], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"].choices = [(w.start.isoformat(), w.label()) for w in weeks]
        self.fields["week"].error_messages["invalid_choice"] = "Choose one of the weeks listed."

    def clean_week(self) -> date:
        return date.fromisoformat(self.cleaned_data["week"])


class CommentForm(forms.Form):
    """A comment on the whole session, or on one logged set (`sets`: (pk, label) pairs)."""

    about = forms.TypedChoiceField(label="About", coerce=int, empty_value=None, required=False)
    body = forms.CharField(
        label="Comment",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write something first.",
            "max_length": "Keep it under 1000 characters.",
        },
    )

    def __init__(self, *args, sets: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = [("", "The whole session"), *sets]
        self.fields["about"].error_messages["invalid_choice"] = "Choose a set from this session."


class RecommendForm(forms.Form):
    routine = IdModelChoiceField(
        label="Recommend a routine",
        queryset=Routine.objects.filter(active=True),
        required=False,
        empty_label="No recommendation",
        error_messages={"invalid_choice": "Choose a routine from the list."},
    )
