"""Workouts views: the public catalogue, the athlete's dashboard, doing a session, history,
progress."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from workouts import charts, coaching, consistency, export, progress, selectors, services
from workouts.forms import (
    CommentForm,
    ExcuseWeekForm,
    NewSetForm,
    RecommendForm,
    SessionNoteForm,
    SetLogForm,
    WeeklyTargetForm,
)
from workouts.models import (
    Comment,
    Exercise,
    SessionExercise,
    SetLog,
    WorkoutSession,
)
from workouts.weeks import Week

SIDES = ("left", "right")


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


# --- Access helpers: one per object kind; strangers always get 404. ---------------------


def _get_own_session(request: AuthedRequest, pk: int) -> WorkoutSession:
    """The athlete's own session, the only one they may change; anyone else gets 404."""
    session = get_object_or_404(WorkoutSession, pk=pk, athlete=request.user)
    session.athlete = request.user  # the same person: no join to read them again
    return session


def _get_own_set(request: AuthedRequest, session_pk: int, pk: int) -> SetLog:
    session = _get_own_session(request, session_pk)
    log = get_object_or_404(
        SetLog.objects.select_related("session_exercise", "variation"), pk=pk, session=session
    )
    log.session = session
    return log


# --- Catalogue --------------------------------------------------------------------------


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Visitors get the catalogue; athletes get their dashboard."""
    if not request.user.is_authenticated:
        return redirect("workouts:routine_list")
    return render_dashboard(request, request.user)


def _routine_cards() -> list[dict]:
    """Each routine with what its card shows: exercise count and equipment."""
    return [
        {
            "routine": routine,
            "exercise_count": selectors.routine_exercise_count(routine),
            "equipment": selectors.routine_equipment(routine),
        }
        for routine in selectors.routine_list()
    ]


def _start_cards(athlete: User) -> list[dict]:
    """The routine cards, each saying which circuit this athlete's equipment leaves out."""
    owned = set(athlete.equipment.order_by().values_list("pk", flat=True))
    cards = _routine_cards()
    for card in cards:
        card["left_out"] = [
            c
            for c in card["routine"].circuits.all()
            if c.needs_equipment_id is not None and c.needs_equipment_id not in owned
        ]
    return cards


def excusable_weeks(summary: consistency.Consistency) -> list[Week]:
    """This week and the eleven before it, newest first."""
    return [result.week for result in reversed(summary.chart_weeks)]


def dashboard_context(
    request: HttpRequest,
    athlete: User,
    *,
    target_form: WeeklyTargetForm | None = None,
    excuse_form: ExcuseWeekForm | None = None,
) -> dict:
    summary = consistency.athlete_consistency(athlete)
    own = athlete.pk == request.user.pk
    # Who set the target matters only when it was someone else: usually nothing to read.
    set_by_id = summary.target_set_by_id
    return {
        "athlete": athlete,
        "coach_athlete": None if own else athlete,
        "target_set_by": User.objects.filter(pk=set_by_id).first()
        if set_by_id not in (None, athlete.pk)
        else None,
        # Most athletes have no recommendation: then there is nothing more to read.
        "recommended": athlete
        if athlete.recommended_routine_id is None
        else User.objects.select_related("recommended_routine", "recommended_by").get(
            pk=athlete.pk
        ),
        "new_comments": selectors.unseen_comments(athlete=athlete) if own else [],
        # Routines to start: only the athlete's own page offers them.
        "cards": _start_cards(athlete) if own else [],
        "open_session": selectors.open_session(athlete=athlete),
        "summary": summary,
        "week_chart": charts.week_chart(summary.chart_weeks),
        "heat_map": charts.heat_map(summary.heatmap),
        # The three biggest gaps between sides; the rest are on the progress pages.
        "balances": [
            b for b in progress.side_balances(athlete=athlete, today=summary.today) if b.weaker
        ][:3],
        "excused_weeks": [w for w in reversed(summary.weeks) if w.excused is not None],
        "target_form": target_form
        or WeeklyTargetForm(initial={"target": summary.this_week.target}),
        "excuse_form": excuse_form
        or ExcuseWeekForm(weeks=excusable_weeks(summary), initial={"reason": "injury"}),
    }


def render_dashboard(
    request: HttpRequest,
    athlete: User,
    *,
    status: int = 200,
    target_form: WeeklyTargetForm | None = None,
    excuse_form: ExcuseWeekForm | None = None,
) -> HttpResponse:
    """The athlete's home, or the same dashboard on a coach's page about the athlete."""
    context = dashboard_context(request, athlete, target_form=target_form, excuse_form=excuse_form)
    if athlete.pk == request.user.pk:
        return render(request, "workouts/home.html", context, status=status)
    context["recommend_form"] = RecommendForm(
        initial={"routine": context["recommended"].recommended_routine}
    )
    return render(request, "workouts/coach/athlete.html", context, status=status)


def save_week_target(request: AuthedRequest, athlete: User, back: str) -> HttpResponse:
    """The weekly target, set by the athlete or a linked coach (the caller checked which)."""
    form = WeeklyTargetForm(request.POST)
    if not form.is_valid():
        return render_dashboard(request, athlete, status=422, target_form=form)
    services.weekly_target_set(athlete=athlete, target=form.cleaned_data["target"], by=request.user)
    messages.success(request, "Target saved from this week on; past weeks keep theirs.")
    return redirect(back)


def save_week_excuse(request: AuthedRequest, athlete: User, back: str) -> HttpResponse:
    summary = consistency.athlete_consistency(athlete)
    form = ExcuseWeekForm(request.POST, weeks=excusable_weeks(summary))
    if form.is_valid():
        try:
            excused = services.week_excuse(
                athlete=athlete,
                week_start=form.cleaned_data["week"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except services.WeekRefused as refusal:
            form.add_error("week", refusal.message)
        else:
            messages.success(request, f"Week {Week(excused.week_start).label()} is excused.")
            return redirect(back)
    return render_dashboard(request, athlete, status=422, excuse_form=form)


def remove_week_excuse(request: AuthedRequest, athlete: User, week: str, back: str) -> HttpResponse:
    try:
        week_start = date.fromisoformat(week)
    except ValueError:
        raise Http404 from None
    if services.week_unexcuse(athlete=athlete, week_start=week_start):
        messages.success(request, f"Week {Week(week_start).label()} counts again.")
    return redirect(back)


@require_POST
def week_target(request: AuthedRequest) -> HttpResponse:
    return save_week_target(request, request.user, reverse("home"))


@require_POST
def week_excuse(request: AuthedRequest) -> HttpResponse:
    return save_week_excuse(request, request.user, reverse("home"))


@require_POST
def week_unexcuse(request: AuthedRequest, week: str) -> HttpResponse:
    return remove_week_excuse(request, request.user, week, reverse("home"))


# --- Progress -----------------------------------------------------------------------------


@require_GET
def progress_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "workouts/progress_list.html",
        {"athlete": request.user, "done": progress.exercises_done(athlete=request.user)},
    )


@require_GET
def progress_detail(request: AuthedRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(Exercise.objects.select_related("progresses_to"), slug=slug)
    return render(
        request,
        "workouts/progress.html",
        progress_context(progress.exercise_progress(athlete=request.user, exercise=exercise)),
    )


def progress_context(result: progress.ExerciseProgress) -> dict:
    labels = [f"{r.local_date.day}/{r.local_date.month}" for r in result.results]
    if result.per_side:
        series = [
            ("Left", "series-left", [r.best_left for r in result.results]),
            ("Right", "series-right", [r.best_right for r in result.results]),
        ]
    else:
        series = [("Best set", "series-best", [r.best for r in result.results])]
    return {
        "progress": result,
        "chart": charts.line_chart(labels, series, unit=result.unit_suffix.strip()),
    }


@login_not_required
@require_GET
def routine_list(request: HttpRequest) -> HttpResponse:
    return render(request, "workouts/routine_list.html", {"cards": _routine_cards()})


@login_not_required
@require_GET
def routine_detail(request: HttpRequest, slug: str) -> HttpResponse:
    routine = selectors.routine_get(slug=slug)
    return render(
        request,
        "workouts/routine_detail.html",
        {
            "routine": routine,
            "exercise_count": selectors.routine_exercise_count(routine),
            "equipment": selectors.routine_equipment(routine),
        },
    )


# --- Starting and doing a session -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_start(request: AuthedRequest, slug: str) -> HttpResponse:
    """GET shows what starting means (or the open session to deal with first); POST starts."""
    routine = selectors.routine_get(slug=slug)
    if request.method == "POST":
        try:
            session = services.session_start(athlete=request.user, routine=routine)
        except services.SessionAlreadyOpen:
            return redirect("workouts:session_start", slug=slug)
        return redirect(session)
    left_out = services.routine_left_out_circuits(routine=routine, athlete=request.user)
    return render(
        request,
        "workouts/session_start.html",
        {
            "routine": routine,
            "left_out": left_out,
            "open_session": selectors.open_session(athlete=request.user),
        },
    )


def _render_session(
    request: AuthedRequest,
    session: WorkoutSession,
    can_edit: bool,
    *,
    status: int = 200,
    refused: selectors.SetRow | None = None,
    comment_form: CommentForm | None = None,
    comments: list[Comment] | None = None,
) -> HttpResponse:
    blocks = selectors.session_blocks(session=session, hints=can_edit and session.is_open)
    if refused is not None:
        # Put the refused row, with its message and the athlete's numbers, in its place.
        for block in blocks:
            for round_block in block.rounds:
                round_block.rows = [
                    refused if row.anchor == refused.anchor else row for row in round_block.rows
                ]
    logged = [
        (row.log.pk, _set_label(row.session_exercise, row.round))
        for block in blocks
        for round_block in block.rounds
        for row in round_block.rows
        if row.log is not None
    ]
    context = {
        "session": session,
        "can_edit": can_edit and session.is_open,
        "owns": session.athlete_id == request.user.pk,
        "comments": selectors.session_comments(session=session) if comments is None else comments,
        "comment_form": comment_form or CommentForm(sets=logged),
        "blocks": blocks,
        "summary": selectors.session_summary(session=session, blocks=blocks),
        "weight_unit": request.user.weight_unit,
        "sides": SIDES,
        "set_create_url": reverse("workouts:set_create", args=[session.pk]),
    }
    return render(request, "workouts/session.html", context, status=status)


@require_GET
def session_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The athlete does and reads it; a linked coach reads it and comments."""
    session, owns = coaching.session_for_viewer(user=request.user, session_pk=pk)
    comments = selectors.session_comments(session=session)
    if owns and any(comment.seen_by_athlete_at is None for comment in comments):
        services.comments_mark_seen(session=session)
    return _render_session(request, session, can_edit=owns, comments=comments)


def _row_response(
    request: AuthedRequest,
    session: WorkoutSession,
    row: selectors.SetRow,
    *,
    status: int = 200,
) -> HttpResponse:
    context = {
        "session": session,
        "row": row,
        "can_edit": session.is_open,
        "weight_unit": request.user.weight_unit,
        "sides": SIDES,
        "set_create_url": reverse("workouts:set_create", args=[session.pk]),
    }
    return render(request, "workouts/session.html#set-row", context, status=status)


def _refused(
    request: AuthedRequest,
    session: WorkoutSession,
    session_exercise: SessionExercise,
    round_number: int,
    errors: dict[str, list[str]],
    *,
    status: int,
) -> HttpResponse:
    """Show the athlete's numbers back with the message next to the field; store nothing."""
    if not 1 <= round_number <= session_exercise.rounds_max:
        round_number = 1
    row = selectors.session_row(
        session=session, session_exercise=session_exercise, round=round_number
    )
    row.refuse(errors, request.POST)
    if request.htmx:
        return _row_response(request, session, row, status=status)
    return _render_session(request, session, can_edit=True, status=status, refused=row)


@require_POST
def set_create(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _get_own_session(request, pk)
    session_exercise = get_object_or_404(
        SessionExercise, pk=_int(request.POST.get("session_exercise")), session=session
    )
    form = NewSetForm(
        request.POST, session_exercise=session_exercise, weight_unit=request.user.weight_unit
    )
    round_number = _int(request.POST.get("round")) or 0
    if not form.is_valid():
        return _refused(request, session, session_exercise, round_number, form.errors, status=422)
    try:
        log, _created = services.set_log_create(
            session=session,
            session_exercise=session_exercise,
            round_number=form.cleaned_data["round"],
            values=form.set_values(),
            client_id=form.cleaned_data["client_id"],
            performed_at=form.cleaned_data["performed_at"],
        )
    except services.SetLogRefused as refusal:
        errors = {refusal.field or "__all__": [refusal.message]}
        return _refused(
            request,
            session,
            session_exercise,
            round_number,
            errors,
            status=refusal.status,
        )
    if request.htmx:
        row = selectors.set_row(
            session=session, session_exercise=session_exercise, round=log.round, log=log
        )
        return _row_response(request, session, row)
    return redirect(f"{session.get_absolute_url()}#set-{session_exercise.pk}-{log.round}")


@require_POST
def set_update(request: AuthedRequest, pk: int, set_pk: int) -> HttpResponse:
    log = _get_own_set(request, pk, set_pk)
    session = log.session
    form = SetLogForm(
        request.POST, session_exercise=log.session_exercise, weight_unit=request.user.weight_unit
    )
    if form.is_valid():
        try:
            services.set_log_update(log=log, values=form.set_values())
        except services.SetLogRefused as refusal:
            errors = {refusal.field or "__all__": [refusal.message]}
            return _refused(
                request,
                session,
                log.session_exercise,
                log.round,
                errors,
                status=refusal.status,
            )
    else:
        return _refused(request, session, log.session_exercise, log.round, form.errors, status=422)
    if request.htmx:
        row = selectors.set_row(
            session=session, session_exercise=log.session_exercise, round=log.round, log=log
        )
        return _row_response(request, session, row)
    return redirect(f"{session.get_absolute_url()}#set-{log.session_exercise_id}-{log.round}")


@require_POST
def set_delete(request: AuthedRequest, pk: int, set_pk: int) -> HttpResponse:
    log = _get_own_set(request, pk, set_pk)
    session, session_exercise, round_number = log.session, log.session_exercise, log.round
    try:
        services.set_log_delete(log=log)
    except services.SetLogRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(session)
    if request.htmx:
        row = selectors.set_row(
            session=session, session_exercise=session_exercise, round=round_number, log=None
        )
        return _row_response(request, session, row)
    return redirect(f"{session.get_absolute_url()}#set-{session_exercise.pk}-{round_number}")


def _int(raw: str | None) -> int | None:
    """A posted id, or None when it is not one a database could hold."""
    try:
        value = int(raw) if raw is not None else None
    except ValueError:
        return None
    return value if value is not None and 0 < value < 2**63 else None


# --- Ending a session -------------------------------------------------------------------


def _leave(request: AuthedRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@require_POST
def session_finish(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _get_own_session(request, pk)
    form = SessionNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note is too long: keep it under 2000 characters.")
        return _leave(request, session.get_absolute_url())
    services.session_finish(session=session, note=form.cleaned_data["note"])
    messages.success(request, "Session finished. Well done.")
    return _leave(request, session.get_absolute_url())


@require_POST
def session_note(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _get_own_session(request, pk)
    form = SessionNoteForm(request.POST)
    if form.is_valid():
        services.session_note_update(session=session, note=form.cleaned_data["note"])
        messages.success(request, "Note saved.")
    else:
        messages.error(request, " ".join(form.errors["note"]))
    return _leave(request, session.get_absolute_url())


@require_POST
def session_abandon(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _get_own_session(request, pk)
    services.session_abandon(session=session)
    messages.info(request, "Session stopped. What you logged is kept, marked incomplete.")
    return _leave(request, reverse("home"))


@require_http_methods(["GET", "POST"])
def session_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _get_own_session(request, pk)
    if request.method == "POST":
        services.session_delete(session=session)
        messages.success(request, "Session deleted.")
        return _leave(request, reverse("workouts:history"))
    return render(
        request,
        "workouts/session_delete.html",
        {"session": session, "sets": session.set_logs.count()},
    )


@require_GET
def history(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.session_history(athlete=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "workouts/history.html", {"page": page})


# --- Comments, recommendation, export -----------------------------------------------------


@require_POST
def comment_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """The athlete or a linked coach comments on the session, or on one set of it."""
    session, owns = coaching.session_for_viewer(user=request.user, session_pk=pk)
    logs = SetLog.objects.filter(session=session).select_related("session_exercise")
    choices = [(log.pk, _set_label(log.session_exercise, log.round)) for log in logs]
    form = CommentForm(request.POST, sets=choices)
    if form.is_valid():
        set_pk = form.cleaned_data["about"]
        try:
            services.comment_add(
                session=session,
                author=request.user,
                body=form.cleaned_data["body"],
                set_log=next((log for log in logs if log.pk == set_pk), None),
            )
        except services.CommentRefused as refusal:
            form.add_error("body", refusal.message)
        else:
            messages.success(request, "Comment added.")
            return redirect(f"{session.get_absolute_url()}#comments")
    # The page again, the comment kept, the message next to its field.
    return _render_session(request, session, can_edit=owns, status=422, comment_form=form)


def _set_label(session_exercise: SessionExercise, round_number: int) -> str:
    """How a set is named in the comment form: "Single-leg balance, round 2"."""
    return f"{session_exercise.name}, round {round_number}"


@require_POST
def comment_delete(request: AuthedRequest, pk: int, comment_pk: int) -> HttpResponse:
    """Authors delete their own comments; anyone else gets 404."""
    session, _owns = coaching.session_for_viewer(user=request.user, session_pk=pk)
    comment = get_object_or_404(Comment, pk=comment_pk, session=session, author=request.user)
    services.comment_delete(comment=comment, by=request.user)
    messages.success(request, "Comment deleted.")
    return redirect(f"{session.get_absolute_url()}#comments")


@require_POST
def recommendation_clear(request: AuthedRequest) -> HttpResponse:
    services.routine_recommend(athlete=request.user, routine=None, by=request.user)
    messages.success(request, "Recommendation cleared.")
    return redirect("home")


@require_GET
def export_csv(request: AuthedRequest) -> HttpResponse:
    """All of the athlete's sets as CSV, streamed."""
    return export.response(request.user)
