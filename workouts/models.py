"""The exercise catalogue: equipment, exercises with their progression ladders, and routines."""

from django.db import models
from django.db.models import Q
from django.urls import reverse


class Equipment(models.Model):
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "equipment"
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="workouts_equipment_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Exercise(models.Model):
    class Unit(models.TextChoices):
        REPS = "reps", "reps"
        JUMPS = "jumps", "jumps"
        HOPS = "hops", "hops"
        STEPS = "steps", "steps"
        TAPS = "taps", "taps"
        SECONDS = "seconds", "seconds held"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    summary = models.CharField(max_length=240)
    how_to = models.TextField(help_text="One step per line, in the order they are done.")
    cues = models.TextField(blank=True, help_text="One coaching cue per line.")
    safety_note = models.TextField(blank=True)
    equipment = models.ManyToManyField(
        Equipment, blank=True, related_name="exercises", help_text="Needed to do it at all."
    )
    helpful_equipment = models.ManyToManyField(
        Equipment, blank=True, related_name="helps_exercises", help_text="Nice to have."
    )
    unit = models.CharField(
        max_length=16, choices=Unit, default=Unit.REPS, help_text="What the athlete counts."
    )
    per_side = models.BooleanField(
        default=False, help_text="Done on each leg; left and right are logged separately."
    )
    per_direction = models.BooleanField(
        default=False, help_text="The dose is repeated for each direction (the star)."
    )
    carries_load = models.BooleanField(
        default=False, help_text="A weight is held or thrown, and logged."
    )
    progresses_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progresses_from",
        help_text="A harder exercise to move on to once this one is comfortable.",
    )
    active = models.BooleanField(
        default=True, help_text="Retire an exercise instead of deleting it; history keeps it."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="workouts_exercise_unique_slug"),
            models.CheckConstraint(
                condition=Q(unit__in=["reps", "jumps", "hops", "steps", "taps", "seconds"]),
                name="workouts_exercise_unit_valid",
            ),
            models.CheckConstraint(
                condition=~Q(progresses_to=models.F("pk")),
                name="workouts_exercise_not_own_progression",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_timed(self) -> bool:
        return self.unit == self.Unit.SECONDS

    def how_to_steps(self) -> list[str]:
        return [line.strip() for line in self.how_to.splitlines() if line.strip()]

    def cue_list(self) -> list[str]:
        return [line.strip() for line in self.cues.splitlines() if line.strip()]


class Variation(models.Model):
    """One level of an exercise's progression ladder: same movement, harder set-up."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="variations")
    order = models.PositiveSmallIntegerField(help_text="1 is the easiest level.")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=240, blank=True)
    equipment = models.ManyToManyField(Equipment, blank=True, related_name="variations")

    class Meta:
        ordering = ["exercise", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "order"], name="workouts_variation_unique_order"
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1), name="workouts_variation_order_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise.name}: {self.name}"


class Routine(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    summary = models.CharField(max_length=240)
    purpose = models.TextField()
    source_credit = models.CharField(max_length=240)
    suggested_sessions_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty where the source suggests no frequency."
    )
    frequency_note = models.CharField(max_length=240, blank=True)
    order = models.PositiveSmallIntegerField(default=1, help_text="Position in the routine list.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="workouts_routine_unique_slug"),
            models.CheckConstraint(
                condition=Q(suggested_sessions_per_week__isnull=True)
                | Q(suggested_sessions_per_week__range=(1, 7)),
                name="workouts_routine_sessions_per_week_1_7",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workouts:routine_detail", kwargs={"slug": self.slug})


class Circuit(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="circuits")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    purpose = models.CharField(max_length=240, blank=True)
    rounds_min = models.PositiveSmallIntegerField(default=1)
    rounds_max = models.PositiveSmallIntegerField(default=1)
    needs_equipment = models.ForeignKey(
        Equipment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="If set, the circuit is left out for athletes who do not have this.",
    )

    class Meta:
        ordering = ["routine", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["routine", "order"], name="workouts_circuit_unique_order"
            ),
            models.CheckConstraint(
                condition=Q(rounds_min__gte=1), name="workouts_circuit_rounds_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(rounds_min__lte=models.F("rounds_max")),
                name="workouts_circuit_rounds_min_lte_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.routine.name}, circuit {self.order}: {self.name}"

    @property
    def rounds_text(self) -> str:
        if self.rounds_min == self.rounds_max:
            return "1 round" if self.rounds_min == 1 else f"{self.rounds_min} rounds"
        return f"{self.rounds_min}-{self.rounds_max} rounds"


class PrescribedExercise(models.Model):
    """An exercise inside a circuit, with the dose the routine prescribes."""

    class SideWord(models.TextChoices):
        LEG = "leg", "each leg"
        SIDE = "side", "each side"

    circuit = models.ForeignKey(Circuit, on_delete=models.CASCADE, related_name="prescriptions")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="prescriptions")
    order = models.PositiveSmallIntegerField()
    target_min = models.PositiveSmallIntegerField(help_text="Reps, jumps, steps, taps or seconds.")
    target_max = models.PositiveSmallIntegerField()
    to_fatigue = models.BooleanField(
        default=False, help_text="The athlete may instead go until the foot or ankle tires."
    )
    per_side = models.BooleanField(default=False)
    side_word = models.CharField(max_length=8, choices=SideWord, default=SideWord.LEG)
    per_direction = models.BooleanField(default=False)
    load_note = models.CharField(max_length=80, blank=True, help_text='e.g. "medium ball"')
    hold_top_seconds_min = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_top_seconds_max = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["circuit", "order"]
        verbose_name = "prescribed exercise"
        constraints = [
            models.UniqueConstraint(
                fields=["circuit", "order"], name="workouts_prescription_unique_order"
            ),
            models.CheckConstraint(
                condition=Q(target_min__gte=1), name="workouts_prescription_target_positive"
            ),
            models.CheckConstraint(
                condition=Q(target_min__lte=models.F("target_max")),
                name="workouts_prescription_target_min_lte_max",
            ),
            models.CheckConstraint(
                condition=(
                    Q(hold_top_seconds_min__isnull=True, hold_top_seconds_max__isnull=True)
                    | Q(
                        hold_top_seconds_min__gte=1,
                        hold_top_seconds_min__lte=models.F("hold_top_seconds_max"),
                    )
                ),
                name="workouts_prescription_hold_top_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise.name} ({self.dose_text})"

    @property
    def target_text(self) -> str:
        if self.target_min == self.target_max:
            return str(self.target_min)
        return f"{self.target_min}-{self.target_max}"

    @property
    def dose_text(self) -> str:
        """The dose as an athlete reads it: "12 each leg", "15-30 s each side, or to fatigue"."""
        unit = self.exercise.unit
        if unit == Exercise.Unit.SECONDS:
            text = f"{self.target_text} s"
        elif unit == Exercise.Unit.REPS:
            text = self.target_text
        else:
            text = f"{self.target_text} {unit}"
        if self.per_direction:
            text += " each direction"
        if self.per_side:
            text += "," if self.per_direction else ""
            text += f" {self.get_side_word_display()}"
        if self.to_fatigue:
            text += ", or to fatigue"
        if self.load_note:
            text += f", {self.load_note}"
        if self.hold_top_seconds_min:
            hold = (
                str(self.hold_top_seconds_min)
                if self.hold_top_seconds_min == self.hold_top_seconds_max
                else f"{self.hold_top_seconds_min}-{self.hold_top_seconds_max}"
            )
            text += f", hold {hold} s"
        return text
