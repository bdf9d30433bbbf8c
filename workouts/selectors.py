"""Read-side queries for the workouts app: each returns everything its page needs."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from workouts import catalogue, progress
from workouts.models import (
    Circuit,
    Comment,
    Equipment,
    Exercise,
    Routine,
    SessionExercise,
    SetLog,
    Variation,
    WorkoutSession,
)


@dataclass
class EquipmentNeeds:
    """What a routine asks for: always, for an optional circuit only, or just helpful."""

    required: list[Equipment] = field(default_factory=list)
    optional_circuits: list[tuple[Equipment, Circuit]] = field(default_factory=list)
    helpful: list[Equipment] = field(default_factory=list)


def routine_list() -> list[Routine]:
    """Active routines, each with circuits, prescriptions and exercises loaded (cached:
    workouts/catalogue.py). Read them; never change them."""
    return list(catalogue.current().routines)


def routine_get(*, slug: str) -> Routine:
    routine = catalogue.current().routine(slug)
    if routine is None:
        raise Http404("No such routine.")
    return routine


def routine_equipment(routine: Routine) -> EquipmentNeeds:
    """Sort a loaded routine's equipment into required, per optional circuit, and helpful."""
    needs = EquipmentNeeds()
    required: dict[int, Equipment] = {}
    optional: dict[int, tuple[Equipment, Circuit]] = {}
    helpful: dict[int, Equipment] = {}
    for circuit in routine.circuits.all():
        gate = circuit.needs_equipment
        if gate is not None:
            optional[gate.pk] = (gate, circuit)
        for prescription in circuit.prescriptions.all():
            exercise = prescription.exercise
            for item in exercise.equipment.all():
                if gate is None:
                    required[item.pk] = item
                elif item.pk != gate.pk:
                    # Needed only for the optional circuit, e.g. the step in circuit 3.
                    optional.setdefault(item.pk, (item, circuit))
            for item in exercise.helpful_equipment.all():
                helpful[item.pk] = item
            for variation in exercise.variations.all():
                for item in variation.equipment.all():
                    helpful[item.pk] = item
    needs.required = sorted(required.values(), key=lambda e: e.name)
    needs.optional_circuits = [
        pair
        for pk, pair in sorted(optional.items(), key=lambda kv: kv[1][0].name)
        if pk not in required
    ]
    needs.helpful = sorted(
        (e for pk, e in helpful.items() if pk not in required and pk not in optional),
        key=lambda e: e.name,
    )
    return needs


def routine_exercise_count(routine: Routine) -> int:
    return sum(len(circuit.prescriptions.all()) for circuit in routine.circuits.all())


# --- Doing a routine -------------------------------------------------------------------


@dataclass
class SetRow:
    """One set to do on the session page: a round of a session exercise."""

    session_exercise: SessionExercise
    round: int
    log: SetLog | None
    previous: SetLog | None
    default_value: int
    variations: list[Variation]
    default_variation_id: int | None
    client_id: uuid.UUID | str = field(default_factory=uuid.uuid4)
    next_step: str | None = None  # the progression hint, on the first round's row
    errors: dict | None = None
    # What the athlete sent when it was refused, shown back so nothing typed is lost.
    submitted: dict | None = None

    @property
    def optional(self) -> bool:
        return self.round > self.session_exercise.rounds_min

    def fields_shown(self) -> set[str]:
        exercise = self.session_exercise
        shown = {"rpe", "pain", "note"}
        shown |= {"left", "right"} if exercise.per_side else {"value"}
        if exercise.carries_load:
            shown.add("load")
        if self.variations:
            shown.add("variation")
        return shown

    def refuse(self, errors: dict[str, list[str]], submitted: dict) -> None:
        """Attach a refusal: messages go next to their field, or atop the row if it has none."""
        shown = self.fields_shown()
        self.errors = {}
        for name, messages in errors.items():
            key = name if name in shown else "__all__"
            self.errors.setdefault(key, []).extend(messages)
        self.submitted = submitted
        if submitted.get("client_id"):
            self.client_id = submitted["client_id"]

    @property
    def anchor(self) -> str:
        return f"set-{self.session_exercise.pk}-{self.round}"


@dataclass
class RoundBlock:
    number: int
    optional: bool
    rows: list[SetRow]


@dataclass
class CircuitBlock:
    order: int
    name: str
    rounds: list[RoundBlock]


def previous_logs(
    *, athlete: User, exercise_ids: Iterable[int], before_session: WorkoutSession
) -> dict[int, dict[int, SetLog]]:
    """For each exercise, the sets of the last earlier session that did it, keyed by round.

    Two queries whatever the history length: the latest session per exercise, then its sets.
    The first walks the athlete's sessions newest first (workouts_session_athlete_idx) and
    stops at the first one with a set of the exercise, so a long history costs nothing more.
    """
    earlier = _earlier_sessions_doing(
        athlete_id=athlete.pk, before=before_session.started_at, since=None
    )
    latest = (
        Exercise.objects.filter(pk__in=list(exercise_ids))
        .annotate(last_session=Subquery(earlier[:1]))
        .order_by()
        .values_list("pk", "last_session")
    )
    pairs = [(exercise_id, session_id) for exercise_id, session_id in latest if session_id]
    if not pairs:
        return {}
    condition = Q()
    for exercise_id, session_id in pairs:
        condition |= Q(session_exercise__exercise_id=exercise_id, session_id=session_id)
    found: dict[int, dict[int, SetLog]] = {}
    for log in SetLog.objects.filter(condition).select_related("session_exercise", "variation"):
        found.setdefault(log.session_exercise.exercise_id, {})[log.round] = log
    return found


def _reached_top(exercise: SessionExercise, logs: Iterable[SetLog]) -> bool:
    for log in logs:
        numbers = [log.left, log.right] if exercise.per_side else [log.value]
        if all(n is not None and n >= exercise.target_max for n in numbers):
            return True
    return False


def default_value(exercise: SessionExercise, previous: dict[int, SetLog]) -> int:
    """The top of the range if the athlete reached it last time, else the bottom."""
    if exercise.target_min == exercise.target_max:
        return exercise.target_min
    return exercise.target_max if _reached_top(exercise, previous.values()) else exercise.target_min


def _last_variation_id(previous: dict[int, SetLog], variations: list[Variation]) -> int | None:
    used = [log for log in previous.values() if log.variation_id]
    if used:
        return max(used, key=lambda log: log.performed_at).variation_id
    return variations[0].pk if variations else None


def _set_rows(
    exercise: SessionExercise,
    logs: dict[int, SetLog],
    variations: list[Variation],
    last_time: dict[int, SetLog],
) -> list[SetRow]:
    latest = last_time[max(last_time)] if last_time else None
    value = default_value(exercise, last_time)
    variation_id = _last_variation_id(last_time, variations)
    return [
        SetRow(
            session_exercise=exercise,
            round=number,
            log=logs.get(number),
            previous=last_time.get(number) or latest,
            default_value=value,
            variations=variations,
            default_variation_id=variation_id,
        )
        for number in range(1, exercise.rounds_max + 1)
    ]


def session_blocks(*, session: WorkoutSession, hints: bool = False) -> list[CircuitBlock]:
    """Everything the session page shows, circuit by circuit and round by round; with
    `hints`, the next-level hints too (only while the athlete can act on them).

    A fixed number of queries whatever the session or the history holds: five, and one
    more for the hints, when the athlete's last RECENT_SESSIONS sessions settle "last
    time" and the hints (they usually do); a few more when they do not.
    """
    exercises = list(session.session_exercises.all())
    logs: dict[int, dict[int, SetLog]] = {}
    for log in SetLog.objects.filter(session=session).select_related("variation"):
        logs.setdefault(log.session_exercise_id, {})[log.round] = log
    exercise_ids = {e.exercise_id for e in exercises}
    known = catalogue.current()
    history = _recent_history(session=session, exercise_ids=exercise_ids, hints=hints)
    if history is not None:
        previous = history.last_time
    else:
        previous = previous_logs(
            athlete=session.athlete, exercise_ids=exercise_ids, before_session=session
        )

    circuits: dict[int, CircuitBlock] = {}
    for exercise in exercises:
        block = circuits.setdefault(
            exercise.circuit_order, CircuitBlock(exercise.circuit_order, exercise.circuit_name, [])
        )
        rows = _set_rows(
            exercise,
            logs.get(exercise.pk, {}),
            known.ladder(exercise.exercise_id),
            previous.get(exercise.exercise_id, {}),
        )
        for row in rows:
            while len(block.rounds) < row.round:
                number = len(block.rounds) + 1
                block.rounds.append(RoundBlock(number, number > exercise.rounds_min, []))
            block.rounds[row.round - 1].rows.append(row)
    blocks = [circuits[key] for key in sorted(circuits)]
    if hints:
        progression_hints(
            session=session,
            blocks=blocks,
            exercises=known.exercises,
            levels=history.hint_levels if history is not None else None,
        )
    return blocks


RECENT_SESSIONS = 6  # two routines done in turn: the last three of each


@dataclass
class RecentHistory:
    """What the session page needs from earlier sessions, read from the last few only."""

    last_time: dict[int, dict[int, SetLog]]  # exercise -> round -> set, in its last session
    # exercise -> what the next-level hint reads of the sessions it counts (the last
    # HINT_SESSIONS within HINT_LOOKBACK that did it), oldest first
    hint_levels: dict[int, list[progress.SessionLevel]]


def _recent_history(
    *, session: WorkoutSession, exercise_ids: set[int], hints: bool
) -> RecentHistory | None:
    """ "Last time" and what the hints read from the athlete's last RECENT_SESSIONS
    sessions before this one: two simple queries that never look further back.

    None when those sessions cannot settle it: an exercise not done in them, or (for the
    hints) done in too few of them, while older sessions might hold what is missing. The
    caller then walks the history per exercise (`previous_logs`, `progression_hints`).
    """
    recent = list(
        WorkoutSession.objects.filter(
            athlete_id=session.athlete_id, started_at__lt=session.started_at
        )
        .order_by("-started_at", "-pk")
        .values_list("pk", "local_date")[:RECENT_SESSIONS]
    )
    if not recent:
        return RecentHistory(last_time={}, hint_levels={})
    found: dict[int, dict[int, dict[int, SetLog]]] = {}  # exercise -> session -> round -> set
    sets_of: dict[tuple[int, int], list[SetLog]] = {}  # (exercise, session) -> its sets
    for log in (
        SetLog.objects.filter(
            session_id__in=[pk for pk, _day in recent],
            session_exercise__exercise_id__in=exercise_ids,
        )
        .select_related("variation")
        .annotate(
            exercise_id=F("session_exercise__exercise_id"),
            target_max=F("session_exercise__target_max"),
        )
    ):
        found.setdefault(log.exercise_id, {}).setdefault(log.session_id, {})[log.round] = log
        sets_of.setdefault((log.exercise_id, log.session_id), []).append(log)
    # Older sessions exist only if the slice came back full.
    more_before = len(recent) == RECENT_SESSIONS
    since = session.local_date - HINT_LOOKBACK
    more_within_lookback = more_before and recent[-1][1] >= since
    last_time: dict[int, dict[int, SetLog]] = {}
    hint_levels: dict[int, list[progress.SessionLevel]] = {}
    for exercise_id in exercise_ids:
        by_session = found.get(exercise_id, {})
        doing = [pk for pk, _day in recent if pk in by_session]  # newest first
        if not doing:
            if more_before:
                return None
            continue
        last_time[exercise_id] = by_session[doing[0]]
        if hints:
            within = [pk for pk, day in recent if pk in by_session and day >= since]
            if len(within) < progress.HINT_SESSIONS and more_within_lookback:
                return None
            hint_levels[exercise_id] = [
                progress.session_level(logs, max(log.target_max for log in logs))
                for logs in (sets_of[exercise_id, pk] for pk in within[: progress.HINT_SESSIONS])
            ][::-1]
    return RecentHistory(last_time=last_time, hint_levels=hint_levels)


def session_row(
    *, session: WorkoutSession, session_exercise: SessionExercise, round: int
) -> SetRow:
    """One set row with the set read from the database: to show a refusal beside it."""
    log = (
        SetLog.objects.filter(session_exercise=session_exercise, round=round)
        .select_related("variation")
        .first()
    )
    return set_row(session=session, session_exercise=session_exercise, round=round, log=log)


def set_row(
    *, session: WorkoutSession, session_exercise: SessionExercise, round: int, log: SetLog | None
) -> SetRow:
    """The row of a set just logged or changed (`log`), or undone (None): the htmx answer.

    Two queries: the catalogue's token (its ladders are cached) and the sets the
    exercise had last time. The set itself is the one the view just wrote, so it is not
    read back.
    """
    variations = catalogue.current().ladder(session_exercise.exercise_id)
    ladder = {v.pk: v for v in variations}
    last_time = last_time_logs(
        athlete_id=session.athlete_id,
        exercise_id=session_exercise.exercise_id,
        before=session.started_at,
        ladder=ladder,
    )
    if log is not None and log.variation_id in ladder:
        log.variation = ladder[log.variation_id]  # its name is on the row: no query for it
    rows = _set_rows(session_exercise, {log.round: log} if log else {}, variations, last_time)
    return rows[round - 1]


# Written out rather than built with the ORM: logging a set runs it every time, and
# composing the subquery cost Django more (about 1.4 ms) than PostgreSQL spends on it.
_LAST_TIME_SQL = """
    SELECT l.* FROM workouts_setlog l
    JOIN workouts_sessionexercise e ON e.id = l.session_exercise_id
    WHERE e.exercise_id = %s AND l.session_id = (
        SELECT l2.session_id FROM workouts_setlog l2
        JOIN workouts_sessionexercise e2 ON e2.id = l2.session_exercise_id
        JOIN workouts_workoutsession s ON s.id = l2.session_id
        WHERE e2.exercise_id = %s AND s.athlete_id = %s AND s.started_at < %s
        ORDER BY s.started_at DESC, l2.session_id DESC
        LIMIT 1
    )
"""


def last_time_logs(
    *, athlete_id: int, exercise_id: int, before: datetime, ladder: dict[int, Variation]
) -> dict[int, SetLog]:
    """One exercise's sets in the athlete's last session before `before` that did it, by
    round: what `previous_logs` finds for one exercise, in one query. Each set's level
    comes from `ladder` (the exercise's variations by id), so it costs no query.

    The inner query walks the athlete's sessions newest first (workouts_session_athlete_idx)
    and stops at the first set of the exercise, so a long history costs nothing more.
    """
    started = connection.ops.adapt_datetimefield_value(before)
    logs = SetLog.objects.raw(_LAST_TIME_SQL, [exercise_id, exercise_id, athlete_id, started])
    found = {}
    for log in logs:
        if log.variation_id in ladder:
            log.variation = ladder[log.variation_id]
        found[log.round] = log
    return found


@dataclass
class SessionSummary:
    sets_done: int
    sets_prescribed: int
    optional_done: int
    duration: timedelta | None
    skipped: list[str]
    records: list[tuple[str, list[str]]] = field(default_factory=list)  # bests beaten


def session_summary(*, session: WorkoutSession, blocks: list[CircuitBlock]) -> SessionSummary:
    done = prescribed = optional_done = 0
    logged_exercises: set[int] = set()
    names: dict[int, str] = {}
    for block in blocks:
        for round_block in block.rounds:
            for row in round_block.rows:
                names[row.session_exercise.pk] = row.session_exercise.name
                if not row.optional:
                    prescribed += 1
                if row.log is not None:
                    logged_exercises.add(row.session_exercise.pk)
                    if row.optional:
                        optional_done += 1
                    else:
                        done += 1
    skipped = [name for pk, name in names.items() if pk not in logged_exercises]
    end = session.ended_at or timezone.now()
    records = []
    if not session.is_open:
        by_exercise = progress.session_records(session=session)
        exercise_names = {
            row.session_exercise.exercise_id: row.session_exercise.name
            for block in blocks
            for round_block in block.rounds
            for row in round_block.rows
        }
        records = [
            (exercise_names[exercise_id], [label.lower() for label in labels])
            for exercise_id, labels in by_exercise.items()
        ]
    return SessionSummary(
        sets_done=done,
        sets_prescribed=prescribed,
        optional_done=optional_done,
        duration=end - session.started_at,
        skipped=skipped,
        records=records,
    )


HINT_LOOKBACK = timedelta(days=180)


def _earlier_sessions_doing(
    *, athlete_id: int, before: datetime, since: date | None
) -> QuerySet[WorkoutSession]:
    """The athlete's sessions started before `before` (from `since` on) with a set of the
    exercise in the outer query, newest first: walked along workouts_session_athlete_idx
    and stopped at the first rows a subquery asks for."""
    did_it = SetLog.objects.filter(
        session_id=OuterRef("pk"), session_exercise__exercise_id=OuterRef(OuterRef("pk"))
    )
    earlier = WorkoutSession.objects.filter(athlete_id=athlete_id, started_at__lt=before)
    if since is not None:
        earlier = earlier.filter(local_date__gte=since)
    return earlier.filter(Exists(did_it)).order_by("-started_at", "-pk").values("pk")


def progression_hints(
    *,
    session: WorkoutSession,
    blocks: list[CircuitBlock],
    exercises: dict[int, Exercise],
    levels: dict[int, list[progress.SessionLevel]] | None = None,
) -> None:
    """Put the next-level hint on the first row of each exercise that earned one.

    `levels` gives, per exercise, what the hint reads of the last two earlier sessions
    (within HINT_LOOKBACK) that did it, worked out by `_recent_history` from the sets it
    read: then no query. Without it, one query walks the history for those sessions and
    one aggregates only their sets, so a long or dense history costs nothing more.
    """
    first_rows = {
        row.session_exercise.exercise_id: row
        for block in blocks
        for round_block in block.rounds
        for row in round_block.rows
        if row.round == 1
    }
    if not first_rows:
        return
    per_exercise = levels if levels is not None else _hint_results(session, list(first_rows))
    for exercise_id, results in per_exercise.items():
        row = first_rows.get(exercise_id)
        if row is not None and results:
            row.next_step = progress.next_step(results, row.variations, exercises[exercise_id])


def _hint_results(
    session: WorkoutSession, exercise_ids: list[int]
) -> dict[int, list[progress.SessionResult]]:
    """Per exercise, the results of the sessions the hint counts, oldest first: the walk
    back through the history, for when the last few sessions do not settle it."""
    sessions_doing = _hint_sessions(session=session, exercise_ids=exercise_ids)
    pairs = {(exercise_id, pk) for exercise_id, pks in sessions_doing.items() for pk in pks}
    if not pairs:
        return {}
    logs = SetLog.objects.filter(
        session__athlete_id=session.athlete_id,
        session_id__in={pk for _exercise_id, pk in pairs},
        session_exercise__exercise_id__in={exercise_id for exercise_id, _pk in pairs},
    )
    per_exercise: dict[int, list[progress.SessionResult]] = {}
    for result in progress.session_results(logs):
        if (result.exercise_id, result.session_id) in pairs:
            per_exercise.setdefault(result.exercise_id, []).append(result)
    return per_exercise


def _hint_sessions(*, session: WorkoutSession, exercise_ids: list[int]) -> dict[int, list[int]]:
    """The last two earlier sessions within HINT_LOOKBACK that did each exercise, walked
    per exercise in one query."""
    earlier = _earlier_sessions_doing(
        athlete_id=session.athlete_id,
        before=session.started_at,
        since=session.local_date - HINT_LOOKBACK,
    )
    return {
        exercise_id: [pk for pk in (last, before_last) if pk]
        for exercise_id, last, before_last in Exercise.objects.filter(pk__in=exercise_ids)
        .annotate(last=Subquery(earlier[:1]), before_last=Subquery(earlier[1:2]))
        .values_list("pk", "last", "before_last")
    }


def open_session(*, athlete: User) -> WorkoutSession | None:
    return WorkoutSession.objects.filter(
        athlete=athlete, status=WorkoutSession.Status.IN_PROGRESS
    ).first()


def session_history(*, athlete: User) -> QuerySet[WorkoutSession]:
    return (
        WorkoutSession.objects.filter(athlete=athlete)
        .annotate(sets=Count("set_logs"))
        .order_by("-started_at", "-pk")
    )


def session_comments(*, session: WorkoutSession) -> list[Comment]:
    return list(session.comments.select_related("author", "set_log__session_exercise"))


def unseen_comments(*, athlete: User) -> list[dict]:
    """Sessions with comments from others the athlete has not opened yet: one query."""
    return list(
        Comment.objects.filter(session__athlete=athlete, seen_by_athlete_at__isnull=True)
        .exclude(author=athlete)
        .values("session_id", "session__routine_name", "session__local_date")
        .annotate(count=Count("id"))
        .order_by("-session__local_date")
    )
