"""The exercise catalogue (equipment, exercises, ladders, routines) and what athletes log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from workouts import weeks


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
    rest_seconds = models.PositiveSmallIntegerField(
        default=60,
        help_text="Rest timer offered between rounds, 0-600 s. 0 turns the rest timer off.",
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
            models.CheckConstraint(
                condition=Q(rest_seconds__lte=600), name="workouts_circuit_rest_lte_600"
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


class CatalogueVersion(models.Model):
    """One row whose token changes with every change to the catalogue above.

    Each process keeps the catalogue in memory (workouts/catalogue.py) and reads this one
    row per request to know whether its copy still holds. A new random token, not a
    counter, so a change rolled back and a later one never share a token.
    """

    token = models.UUIDField()

    def __str__(self) -> str:
        return str(self.token)


class WorkoutSession(models.Model):
    """One time an athlete does a routine. What was prescribed is copied onto it at start."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        FINISHED = "finished", "Finished"
        ABANDONED = "abandoned", "Abandoned"

    # No index of its own: the indexes below all start with the athlete.
    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workout_sessions",
        db_index=False,
    )
    routine = models.ForeignKey(Routine, on_delete=models.PROTECT, related_name="sessions")
    routine_name = models.CharField(max_length=120)
    status = models.CharField(max_length=16, choices=Status, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    time_zone = models.CharField(
        max_length=64, help_text="The athlete's zone when the session started."
    )
    local_date = models.DateField(
        help_text="The date it was started on, in that zone: decides its week."
    )
    left_out = models.CharField(
        max_length=240, blank=True, help_text="Circuits left out at start, and why."
    )
    note = models.TextField(blank=True, max_length=2000)
    has_sets = models.BooleanField(
        default=False,
        help_text=(
            "True once the session is finished or abandoned with at least one set; False "
            "means look at the sets (open sessions, closed empty ones)."
        ),
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["athlete"],
                condition=Q(status="in_progress"),
                name="workouts_session_one_open_per_athlete",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["in_progress", "finished", "abandoned"]),
                name="workouts_session_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="workouts_session_ends_after_start",
            ),
        ]
        indexes = [
            # History page and "previous result": an athlete's sessions, newest first.
            models.Index(fields=["athlete", "-started_at"], name="workouts_session_athlete_idx"),
            # Weekly consistency: an athlete's sessions by local date.
            models.Index(fields=["athlete", "local_date"], name="workouts_session_date_idx"),
            # The roster: the few sessions not yet known to have sets (open, empty), which
            # it checks for one; the others it reads from the week tallies.
            models.Index(
                fields=["athlete", "local_date"],
                condition=Q(has_sets=False),
                name="workouts_session_unflagged_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.routine_name} on {self.local_date:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        if not self.time_zone:
            self.time_zone = self.athlete.time_zone
        if self.local_date is None:
            self.local_date = weeks.local_date(self.started_at, self.time_zone)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("workouts:session", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class SessionExercise(models.Model):
    """A prescription as it stood when the session started: later catalogue edits never reach it."""

    session = models.ForeignKey(
        WorkoutSession, on_delete=models.CASCADE, related_name="session_exercises"
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    circuit_order = models.PositiveSmallIntegerField()
    circuit_name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField()
    rounds_min = models.PositiveSmallIntegerField()
    rounds_max = models.PositiveSmallIntegerField()
    rest_seconds = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    cue = models.CharField(max_length=240, blank=True)
    unit = models.CharField(max_length=16, choices=Exercise.Unit)
    target_min = models.PositiveSmallIntegerField()
    target_max = models.PositiveSmallIntegerField()
    to_fatigue = models.BooleanField(default=False)
    per_side = models.BooleanField(default=False)
    side_word = models.CharField(max_length=8, choices=PrescribedExercise.SideWord)
    per_direction = models.BooleanField(default=False)
    carries_load = models.BooleanField(default=False)
    load_note = models.CharField(max_length=80, blank=True)
    hold_top_seconds_min = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_top_seconds_max = models.PositiveSmallIntegerField(null=True, blank=True)
    dose = models.CharField(max_length=120, help_text="The dose as the athlete read it.")

    class Meta:
        ordering = ["session", "circuit_order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "circuit_order", "order"],
                name="workouts_sessionexercise_unique_position",
            ),
            models.CheckConstraint(
                condition=Q(rounds_min__gte=1, rounds_min__lte=models.F("rounds_max")),
                name="workouts_sessionexercise_rounds_range",
            ),
            models.CheckConstraint(
                condition=Q(target_min__gte=1, target_min__lte=models.F("target_max")),
                name="workouts_sessionexercise_target_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.dose})"

    @property
    def is_timed(self) -> bool:
        return self.unit == Exercise.Unit.SECONDS

    @property
    def value_max(self) -> int:
        return SECONDS_MAX if self.is_timed else REPS_MAX


# Bounds a logged value must stay within; they match what a person can do in one set.
REPS_MAX = 500
SECONDS_MAX = 1800
LOAD_KG_MAX = 300


class SetLog(models.Model):
    """One set an athlete did: a row per round of a session exercise."""

    # No index of its own: the indexes below both start with the session.
    session = models.ForeignKey(
        WorkoutSession, on_delete=models.CASCADE, related_name="set_logs", db_index=False
    )
    session_exercise = models.ForeignKey(
        SessionExercise, on_delete=models.CASCADE, related_name="set_logs"
    )
    round = models.PositiveSmallIntegerField()
    variation = models.ForeignKey(
        Variation, on_delete=models.PROTECT, null=True, blank=True, related_name="set_logs"
    )
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Reps (or jumps, steps, taps) or seconds held."
    )
    left = models.PositiveSmallIntegerField(null=True, blank=True)
    right = models.PositiveSmallIntegerField(null=True, blank=True)
    load_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    rpe = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="effort (RPE)")
    pain = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    performed_at = models.DateTimeField(help_text="When the athlete did it, by their phone.")
    received_at = models.DateTimeField(auto_now_add=True)
    client_id = models.UUIDField(help_text="Made by the phone; a retry carries the same one.")

    class Meta:
        ordering = ["session_exercise__circuit_order", "round", "session_exercise__order"]
        constraints = [
            models.UniqueConstraint(fields=["client_id"], name="workouts_setlog_unique_client_id"),
            models.UniqueConstraint(
                fields=["session_exercise", "round"], name="workouts_setlog_one_per_round"
            ),
            models.CheckConstraint(
                condition=(
                    Q(value__isnull=False, left__isnull=True, right__isnull=True)
                    | Q(value__isnull=True, left__isnull=False, right__isnull=False)
                ),
                name="workouts_setlog_value_or_both_sides",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(value__isnull=True) | Q(value__lte=SECONDS_MAX))
                    & (Q(left__isnull=True) | Q(left__lte=SECONDS_MAX))
                    & (Q(right__isnull=True) | Q(right__lte=SECONDS_MAX))
                ),
                name="workouts_setlog_values_bounded",
            ),
            models.CheckConstraint(
                condition=Q(load_kg__isnull=True) | Q(load_kg__gte=0, load_kg__lte=LOAD_KG_MAX),
                name="workouts_setlog_load_bounded",
            ),
            models.CheckConstraint(
                condition=Q(rpe__isnull=True) | Q(rpe__range=(1, 10)),
                name="workouts_setlog_rpe_1_10",
            ),
            models.CheckConstraint(
                condition=Q(pain__isnull=True) | Q(pain__range=(0, 10)),
                name="workouts_setlog_pain_0_10",
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="workouts_setlog_round_gte_1"),
        ]
        indexes = [
            # Session page and summary: all sets of one session.
            models.Index(
                fields=["session", "session_exercise"], name="workouts_setlog_session_idx"
            ),
            # Roster: a recent session's sets at or over the coach's pain threshold.
            models.Index(fields=["session", "pain"], name="workouts_setlog_pain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.session_exercise.name}, round {self.round}"


class SideBest(models.Model):
    """The best left and best right of one per-side exercise in one session.

    A summary of the set logs, so "left against right over the last few sessions" reads
    four rows per exercise instead of every set: `services` keeps it in step with each
    set logged, edited or undone (`workouts.summaries`), and it goes with its session.
    Athlete, start and local date are copied from the session so one index serves the read.
    """

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    session = models.ForeignKey(
        WorkoutSession, on_delete=models.CASCADE, related_name="side_bests", db_index=False
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    local_date = models.DateField()
    side_word = models.CharField(max_length=8, choices=PrescribedExercise.SideWord)
    best_left = models.PositiveSmallIntegerField()
    best_right = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            # Also the index the services' upsert and the session's cascade use.
            models.UniqueConstraint(
                fields=["session", "exercise"], name="workouts_sidebest_one_per_exercise"
            ),
        ]
        indexes = [
            # Side balances: an athlete's last few sessions of one exercise, newest first.
            models.Index(
                fields=["athlete", "exercise", "-started_at", "-session"],
                name="workouts_sidebest_recent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"L {self.best_left} / R {self.best_right} in session {self.session_id}"


class WeekTally(models.Model):
    """How many closed sessions with a set an athlete had in one week: the roster's history.

    A summary of the sessions, so a roster reads a row per athlete and week however often
    they train: `services` rewrites a week when a session in it closes or is deleted
    (`workouts.summaries`). Open sessions are not in it; the roster checks those itself.
    """

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    week_start = models.DateField(help_text="The Monday.")
    sessions = models.PositiveSmallIntegerField()
    last_date = models.DateField(help_text="The local date of the latest of them.")

    class Meta:
        constraints = [
            # Also the index the roster reads an athlete's weeks through.
            models.UniqueConstraint(
                fields=["athlete", "week_start"], name="workouts_weektally_one_per_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sessions} in the week of {self.week_start}"


class WeeklyTarget(models.Model):
    """A change of an athlete's sessions-per-week target, from a given week on.

    Each week is judged against the target in force then: the latest change whose week is
    not after it. Changing the target never rewrites past weeks.
    """

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_targets"
    )
    week_start = models.DateField(help_text="The Monday from which this target holds.")
    target = models.PositiveSmallIntegerField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["athlete", "week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "week_start"], name="workouts_weeklytarget_one_per_week"
            ),
            models.CheckConstraint(
                condition=Q(target__gte=1, target__lte=7), name="workouts_weeklytarget_1_7"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} a week from {self.week_start}"


class ExcusedWeek(models.Model):
    """A week that neither breaks the streak nor counts against adherence."""

    class Reason(models.TextChoices):
        INJURY = "injury", "Injury"
        ILLNESS = "illness", "Illness"
        HOLIDAY = "holiday", "Holiday"
        RACE = "race", "Race week"
        OTHER = "other", "Other"

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="excused_weeks"
    )
    week_start = models.DateField(help_text="The Monday of the excused week.")
    reason = models.CharField(max_length=16, choices=Reason)
    note = models.CharField(max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["athlete", "-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "week_start"], name="workouts_excusedweek_one_per_week"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["injury", "illness", "holiday", "race", "other"]),
                name="workouts_excusedweek_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Week of {self.week_start} excused: {self.get_reason_display()}"


class Comment(models.Model):
    """A note on a session, or on one set of it, from a linked coach or the athlete."""

    session = models.ForeignKey(WorkoutSession, on_delete=models.CASCADE, related_name="comments")
    set_log = models.ForeignKey(
        SetLog, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments_written"
    )
    body = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    seen_by_athlete_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["session", "created_at"], name="workouts_comment_session_idx"),
            # "New comments" on the athlete's home: unseen ones on their sessions.
            models.Index(
                fields=["session"],
                condition=Q(seen_by_athlete_at__isnull=True),
                name="workouts_comment_unseen_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.session}"
