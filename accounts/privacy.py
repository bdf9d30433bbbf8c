"""An athlete's own data: all of it as JSON, and deleting the account with everything in it."""

from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone

from accounts.models import CoachLink, User
from workouts.models import Comment, ExcusedWeek, SetLog, WeeklyTarget, WorkoutSession


def _iso(value):
    return value.isoformat() if value is not None else None


def data_export(user: User) -> dict:
    """Everything Footing holds about the user, in plain structures."""
    sessions = []
    logs_by_session: dict[int, list] = {}
    for log in (
        SetLog.objects.filter(session__athlete=user)
        .select_related("session_exercise", "variation")
        .order_by("performed_at", "pk")
        .iterator(chunk_size=2000)
    ):
        logs_by_session.setdefault(log.session_id, []).append(
            {
                "exercise": log.session_exercise.name,
                "circuit": log.session_exercise.circuit_name,
                "round": log.round,
                "variation": log.variation.name if log.variation else None,
                "value": log.value,
                "left": log.left,
                "right": log.right,
                "load_kg": str(log.load_kg) if log.load_kg is not None else None,
                "rpe": log.rpe,
                "pain": log.pain,
                "note": log.note,
                "performed_at": _iso(log.performed_at),
                "received_at": _iso(log.received_at),
            }
        )
    for session in WorkoutSession.objects.filter(athlete=user).order_by("started_at"):
        sessions.append(
            {
                "routine": session.routine_name,
                "status": session.status,
                "started_at": _iso(session.started_at),
                "ended_at": _iso(session.ended_at),
                "local_date": _iso(session.local_date),
                "time_zone": session.time_zone,
                "left_out": session.left_out,
                "note": session.note,
                "sets": logs_by_session.get(session.pk, []),
            }
        )
    return {
        "exported_at": _iso(timezone.now()),
        "profile": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "time_zone": user.time_zone,
            "weight_unit": user.weight_unit,
            "weekly_target": user.weekly_target,
            "equipment": list(user.equipment.values_list("name", flat=True)),
            "date_joined": _iso(user.date_joined),
        },
        "coaches": list(
            CoachLink.objects.filter(athlete=user).values_list("coach__username", flat=True)
        ),
        "athletes_coached": list(
            CoachLink.objects.filter(coach=user).values_list("athlete__username", flat=True)
        ),
        "weekly_targets": [
            {"from_week": _iso(week), "target": target}
            for week, target in WeeklyTarget.objects.filter(athlete=user).values_list(
                "week_start", "target"
            )
        ],
        "excused_weeks": [
            {"week": _iso(e.week_start), "reason": e.reason, "note": e.note}
            for e in ExcusedWeek.objects.filter(athlete=user)
        ],
        "comments_written": [
            {"on_session_of": c.session.athlete.username, "body": c.body, "at": _iso(c.created_at)}
            for c in Comment.objects.filter(author=user).select_related("session__athlete")
        ],
        "comments_received": [
            {"by": c.author.username, "body": c.body, "at": _iso(c.created_at)}
            for c in Comment.objects.filter(session__athlete=user)
            .exclude(author=user)
            .select_related("author")
        ],
        "sessions": sessions,
    }


def data_export_response(user: User) -> JsonResponse:
    response = JsonResponse(data_export(user), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="footing-{user.pk}-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@transaction.atomic
def account_delete(user: User) -> None:
    """Delete the user and everything that is theirs: sessions, sets, comments, links,
    targets, excused weeks. Coaches lose access because the links go with it."""
    user.delete()
