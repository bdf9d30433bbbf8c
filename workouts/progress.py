"""Progress per exercise: results over time, left against right, personal bests, and when
to suggest the next level. Reads only, in a fixed number of aggregate queries.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import connections, router
from django.db.models import Count, F, Max, Min, Sum, Window
from django.db.models.functions import RowNumber

from accounts.models import User
from workouts.models import Exercise, SetLog, SideBest, Variation, WorkoutSession

TREND_SESSIONS = 4
EVEN_BELOW_PERCENT = 10  # a smaller gap between sides is called even
TREND_POINTS = 5  # asymmetry must move this many points to count as narrowing or widening
HINT_SESSIONS = 2
BALANCE_LOOKBACK_DAYS = 90


def asymmetry_percent(left: float | None, right: float | None) -> int | None:
    """|L-R| / max(L, R) in percent; None without both sides or when both are zero."""
    if left is None or right is None:
        return None
    larger = max(left, right)
    if larger == 0:
        return None
    return round(100 * abs(left - right) / larger)


@dataclass
class SessionResult:
    session_id: int
    local_date: date
    started_at: datetime
    routine_name: str
    sets: int
    best: int | None
    total: int | None
    best_left: int | None
    best_right: int | None
    total_left: int | None
    total_right: int | None
    top_load: Decimal | None
    reached_top: bool
    level_order: int | None
    exercise_id: int = 0
    side_word: str = "leg"
    levels: list[str] = field(default_factory=list)
    records: list[str] = field(default_factory=list)  # which bests this session set

    @property
    def asymmetry(self) -> int | None:
        return asymmetry_percent(self.best_left, self.best_right)

    @property
    def level_text(self) -> str:
        return ", ".join(self.levels) or "-"


@dataclass
class SideBalance:
    """Left against right over an athlete's last few sessions of one exercise."""

    exercise_name: str
    exercise_slug: str
    side_word: str
    asymmetries: list[int | None]  # oldest first
    left_total: int
    right_total: int

    @property
    def percent(self) -> int | None:
        return asymmetry_percent(self.left_total, self.right_total)

    @property
    def weaker(self) -> str | None:
        """ "left", "right", or None when the sides are even."""
        percent = self.percent
        if percent is None or percent < EVEN_BELOW_PERCENT:
            return None
        return "left" if self.left_total < self.right_total else "right"

    @property
    def stronger(self) -> str | None:
        return {"left": "right", "right": "left"}.get(self.weaker or "")

    @property
    def trend(self) -> str | None:
        """narrowing, widening or steady, from the first to the last of the recent sessions."""
        known = [a for a in self.asymmetries if a is not None]
        if len(known) < 2:
            return None
        change = known[-1] - known[0]
        if change <= -TREND_POINTS:
            return "narrowing"
        if change >= TREND_POINTS:
            return "widening"
        return "steady"

    @property
    def sentence(self) -> str:
        """Worded without "your": the athlete and their coach read the same sentence."""
        sessions = len(self.asymmetries)
        span = "the last session" if sessions == 1 else f"the last {sessions} sessions"
        if self.weaker is None:
            return f"Left and right are even over {span} (within {EVEN_BELOW_PERCENT}%)."
        return (
            f"The {self.weaker} {self.side_word} is weaker: {self.percent}% behind "
            f"the {self.stronger} over {span}."
        )


@dataclass
class PersonalBest:
    label: str  # "Best set", "Left", "Right", "Top load"
    value: float
    on: date


@dataclass
class ExerciseProgress:
    exercise: Exercise
    ladder: list[Variation]
    results: list[SessionResult]  # oldest first
    per_side: bool
    bests: list[PersonalBest]
    balance: SideBalance | None
    next_step: str | None  # the progression hint, in words

    @property
    def is_timed(self) -> bool:
        return self.exercise.unit == Exercise.Unit.SECONDS

    @property
    def unit_suffix(self) -> str:
        return " s" if self.is_timed else ""


def session_results(logs) -> list[SessionResult]:
    """Aggregate set logs (already filtered to one athlete) per session and exercise."""
    rows = (
        logs.values(
            "session_id",
            "session__local_date",
            "session__started_at",
            "session__routine_name",
            "session_exercise__exercise_id",
        )
        .annotate(
            sets=Count("id"),
            best=Max("value"),
            total=Sum("value"),
            lowest=Min("value"),
            best_left=Max("left"),
            best_right=Max("right"),
            total_left=Sum("left"),
            total_right=Sum("right"),
            lowest_left=Min("left"),
            lowest_right=Min("right"),
            top_load=Max("load_kg"),
            target_max=Max("session_exercise__target_max"),
            level_order=Max("variation__order"),
            side_word=Max("session_exercise__side_word"),
        )
        .order_by("session__started_at", "session_id")
    )
    results = []
    for row in rows:
        target = row["target_max"]
        if row["best_left"] is not None or row["best_right"] is not None:
            lowest_sides = (row["lowest_left"], row["lowest_right"])
            reached = all(v is not None and v >= target for v in lowest_sides)
        else:
            reached = row["lowest"] is not None and row["lowest"] >= target
        result = SessionResult(
            session_id=row["session_id"],
            local_date=row["session__local_date"],
            started_at=row["session__started_at"],
            routine_name=row["session__routine_name"],
            sets=row["sets"],
            best=row["best"],
            total=row["total"],
            best_left=row["best_left"],
            best_right=row["best_right"],
            total_left=row["total_left"],
            total_right=row["total_right"],
            top_load=row["top_load"],
            reached_top=reached,
            level_order=row["level_order"],
            exercise_id=row["session_exercise__exercise_id"],
            side_word="side" if row["side_word"] == "side" else "leg",
        )
        results.append(result)
    return results


BEST_FIELDS = (("best", "Best set"), ("best_left", "Left"), ("best_right", "Right"))


def _mark_records(results: list[SessionResult]) -> list[PersonalBest]:
    """Flag each session that beat every earlier one; return the standing bests."""
    standing: dict[str, PersonalBest] = {}
    for result in results:
        for attr, label in (*BEST_FIELDS, ("top_load", "Top load")):
            value = getattr(result, attr)
            if value is None:
                continue
            best = standing.get(attr)
            if best is None or value > best.value:
                if best is not None:
                    result.records.append(label)
                standing[attr] = PersonalBest(label=label, value=value, on=result.local_date)
    order = [attr for attr, _label in BEST_FIELDS] + ["top_load"]
    return [standing[attr] for attr in order if attr in standing]


def _balance(
    results: list[SessionResult], exercise_name: str, exercise_slug: str, side_word: str
) -> SideBalance | None:
    sided = [r for r in results if r.best_left is not None and r.best_right is not None]
    recent = sided[-TREND_SESSIONS:]
    if not recent:
        return None
    return SideBalance(
        exercise_name=exercise_name,
        exercise_slug=exercise_slug,
        side_word=side_word,
        asymmetries=[r.asymmetry for r in recent],
        left_total=sum(r.best_left for r in recent),
        right_total=sum(r.best_right for r in recent),
    )


@dataclass
class SessionLevel:
    """What the hint reads of one session's sets of an exercise; `session_results` gives
    the same two facts (among others) aggregated in SQL."""

    reached_top: bool  # every set at the top of the dose, on each side
    level_order: int | None  # the highest level used


def session_level(logs: list[SetLog], target: int) -> SessionLevel:
    """`SessionLevel` from the sets in hand (their `variation` loaded), counted as
    `session_results` counts them: the lowest set on each side, or the lowest value, must
    reach `target`; a per-side exercise needs both sides."""
    lefts = [log.left for log in logs if log.left is not None]
    rights = [log.right for log in logs if log.right is not None]
    if lefts or rights:
        reached = bool(lefts and rights) and min(lefts) >= target and min(rights) >= target
    else:
        values = [log.value for log in logs if log.value is not None]
        reached = bool(values) and min(values) >= target
    levels = [log.variation.order for log in logs if log.variation_id is not None]
    return SessionLevel(reached_top=reached, level_order=max(levels) if levels else None)


def next_step(
    results: list[SessionResult] | list[SessionLevel], ladder: list[Variation], exercise: Exercise
) -> str | None:
    """The progression hint: the top of the dose, on every side, in each of the last two
    sessions at the same level, suggests the next level of the ladder. Never applied."""
    recent = results[-HINT_SESSIONS:]
    if len(recent) < HINT_SESSIONS or not all(r.reached_top for r in recent):
        return None
    if len({r.level_order for r in recent}) != 1:
        return None  # a level change in between: start counting again at the new level
    level = recent[-1].level_order
    if ladder and level is not None:
        higher = [v for v in ladder if v.order > level]
        if higher:
            return f"Ready for the next level: {higher[0].name}."
    if exercise.progresses_to_id is not None:
        return f"Ready for a harder exercise: {exercise.progresses_to.name}."
    return None


def exercise_progress(*, athlete: User, exercise: Exercise) -> ExerciseProgress:
    """One exercise over time for one athlete: three queries after the exercise."""
    logs = SetLog.objects.filter(session__athlete=athlete, session_exercise__exercise=exercise)
    results = session_results(logs)
    levels = defaultdict(list)
    for session_id, name in (
        logs.filter(variation__isnull=False)
        .values_list("session_id", "variation__name")
        .order_by("session_id", "variation__order")
        .distinct()
    ):
        levels[session_id].append(name)
    for result in results:
        result.levels = levels.get(result.session_id, [])
    ladder = list(exercise.variations.order_by("order"))
    per_side = any(r.best_left is not None for r in results)
    side_word = results[-1].side_word if results else "leg"
    return ExerciseProgress(
        exercise=exercise,
        ladder=ladder,
        results=results,
        per_side=per_side,
        bests=_mark_records(results),
        balance=_balance(results, exercise.name, exercise.slug, side_word) if per_side else None,
        next_step=next_step(results, ladder, exercise),
    )


@dataclass
class ExerciseDone:
    exercise_id: int
    name: str
    slug: str
    sessions: int
    last_date: date


def exercises_done(*, athlete: User) -> list[ExerciseDone]:
    """Every exercise the athlete has logged, most recent first: one query."""
    rows = (
        SetLog.objects.filter(session__athlete=athlete)
        .values(
            "session_exercise__exercise_id",
            "session_exercise__exercise__name",
            "session_exercise__exercise__slug",
        )
        .annotate(sessions=Count("session_id", distinct=True), last=Max("session__local_date"))
        .order_by("-last", "session_exercise__exercise__name")
    )
    return [
        ExerciseDone(
            exercise_id=row["session_exercise__exercise_id"],
            name=row["session_exercise__exercise__name"],
            slug=row["session_exercise__exercise__slug"],
            sessions=row["sessions"],
            last_date=row["last"],
        )
        for row in rows
    ]


def side_balances(*, athlete: User, today: date) -> list[SideBalance]:
    """Left against right for every per-side exercise done lately: one query."""
    return side_balances_for(athlete_ids=[athlete.pk], today=today).get(athlete.pk, [])


def side_balances_for(*, athlete_ids: list[int], today: date) -> dict[int, list[SideBalance]]:
    """The same for many athletes in one query, biggest gap first for each.

    It reads the side-best summary, never the sets: at most TREND_SESSIONS rows per athlete
    and exercise, however often they train.
    """
    since = today - timedelta(days=BALANCE_LOOKBACK_DAYS)
    alias = router.db_for_read(SideBest)
    if connections[alias].vendor == "postgresql":
        rows = _recent_side_bests_lateral(alias, athlete_ids, since)
    else:
        rows = _recent_side_bests_window(athlete_ids, since)
    # (athlete, exercise, name, slug, side word, best left, best right), oldest first. The
    # roster reads some 1,800 of them per request: one pass, totals kept as it goes.
    grouped: dict[tuple[int, int], SideBalance] = {}
    for athlete_id, exercise_id, name, slug, side_word, left, right in rows:
        balance = grouped.get((athlete_id, exercise_id))
        if balance is None:
            grouped[athlete_id, exercise_id] = SideBalance(
                exercise_name=name,
                exercise_slug=slug,
                side_word="side" if side_word == "side" else "leg",
                asymmetries=[asymmetry_percent(left, right)],
                left_total=left,
                right_total=right,
            )
        else:
            balance.asymmetries.append(asymmetry_percent(left, right))
            balance.left_total += left
            balance.right_total += right
    balances: dict[int, list[SideBalance]] = defaultdict(list)
    for (athlete_id, _exercise_id), balance in grouped.items():
        balances[athlete_id].append(balance)
    for athlete_balances in balances.values():
        athlete_balances.sort(key=lambda b: (-(b.percent or 0), b.exercise_name))
    return balances


# For each athlete and each exercise ever logged per side (a probe per exercise of the
# catalogue finds them, so a catalogue change cannot hide history), an index range read of
# the newest TREND_SESSIONS rows. Local midnight of `since` is never before midnight UTC
# the day before (zones reach UTC+14), so that bound on started_at lets the range stop
# there; local_date stays the rule.
RECENT_SIDE_BESTS = """
SELECT a.athlete_id, e.id, e.name, e.slug, b.side_word, b.best_left, b.best_right
FROM unnest(%s::bigint[]) AS a (athlete_id)
CROSS JOIN (
    SELECT id, name, slug FROM workouts_exercise x
    WHERE EXISTS (SELECT 1 FROM workouts_sidebest y WHERE y.exercise_id = x.id)
) e
CROSS JOIN LATERAL (
    SELECT r.session_id, r.started_at, r.side_word, r.best_left, r.best_right
    FROM workouts_sidebest r
    WHERE r.athlete_id = a.athlete_id AND r.exercise_id = e.id
        AND r.started_at >= %s AND r.local_date >= %s
    ORDER BY r.started_at DESC, r.session_id DESC
    LIMIT %s
) b
ORDER BY b.started_at, b.session_id
"""


def _recent_side_bests_lateral(alias: str, athlete_ids: list[int], since: date) -> list[tuple]:
    """PostgreSQL: a LATERAL join, bounded by count whatever the history."""
    earliest_start = datetime.combine(since - timedelta(days=1), time(), tzinfo=UTC)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            RECENT_SIDE_BESTS, [list(athlete_ids), earliest_start, since, TREND_SESSIONS]
        )
        return cursor.fetchall()


def _recent_side_bests_window(athlete_ids: list[int], since: date) -> list[tuple]:
    """Elsewhere (SQLite, for demos and tests): the same rows through a window function,
    which reads every row of the lookback; PostgreSQL tests prove both agree."""
    return list(
        SideBest.objects.filter(athlete_id__in=athlete_ids, local_date__gte=since)
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=[F("athlete_id"), F("exercise_id")],
                order_by=[F("started_at").desc(), F("session_id").desc()],
            )
        )
        .filter(recency__lte=TREND_SESSIONS)
        .order_by("started_at", "session_id")
        .values_list(
            "athlete_id",
            "exercise_id",
            "exercise__name",
            "exercise__slug",
            "side_word",
            "best_left",
            "best_right",
        )
    )


def session_records(*, session: WorkoutSession) -> dict[int, list[str]]:
    """{exercise id: ["Left", "Best set"]}: the bests this session beat, in two queries.

    A first attempt is not a record; there is nothing to beat yet.
    """
    here = session_results(SetLog.objects.filter(session=session))
    if not here:
        return {}
    exercise_ids = [r.exercise_id for r in here]
    before = (
        SetLog.objects.filter(
            session__athlete_id=session.athlete_id,
            session__started_at__lt=session.started_at,
            session_exercise__exercise_id__in=exercise_ids,
        )
        .values("session_exercise__exercise_id")
        .annotate(best=Max("value"), best_left=Max("left"), best_right=Max("right"))
    )
    previous = {row["session_exercise__exercise_id"]: row for row in before}
    records: dict[int, list[str]] = {}
    for result in here:
        earlier = previous.get(result.exercise_id)
        if earlier is None:
            continue
        beaten = [
            label
            for attr, label in BEST_FIELDS
            if getattr(result, attr) is not None
            and (earlier[attr] is None or getattr(result, attr) > earlier[attr])
        ]
        if beaten:
            records[result.exercise_id] = beaten
    return records
