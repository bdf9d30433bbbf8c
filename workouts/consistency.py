"""Weekly consistency: sessions per week against the target, streaks, adherence, heat map.

Reads only: a fixed number of aggregate queries per athlete, whatever the length of the
history (one per day-with-sets row, targets and excused weeks), then plain Python over
weeks. Week boundaries come from `workouts.weeks`.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count

from accounts.models import User
from workouts import weeks
from workouts.models import ExcusedWeek, SetLog, WeeklyTarget, WorkoutSession
from workouts.weeks import Week

CHART_WEEKS = 12
HEATMAP_WEEKS = 26  # about six months


@dataclass
class WeekResult:
    # consistency_from builds these by position (keywords cost 2 ms more on the roster):
    # keep that call in step with this order.
    week: Week
    sessions: int
    sets: int
    target: int
    excused: ExcusedWeek | None
    is_current: bool
    before_start: bool = False  # before the athlete's first session: not judged

    @property
    def met(self) -> bool:
        return self.sessions >= self.target

    @property
    def status(self) -> str:
        """met, excused, missed, in_progress (this week, not met yet) or before_start."""
        if self.met:
            return "met"
        if self.excused is not None:
            return "excused"
        if self.is_current:
            return "in_progress"
        if self.before_start:
            return "before_start"
        return "missed"

    @property
    def status_text(self) -> str:
        return {
            "met": "target met",
            "excused": f"excused ({self.excused.get_reason_display().lower()})"
            if self.excused
            else "excused",
            "missed": "missed",
            "in_progress": "this week, under way",
            "before_start": "before your first session",
        }[self.status]


@dataclass
class Adherence:
    weeks_met: int
    weeks_counted: int
    sessions_done: int
    sessions_targeted: int

    @property
    def percent(self) -> int | None:
        if not self.weeks_counted:
            return None
        return round(100 * self.weeks_met / self.weeks_counted)


@dataclass
class HeatDay:
    day: date
    sets: int
    in_future: bool

    @property
    def level(self) -> int:
        """0 (rest day) to 4, for the shade."""
        if self.sets == 0:
            return 0
        return min(4, 1 + self.sets // 10)


@dataclass
class Consistency:
    today: date
    this_week: WeekResult
    weeks: list[WeekResult]  # from the first week with a session (or this week) to now
    streak: int
    best_streak: int
    adherence_4: Adherence
    adherence_12: Adherence
    last_session_date: date | None
    total_sessions: int
    heatmap: list[list[HeatDay]] = field(default_factory=list)  # a column per week
    # Who made the latest target change (None: automatic, or not read, as on the roster).
    target_set_by_id: int | None = None

    @property
    def has_history(self) -> bool:
        return self.total_sessions > 0

    @property
    def days_left(self) -> int:
        """Days left in this week after today."""
        return (self.this_week.week.end - self.today).days

    @property
    def sessions_to_go(self) -> int:
        return max(0, self.this_week.target - self.this_week.sessions)

    @property
    def adherences(self) -> list[tuple[str, Adherence]]:
        return [("Last 4 weeks", self.adherence_4), ("Last 12 weeks", self.adherence_12)]

    @property
    def chart_weeks(self) -> list[WeekResult]:
        return self.weeks[-CHART_WEEKS:]


def default_target(athlete: User) -> int:
    """The athlete's own target, else the suggestion of the routine they do most, else 1."""
    return default_targets([athlete])[athlete.pk]


def default_targets(athletes: list[User]) -> dict[int, int]:
    """`default_target` for many athletes in at most one query (the coach's roster).

    "The routine they do most" counts sessions per routine that suggests a number; a tie
    goes to the smaller suggestion, so a target is never raised by a coin toss.
    """
    result = {a.pk: a.weekly_target or 0 for a in athletes}
    without = [pk for pk, target in result.items() if not target]
    best: dict[int, tuple[int, int]] = {}  # athlete -> (-sessions, suggestion), lowest wins
    if without:
        for row in (
            WorkoutSession.objects.filter(
                athlete_id__in=without, routine__suggested_sessions_per_week__gt=0
            )
            .values("athlete_id", "routine__suggested_sessions_per_week")
            .annotate(n=Count("id"))
        ):
            candidate = (-row["n"], row["routine__suggested_sessions_per_week"])
            if row["athlete_id"] not in best or candidate < best[row["athlete_id"]]:
                best[row["athlete_id"]] = candidate
    for pk in without:
        result[pk] = best[pk][1] if pk in best else 1
    return result


class TargetHistory:
    """Which target held in which week: the latest change not after it."""

    def __init__(self, changes: list[tuple[date, int]], fallback: int):
        self.changes = sorted(changes)
        self.starts = [start for start, _target in self.changes]
        self.fallback = fallback

    def for_week(self, week: Week) -> int:
        held = bisect_right(self.starts, week.start)  # the changes made by that week
        if held:
            return self.changes[held - 1][1]
        # Before the first recorded change: the first target ever set, else the fallback.
        return self.changes[0][1] if self.changes else self.fallback


def daily_counts(athlete: User, since: date | None = None) -> dict[date, tuple[int, int]]:
    """{local date: (sessions with at least one set, sets)} in one aggregate query."""
    logs = SetLog.objects.filter(session__athlete=athlete)
    if since is not None:
        logs = logs.filter(session__local_date__gte=since)
    # order_by() drops SetLog's default ordering, whose join to the session exercises
    # would otherwise stay in this aggregate for nothing.
    rows = (
        logs.values("session__local_date")
        .annotate(sessions=Count("session_id", distinct=True), sets=Count("id"))
        .order_by()
        .values_list("session__local_date", "sessions", "sets")
    )
    return {day: (sessions, sets) for day, sessions, sets in rows}


def weekly_counts(days: dict[date, tuple[int, int]]) -> dict[date, tuple[int, int]]:
    """{Monday: (sessions, sets)} from {local date: (sessions, sets)}."""
    per_week: dict[date, tuple[int, int]] = {}
    for day, (sessions, sets) in days.items():
        monday = weeks.week_start(day)
        week_sessions, week_sets = per_week.get(monday, (0, 0))
        per_week[monday] = (week_sessions + sessions, week_sets + sets)
    return per_week


def athlete_consistency(athlete: User, *, today: date | None = None) -> Consistency:
    """Everything the dashboard says about consistency, in at most four queries."""
    days = daily_counts(athlete)
    # Unordered: TargetHistory sorts the changes, and the excused weeks are found by week.
    changes = list(
        WeeklyTarget.objects.filter(athlete=athlete)
        .order_by()
        .values_list("week_start", "target", "set_by_id")
    )
    summary = consistency_from(
        athlete,
        per_week=weekly_counts(days),
        last_session_date=max(days) if days else None,
        target_changes=[(week_start, target) for week_start, target, _by in changes],
        fallback_target=default_target(athlete),
        excused=list(
            ExcusedWeek.objects.filter(athlete=athlete).select_related("set_by").order_by()
        ),
        today=today,
        heat_days=days,
    )
    if changes:
        summary.target_set_by_id = max(changes)[2]
    return summary


def consistency_from(
    athlete: User,
    *,
    per_week: dict[date, tuple[int, int]],
    last_session_date: date | None,
    target_changes: list[tuple[date, int]],
    fallback_target: int,
    excused: list[ExcusedWeek],
    today: date | None = None,
    heat_days: dict[date, tuple[int, int]] | None = None,
) -> Consistency:
    """The same from counts already read per week ({Monday: (sessions, sets)}), so a
    coach's roster has the database count them for many athletes at once. The heat map
    needs counts per day; without `heat_days` (the roster shows none) it is left empty."""
    today = today or weeks.today(athlete.zone)
    current = weeks.week_of(today)
    history = TargetHistory(target_changes, fallback=fallback_target)
    excused_by_week = {e.week_start: e for e in excused}

    first_week = weeks.Week(min(per_week)) if per_week else current
    first_week = min(first_week, current, key=lambda w: w.start)

    def result(week: Week) -> WeekResult:
        sessions, sets = per_week.get(week.start, (0, 0))
        # By position: with keywords this takes three times as long, and the coach's roster
        # builds a result per week of history for each of its athletes.
        return WeekResult(
            week,
            sessions,
            sets,
            history.for_week(week),
            excused_by_week.get(week.start),
            week.start == current.start,
            week.start < first_week.start,  # before_start
        )

    results = [result(week) for week in weeks.weeks_between(first_week, current)]
    # The chart always shows twelve weeks; weeks before the first session are shown, not judged.
    padding = [
        result(Week(first_week.start - weeks.WEEK * n))
        for n in range(CHART_WEEKS - len(results), 0, -1)
    ]
    finished = results[:-1]
    this_week = results[-1]

    streak = best = 0
    for week_result in finished:
        if week_result.met:
            streak += 1
        elif week_result.excused is None:
            streak = 0
        best = max(best, streak)
    if this_week.met:
        streak += 1  # the current week adds once met; until it is over it never breaks
        best = max(best, streak)

    return Consistency(
        today=today,
        this_week=this_week,
        weeks=padding + results,
        streak=streak,
        best_streak=best,
        adherence_4=_adherence(finished[-4:]),
        adherence_12=_adherence(finished[-12:]),
        last_session_date=last_session_date,
        total_sessions=sum(sessions for sessions, _sets in per_week.values()),
        heatmap=_heatmap(heat_days, today) if heat_days is not None else [],
    )


def _adherence(week_results: list[WeekResult]) -> Adherence:
    judged = [w for w in week_results if w.excused is None or w.met]
    return Adherence(
        weeks_met=sum(1 for w in judged if w.met),
        weeks_counted=len(judged),
        sessions_done=sum(w.sessions for w in judged),
        sessions_targeted=sum(w.target for w in judged),
    )


def _heatmap(days: dict[date, tuple[int, int]], today: date) -> list[list[HeatDay]]:
    first = weeks.week_start(today) - weeks.WEEK * (HEATMAP_WEEKS - 1)
    columns = []
    for column in range(HEATMAP_WEEKS):
        monday = first + weeks.WEEK * column
        week_days = [monday + timedelta(days=offset) for offset in range(7)]
        columns.append(
            [
                HeatDay(day=day, sets=days.get(day, (0, 0))[1], in_future=day > today)
                for day in week_days
            ]
        )
    return columns
