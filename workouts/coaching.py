"""What a coach may see, and the roster that ranks their athletes by who needs attention.

Access: `linked_athlete_or_404` is the one check for every coach page about an athlete. A
link that is deleted (revoked by the athlete or removed by the coach) stops access on the
next request; nothing is cached. These checks always read the primary database, even on
pages that read the rest from a replica (config/replica.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, Max, OuterRef
from django.http import Http404
from django.urls import reverse
from django.utils.text import capfirst

from accounts.models import CoachLink, User
from config.replica import PRIMARY
from workouts import weeks
from workouts.consistency import Consistency, consistency_from, default_targets
from workouts.models import (
    Comment,
    ExcusedWeek,
    SetLog,
    WeeklyTarget,
    WeekTally,
    WorkoutSession,
)
from workouts.progress import SideBalance, side_balances_for

PAIN_LOOKBACK_DAYS = 14
QUIET_DAYS = 7  # no session for this long needs attention


def linked_athlete_or_404(*, coach: User, athlete_pk: int) -> User:
    """The athlete behind `athlete_pk` if they linked to this coach; 404 for anyone else."""
    try:
        return User.objects.using(PRIMARY).get(pk=athlete_pk, coach_links__coach=coach)
    except User.DoesNotExist:
        raise Http404("No such athlete on your roster.") from None


def is_linked(*, coach: User, athlete: User) -> bool:
    return CoachLink.objects.using(PRIMARY).filter(coach=coach, athlete=athlete).exists()


def session_for_viewer(*, user: User, session_pk: int) -> tuple[WorkoutSession, bool]:
    """A session its athlete or their linked coach may read: (session, viewer owns it)."""
    try:
        session = WorkoutSession.objects.select_related("athlete").get(pk=session_pk)
    except WorkoutSession.DoesNotExist:
        raise Http404("No such session.") from None
    if session.athlete_id == user.pk:
        return session, True
    if is_linked(coach=user, athlete=session.athlete):
        return session, False
    raise Http404("No such session.")


@dataclass
class Pain:
    level: int
    exercise: str
    on: date


@dataclass
class RosterRow:
    athlete: User
    consistency: Consistency
    days_since: int | None  # None: never logged
    pain: Pain | None
    balance: SideBalance | None  # the biggest gap over the threshold
    last_comment: date | None
    reasons: list[str] = field(default_factory=list)
    score: int = 0

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)

    # What the roster card shows, as text: the roster renders fifty of these cards, and
    # each template lookup, filter and {% url %} costs more than the Python below.

    @property
    def url(self) -> str:
        return reverse("workouts:coach_athlete", args=[self.athlete.pk])

    @property
    def reasons_text(self) -> str:
        return capfirst("; ".join(self.reasons))

    @property
    def this_week_text(self) -> str:
        this_week = self.consistency.this_week
        return f"{this_week.sessions} / {this_week.target}"

    @property
    def streak_text(self) -> str:
        return _count(self.consistency.streak, "week")

    @property
    def adherence_text(self) -> str:
        percent = self.consistency.adherence_4.percent
        return "-" if percent is None else f"{percent}%"

    @property
    def last_session_text(self) -> str:
        if self.days_since is None:
            return "never"
        if self.days_since == 0:
            return "today"
        return f"{_count(self.days_since, 'day')} ago"

    @property
    def pain_text(self) -> str:
        return f"{self.pain.level}/10" if self.pain else "none flagged"

    @property
    def last_comment_text(self) -> str:
        day = self.last_comment
        return f"{day.day} {day:%b}" if day else "none"  # "4 Mar", as _day_words writes it


def _count(n: int, noun: str) -> str:
    """ "1 week", "0 weeks", "3 weeks": the template's `pluralize`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def roster(*, coach: User, search: str = "", today_utc: date | None = None) -> list[RosterRow]:
    """Every linked athlete with why they need attention, most urgent first.

    Eight queries whatever the number of athletes or the length of their histories.
    """
    athletes = list(
        User.objects.using(PRIMARY)
        .filter(coach_links__coach=coach)
        .order_by("display_name", "username")
    )
    if search:
        needle = search.strip().lower()
        athletes = [
            a
            for a in athletes
            if needle in a.name.lower() or needle in a.username.lower() or needle in a.email.lower()
        ]
    if not athletes:
        return []
    ids = [a.pk for a in athletes]

    per_week, last_dates = _session_weeks(ids)
    # Neither read needs an order (the targets are sorted per athlete, the excuses looked up
    # by week), and the roster shows no excuse's author.
    changes: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for athlete_id, week_start, target in (
        WeeklyTarget.objects.filter(athlete_id__in=ids)
        .order_by()
        .values_list("athlete_id", "week_start", "target")
    ):
        changes[athlete_id].append((week_start, target))
    excused: dict[int, list[ExcusedWeek]] = defaultdict(list)
    for excuse in ExcusedWeek.objects.filter(athlete_id__in=ids).order_by():
        excused[excuse.athlete_id].append(excuse)
    fallback = default_targets(athletes)

    widest_today = max(weeks.today(a.zone) for a in athletes)
    pains = _recent_pain(ids, coach.pain_threshold, widest_today)
    balances = side_balances_for(athlete_ids=ids, today=widest_today)
    # Every athlete the coach commented on, not only these: from the coach's comments to
    # their sessions is a few index lookups; filtering by athlete made PostgreSQL read
    # every session of the roster instead.
    last_comments = dict(
        Comment.objects.filter(author=coach)
        .values("session__athlete_id")
        .annotate(last=Max("created_at"))
        .values_list("session__athlete_id", "last")
    )

    rows = []
    for athlete in athletes:
        today = weeks.today(athlete.zone)
        summary = consistency_from(
            athlete,
            per_week=per_week.get(athlete.pk, {}),
            last_session_date=last_dates.get(athlete.pk),
            target_changes=changes.get(athlete.pk, []),
            fallback_target=fallback[athlete.pk],
            excused=excused.get(athlete.pk, []),
            today=today,
        )
        last = summary.last_session_date
        comment_at = last_comments.get(athlete.pk)
        row = RosterRow(
            athlete=athlete,
            consistency=summary,
            days_since=(today - last).days if last else None,
            pain=pains.get(athlete.pk),
            balance=_gap_over(balances.get(athlete.pk, []), coach.asymmetry_threshold),
            last_comment=weeks.local_date(comment_at, coach.zone) if comment_at else None,
        )
        _judge(row, today)
        rows.append(row)
    rows.sort(key=lambda r: (-r.score, -(r.days_since or 0), r.athlete.name.lower()))
    return rows


def _session_weeks(
    ids: list[int],
) -> tuple[dict[int, dict[date, tuple[int, int]]], dict[int, date]]:
    """({athlete: {Monday: (sessions with a set, 0)}}, {athlete: last session date}).

    The roster's consistency input in one query, a row per athlete and week: the week
    tallies of closed sessions, and the sessions not counted there (the open one, empty
    ones) if they have a set. The roster shows no set counts, so they are left at 0.
    """
    counted = WeekTally.objects.filter(athlete_id__in=ids).values_list(
        "athlete_id", "week_start", "sessions", "last_date"
    )
    unflagged = (
        WorkoutSession.objects.filter(athlete_id__in=ids, has_sets=False)
        .filter(Exists(SetLog.objects.filter(session_id=OuterRef("pk"))))
        .annotate(week=weeks.WeekStart("local_date"))
        .values("athlete_id", "week")
        .annotate(sessions=Count("*"), last=Max("local_date"))
        .order_by()
        .values_list("athlete_id", "week", "sessions", "last")
    )
    per_week: dict[int, dict[date, tuple[int, int]]] = defaultdict(dict)
    last: dict[int, date] = {}
    for athlete_id, monday, sessions, latest in counted.union(unflagged, all=True):
        athlete_weeks = per_week[athlete_id]
        if monday in athlete_weeks:  # a week with both closed and unflagged sessions
            sessions += athlete_weeks[monday][0]
        athlete_weeks[monday] = (sessions, 0)
        if athlete_id not in last or latest > last[athlete_id]:
            last[athlete_id] = latest
    return per_week, last


def _gap_over(balances: list[SideBalance], threshold: int) -> SideBalance | None:
    """The biggest gap between sides if it is at or over the threshold. The balances come
    biggest gap first, so when the first is under it, all are."""
    if not balances:
        return None
    widest = balances[0]
    return widest if widest.weaker and (widest.percent or 0) >= threshold else None


def _recent_pain(ids: list[int], threshold: int, today: date) -> dict[int, Pain]:
    """The worst pain at or over the threshold per athlete in the last two weeks."""
    since = today - timedelta(days=PAIN_LOOKBACK_DAYS)
    worst: dict[int, Pain] = {}
    for athlete_id, level, exercise, on in SetLog.objects.filter(
        session__athlete_id__in=ids, pain__gte=threshold, session__local_date__gte=since
    ).values_list("session__athlete_id", "pain", "session_exercise__name", "session__local_date"):
        current = worst.get(athlete_id)
        if current is None or (level, on) > (current.level, current.on):
            worst[athlete_id] = Pain(level=level, exercise=exercise, on=on)
    return worst


def _judge(row: RosterRow, today: date) -> None:
    """Reasons in words, and a score to rank by: pain first, then silence, gaps, misses."""
    summary = row.consistency
    if row.pain:
        when = _day_words(row.pain.on, today)
        row.reasons.append(f"pain {row.pain.level} on {row.pain.exercise.lower()} {when}")
        row.score += 100 + row.pain.level
    if row.days_since is None:
        row.reasons.append("no session logged yet")
        row.score += 40
    elif row.days_since >= QUIET_DAYS and summary.this_week.excused is None:
        row.reasons.append(f"no session for {row.days_since} days")
        row.score += 50 + row.days_since
    if row.balance:
        row.reasons.append(
            f"{row.balance.weaker} side {row.balance.percent}% weaker on "
            f"{row.balance.exercise_name.lower()}"
        )
        row.score += 30 + (row.balance.percent or 0) // 10
    # The weeks end with this one; the one before is last week, unless the history starts
    # this week (then it is padding for the chart, before the start, and never judged).
    last_week = summary.weeks[-2] if len(summary.weeks) > 1 else None
    if last_week and not last_week.before_start and last_week.status == "missed":
        row.reasons.append(
            f"missed last week's target ({last_week.sessions} of {last_week.target})"
        )
        row.score += 20
    this_week = summary.this_week
    if (
        not this_week.met
        and this_week.excused is None
        and summary.sessions_to_go > summary.days_left + 1
    ):
        row.reasons.append(
            f"{this_week.sessions} of {this_week.target} this week with "
            f"{summary.days_left + 1} day{'s' if summary.days_left else ''} to go"
        )
        row.score += 10


def _day_words(day: date, today: date) -> str:
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    if (today - day).days < 7:
        return f"on {day:%A}"
    return f"on {day:%A} {day.day} {day:%b}"
