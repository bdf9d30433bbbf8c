"""Write-side rules: starting a routine, logging sets, finishing; weekly targets and excused
weeks."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, connections, router, transaction
from django.db.models import Exists
from django.utils import timezone

from accounts.models import User
from workouts import summaries, weeks
from workouts.consistency import default_target
from workouts.models import (
    Comment,
    ExcusedWeek,
    Routine,
    SessionExercise,
    SetLog,
    SideBest,
    Variation,
    WeeklyTarget,
    WeekTally,
    WorkoutSession,
)


class SessionAlreadyOpen(Exception):
    def __init__(self, session: WorkoutSession):
        super().__init__(f"Session {session.pk} is still in progress")
        self.session = session


class SetLogRefused(Exception):
    """A set that cannot be stored; `message` says why in words an athlete understands."""

    status = 422

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class SetLogConflict(SetLogRefused):
    """The same client id came back with other values, or the slot is already logged."""

    status = 409


@dataclass(frozen=True)
class SetValues:
    """What the athlete entered for one set, already in storage units (seconds, kg)."""

    value: int | None = None
    left: int | None = None
    right: int | None = None
    load_kg: Decimal | None = None
    variation_id: int | None = None
    rpe: int | None = None
    pain: int | None = None
    note: str = ""

    def matches(self, log: SetLog) -> bool:
        stored_load = (
            None if log.load_kg is None else Decimal(log.load_kg).quantize(Decimal("0.01"))
        )
        load = None if self.load_kg is None else Decimal(self.load_kg).quantize(Decimal("0.01"))
        return (
            self.value == log.value
            and self.left == log.left
            and self.right == log.right
            and load == stored_load
            and self.variation_id == log.variation_id
            and self.rpe == log.rpe
            and self.pain == log.pain
            and self.note == log.note
        )


def routine_left_out_circuits(*, routine: Routine, athlete: User) -> list:
    """Circuits of a loaded routine that need equipment the athlete does not have."""
    owned = {e.pk for e in athlete.equipment.all()}
    return [
        circuit
        for circuit in routine.circuits.all()
        if circuit.needs_equipment_id is not None and circuit.needs_equipment_id not in owned
    ]


@transaction.atomic
def session_start(*, athlete: User, routine: Routine) -> WorkoutSession:
    """Start a session, copying the routine's prescriptions onto it.

    `routine` must come from `selectors.routine_get` (circuits and prescriptions loaded).
    Raises SessionAlreadyOpen when the athlete has a session in progress.
    """
    open_session = WorkoutSession.objects.filter(
        athlete=athlete, status=WorkoutSession.Status.IN_PROGRESS
    ).first()
    if open_session is not None:
        raise SessionAlreadyOpen(open_session)

    left_out = routine_left_out_circuits(routine=routine, athlete=athlete)
    left_out_ids = {c.pk for c in left_out}
    session = WorkoutSession(
        athlete=athlete,
        routine=routine,
        routine_name=routine.name,
        left_out="; ".join(
            f"Circuit {c.order} ({c.name}): no {c.needs_equipment.name.lower()}" for c in left_out
        ),
    )
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        # Another request started one a moment ago (a double tap): offer that one.
        raise SessionAlreadyOpen(
            WorkoutSession.objects.get(athlete=athlete, status=WorkoutSession.Status.IN_PROGRESS)
        ) from None

    rows = []
    for circuit in routine.circuits.all():
        if circuit.pk in left_out_ids:
            continue
        for prescription in circuit.prescriptions.all():
            exercise = prescription.exercise
            cues = exercise.cue_list()
            rows.append(
                SessionExercise(
                    session=session,
                    exercise=exercise,
                    circuit_order=circuit.order,
                    circuit_name=circuit.name,
                    order=prescription.order,
                    rounds_min=circuit.rounds_min,
                    rounds_max=circuit.rounds_max,
                    rest_seconds=circuit.rest_seconds,
                    name=exercise.name,
                    cue=cues[0] if cues else "",
                    unit=exercise.unit,
                    target_min=prescription.target_min,
                    target_max=prescription.target_max,
                    to_fatigue=prescription.to_fatigue,
                    per_side=prescription.per_side,
                    side_word=prescription.side_word,
                    per_direction=prescription.per_direction,
                    carries_load=exercise.carries_load,
                    load_note=prescription.load_note,
                    hold_top_seconds_min=prescription.hold_top_seconds_min,
                    hold_top_seconds_max=prescription.hold_top_seconds_max,
                    dose=prescription.dose_text,
                )
            )
    SessionExercise.objects.bulk_create(rows)
    return session


def _check_values(*, session_exercise: SessionExercise, values: SetValues) -> None:
    """The rules a set must meet whatever form it came from."""
    if session_exercise.per_side:
        if values.value is not None:
            raise SetLogRefused("Log left and right separately for this exercise.", field="value")
        if values.left is None or values.right is None:
            raise SetLogRefused("Enter both the left and the right side.", field="left")
    else:
        if values.left is not None or values.right is not None:
            raise SetLogRefused(
                "This exercise is not done per side; enter one number.", field="left"
            )
        if values.value is None:
            raise SetLogRefused("Enter how many you did.", field="value")
    limit = session_exercise.value_max
    what = "seconds" if session_exercise.is_timed else session_exercise.get_unit_display()
    for name in ("value", "left", "right"):
        number = getattr(values, name)
        if number is not None and not 0 <= number <= limit:
            raise SetLogRefused(f"Enter {what} from 0 to {limit}.", field=name)
    if values.load_kg is not None and not session_exercise.carries_load:
        raise SetLogRefused("This exercise carries no weight.", field="load")
    if (
        values.variation_id is not None
        and not Variation.objects.filter(
            pk=values.variation_id, exercise_id=session_exercise.exercise_id
        ).exists()
    ):
        raise SetLogRefused("That level is not one of this exercise's.", field="variation")


SESSION_CLOSED = "This session is finished, so its sets can no longer change."


def _ensure_open(session: WorkoutSession) -> None:
    if not session.is_open:
        raise SetLogRefused(SESSION_CLOSED, field=None)


def set_log_create(
    *,
    session: WorkoutSession,
    session_exercise: SessionExercise,
    round_number: int,
    values: SetValues,
    client_id: uuid.UUID,
    performed_at: datetime | None = None,
) -> tuple[SetLog, bool]:
    """Store one set; returns (log, created).

    Idempotent on client_id: a retry with the same id and values returns the stored set
    and creates nothing; the same id with other values raises SetLogConflict. The insert
    goes first and the unique client_id catches a retry, so a first send is one INSERT.
    """
    try:
        if session_exercise.session_id != session.pk:
            raise SetLogRefused("That exercise is not part of this session.", field=None)
        _ensure_open(session)
        if not 1 <= round_number <= session_exercise.rounds_max:
            raise SetLogRefused(
                f"This exercise has {session_exercise.rounds_max} round(s).", field="round"
            )
        _check_values(session_exercise=session_exercise, values=values)
    except SetLogRefused:
        # A retry of a set stored before is answered with that set, even when the session
        # has closed since. Looked up only here and on a clash below, so the usual first
        # send costs no query for it.
        existing = _stored(client_id)
        if existing is None:
            raise
        return _replayed(existing, session_exercise, round_number, values), False

    log = SetLog(
        session=session,
        session_exercise=session_exercise,
        round=round_number,
        client_id=client_id,
        performed_at=performed_at or timezone.now(),
        **_fields(values),
    )
    # The foreign keys were checked above; only the field values need validating here.
    log.full_clean(
        exclude=["session", "session_exercise", "variation"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            log.save()
            if log.left is not None:
                _side_bests_refresh(log, replace=False)
    except IntegrityError:
        # This set was stored before (a retry, maybe a concurrent one), or the round is taken.
        existing = _stored(client_id)
        if existing is not None:
            return _replayed(existing, session_exercise, round_number, values), False
        raise SetLogConflict(
            "This round is already logged. Edit that set instead.", field=None
        ) from None
    return log, True


def _stored(client_id: uuid.UUID) -> SetLog | None:
    return SetLog.objects.filter(client_id=client_id).first()


def _replayed(
    existing: SetLog, session_exercise: SessionExercise, round_number: int, values: SetValues
) -> SetLog:
    if (
        existing.session_exercise_id == session_exercise.pk
        and existing.round == round_number
        and values.matches(existing)
    ):
        return existing
    raise SetLogConflict(
        "This set was already saved with other values; nothing was changed. "
        "Reload the page to see what is stored.",
        field=None,
    )


def _fields(values: SetValues) -> dict:
    return {
        "value": values.value,
        "left": values.left,
        "right": values.right,
        "load_kg": values.load_kg,
        "variation_id": values.variation_id,
        "rpe": values.rpe,
        "pain": values.pain,
        "note": values.note,
    }


def set_log_update(*, log: SetLog, values: SetValues) -> SetLog:
    """Change a logged set while its session is open."""
    _ensure_open(log.session)
    _check_values(session_exercise=log.session_exercise, values=values)
    changed = [name for name, new in _fields(values).items() if getattr(log, name) != new]
    for name in changed:
        setattr(log, name, _fields(values)[name])
    if changed:
        log.full_clean(validate_unique=False, validate_constraints=False)
        with transaction.atomic():
            log.save(update_fields=changed)
            if "left" in changed or "right" in changed:
                _side_bests_refresh(log, replace=True)
    return log


def set_log_delete(*, log: SetLog) -> None:
    _ensure_open(log.session)
    with transaction.atomic():
        # Lock the session and read its status again: a finish running at the same moment
        # waits for this undo, so the has_sets it records counts this set as gone.
        status = (
            WorkoutSession.objects.select_for_update(no_key=True)
            .filter(pk=log.session_id)
            .values_list("status", flat=True)
            .get()
        )
        if status != WorkoutSession.Status.IN_PROGRESS:
            raise SetLogRefused(SESSION_CLOSED, field=None)
        log.delete()
        if log.left is not None:
            _side_bests_refresh(log, replace=True)


def _side_bests_refresh(log: SetLog, *, replace: bool) -> None:
    """One statement after a set is logged; for an edit or undo, delete and rebuild (two)."""
    summaries.refresh_side_bests(
        connections[router.db_for_write(SideBest)],
        session_id=log.session_id,
        exercise_id=log.session_exercise.exercise_id,
        replace=replace,
    )


def session_finish(*, session: WorkoutSession, note: str) -> WorkoutSession:
    if not session.is_open:
        return session
    session.status = WorkoutSession.Status.FINISHED
    session.ended_at = timezone.now()
    session.note = note
    session.full_clean(validate_constraints=False)
    with transaction.atomic():
        session.save(update_fields=["status", "ended_at", "note"])
        _record_has_sets(session)
    return session


def session_abandon(*, session: WorkoutSession) -> WorkoutSession:
    """Stop without finishing: the session and its sets are kept, marked incomplete."""
    if not session.is_open:
        return session
    session.status = WorkoutSession.Status.ABANDONED
    session.ended_at = timezone.now()
    with transaction.atomic():
        session.save(update_fields=["status", "ended_at"])
        _record_has_sets(session)
    return session


def _record_has_sets(session: WorkoutSession) -> None:
    """Set `has_sets` on a session just closed, whose sets can no longer change, and count
    it in its week's tally.

    A statement of its own, after the one that closed the session: that one waited for
    any undo in flight (`set_log_delete` locks the session), so this one sees its result.
    """
    session.has_sets = Exists(SetLog.objects.filter(session_id=session.pk))
    session.save(update_fields=["has_sets"])  # RETURNING puts the answer back on `session`
    if session.has_sets:
        week_tally_refresh(session=session)


def week_tally_refresh(*, session: WorkoutSession) -> None:
    """Count the week of `session` again (two statements)."""
    summaries.refresh_week_tally(
        connections[router.db_for_write(WeekTally)],
        athlete_id=session.athlete_id,
        week=session.local_date,
    )


def session_note_update(*, session: WorkoutSession, note: str) -> WorkoutSession:
    session.note = note
    session.full_clean(validate_constraints=False)
    session.save(update_fields=["note"])
    return session


def session_delete(*, session: WorkoutSession) -> None:
    """Delete a session with its sets and side bests, and count its week again."""
    with transaction.atomic():
        session.delete()
        week_tally_refresh(session=session)


# --- Weekly target and excused weeks ------------------------------------------------------

EXCUSE_WEEKS_BACK = 52


class WeekRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def weekly_target_set(*, athlete: User, target: int | None, by: User) -> None:
    """Change the target from this week on; earlier weeks keep the target they had.

    None means automatic: the suggestion of the routine done most, recorded as it is now,
    so later changes of that suggestion do not move this week either.
    """
    if target is not None and not 1 <= target <= 7:
        raise WeekRefused("Choose a target from 1 to 7 sessions a week.")
    this_week = weeks.week_of(weeks.today(athlete.zone))
    with transaction.atomic():
        if not WeeklyTarget.objects.filter(athlete=athlete).exists():
            # The first change: write down the target the weeks so far were held to.
            first = (
                WorkoutSession.objects.filter(athlete=athlete)
                .order_by("local_date")
                .values_list("local_date", flat=True)
                .first()
            )
            if first is not None and weeks.week_start(first) < this_week.start:
                WeeklyTarget.objects.create(
                    athlete=athlete,
                    week_start=weeks.week_start(first),
                    target=default_target(athlete),
                    set_by=None,
                )
        athlete.weekly_target = target
        athlete.save(update_fields=["weekly_target"])
        WeeklyTarget.objects.update_or_create(
            athlete=athlete,
            week_start=this_week.start,
            defaults={"target": target or default_target(athlete), "set_by": by},
        )


def _checked_week(athlete: User, week_start: date) -> date:
    today = weeks.today(athlete.zone)
    if week_start.weekday() != 0:
        raise WeekRefused("A week starts on a Monday.")
    if week_start > today:
        raise WeekRefused("A week that has not started yet cannot be excused.")
    if week_start < weeks.week_start(today) - weeks.WEEK * EXCUSE_WEEKS_BACK:
        raise WeekRefused("Only the last 52 weeks can be excused.")
    return week_start


def week_excuse(
    *, athlete: User, week_start: date, reason: str, note: str = "", by: User
) -> ExcusedWeek:
    """Mark a week excused (or change its reason); it then neither breaks the streak nor
    counts against adherence."""
    _checked_week(athlete, week_start)
    if reason not in ExcusedWeek.Reason.values:
        raise WeekRefused("Choose a reason from the list.")
    excused, _created = ExcusedWeek.objects.update_or_create(
        athlete=athlete,
        week_start=week_start,
        defaults={"reason": reason, "note": note.strip()[:200], "set_by": by},
    )
    return excused


def week_unexcuse(*, athlete: User, week_start: date) -> bool:
    """Count the week again; True if it was excused."""
    deleted, _by_model = ExcusedWeek.objects.filter(athlete=athlete, week_start=week_start).delete()
    return deleted > 0


# --- Coaching: recommendations and comments -------------------------------------------------

COMMENT_MAX = 1000


class CommentRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def routine_recommend(*, athlete: User, routine: Routine | None, by: User) -> None:
    """Suggest a routine on the athlete's home (None clears it). Never starts anything."""
    athlete.recommended_routine = routine
    athlete.recommended_by = by if routine is not None else None
    athlete.save(update_fields=["recommended_routine", "recommended_by"])


def comment_add(
    *, session: WorkoutSession, author: User, body: str, set_log: SetLog | None = None
) -> Comment:
    body = body.strip()
    if not body:
        raise CommentRefused("Write something first.")
    if len(body) > COMMENT_MAX:
        raise CommentRefused(f"Keep it under {COMMENT_MAX} characters.")
    if set_log is not None and set_log.session_id != session.pk:
        raise CommentRefused("That set is not part of this session.")
    seen = timezone.now() if author.pk == session.athlete_id else None
    return Comment.objects.create(
        session=session, set_log=set_log, author=author, body=body, seen_by_athlete_at=seen
    )


def comment_delete(*, comment: Comment, by: User) -> bool:
    """Only the author deletes a comment."""
    if comment.author_id != by.pk:
        return False
    comment.delete()
    return True


def comments_mark_seen(*, session: WorkoutSession) -> int:
    """The athlete opened the session: its comments are no longer new."""
    return Comment.objects.filter(session=session, seen_by_athlete_at__isnull=True).update(
        seen_by_athlete_at=timezone.now()
    )
