"""Coach pages under /coach/: the roster, and a linked athlete's pages, read-only.

Every view about an athlete starts with `coaching.linked_athlete_or_404`. The writes a coach
may make are the weekly target, excused weeks, a recommended routine, comments (on the
session page) and removing the athlete from the roster. Nothing here touches set logs.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts import services as account_services
from accounts.models import User
from config.replica import reads_from_replica
from workouts import coaching, export, progress, selectors, services
from workouts.forms import RecommendForm
from workouts.models import Exercise
from workouts.views import (
    progress_context,
    remove_week_excuse,
    render_dashboard,
    save_week_excuse,
    save_week_target,
)


class AuthedRequest(HttpRequest):
    user: User


class ThresholdsForm(forms.Form):
    pain_threshold = forms.IntegerField(
        label="Flag pain from (0-10 scale)",
        min_value=1,
        max_value=10,
        error_messages={
            "min_value": "Choose 1 to 10.",
            "max_value": "Choose 1 to 10.",
            "required": "Choose 1 to 10.",
            "invalid": "Choose 1 to 10.",
        },
    )
    asymmetry_threshold = forms.IntegerField(
        label="Flag a gap between sides from (%)",
        min_value=5,
        max_value=100,
        error_messages={
            "min_value": "Choose 5 to 100.",
            "max_value": "Choose 5 to 100.",
            "required": "Choose 5 to 100.",
            "invalid": "Choose 5 to 100.",
        },
    )


def _coach(request: AuthedRequest) -> User:
    if not request.user.is_coach:
        raise Http404("Only coach accounts have a roster.")
    return request.user


@require_GET
@reads_from_replica
def roster(request: AuthedRequest) -> HttpResponse:
    return _render_roster(request, _coach(request))


def _render_roster(
    request: AuthedRequest,
    coach: User,
    *,
    thresholds_form: ThresholdsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    search = request.GET.get("q", "")[:80]
    show = "all" if request.GET.get("show") == "all" else "attention"
    rows = coaching.roster(coach=coach, search=search)
    return render(
        request,
        "workouts/coach/roster.html",
        {
            "attention": [r for r in rows if r.needs_attention],
            "on_track": [r for r in rows if not r.needs_attention],
            "show": show,
            "search": search,
            "total": len(rows),
            "thresholds_form": thresholds_form
            or ThresholdsForm(
                initial={
                    "pain_threshold": coach.pain_threshold,
                    "asymmetry_threshold": coach.asymmetry_threshold,
                }
            ),
        },
        status=status,
    )


@require_POST
def thresholds(request: AuthedRequest) -> HttpResponse:
    coach = _coach(request)
    form = ThresholdsForm(request.POST)
    if not form.is_valid():
        return _render_roster(request, coach, thresholds_form=form, status=422)
    coach.pain_threshold = form.cleaned_data["pain_threshold"]
    coach.asymmetry_threshold = form.cleaned_data["asymmetry_threshold"]
    coach.save(update_fields=["pain_threshold", "asymmetry_threshold"])
    messages.success(request, "Attention thresholds saved.")
    return redirect("workouts:roster")


def _athlete(request: AuthedRequest, pk: int) -> User:
    return coaching.linked_athlete_or_404(coach=request.user, athlete_pk=pk)


@require_GET
@reads_from_replica
def athlete_dashboard(request: AuthedRequest, pk: int) -> HttpResponse:
    return render_dashboard(request, _athlete(request, pk))


@require_GET
@reads_from_replica
def athlete_history(request: AuthedRequest, pk: int) -> HttpResponse:
    athlete = _athlete(request, pk)
    page = Paginator(selectors.session_history(athlete=athlete), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "workouts/history.html", {"page": page, "coach_athlete": athlete})


@require_GET
@reads_from_replica
def athlete_progress_list(request: AuthedRequest, pk: int) -> HttpResponse:
    athlete = _athlete(request, pk)
    return render(
        request,
        "workouts/progress_list.html",
        {"done": progress.exercises_done(athlete=athlete), "coach_athlete": athlete},
    )


@require_GET
@reads_from_replica
def athlete_progress(request: AuthedRequest, pk: int, slug: str) -> HttpResponse:
    athlete = _athlete(request, pk)
    exercise = get_object_or_404(Exercise.objects.select_related("progresses_to"), slug=slug)
    context = progress_context(progress.exercise_progress(athlete=athlete, exercise=exercise))
    context["coach_athlete"] = athlete
    return render(request, "workouts/progress.html", context)


@require_GET
def athlete_export(request: AuthedRequest, pk: int) -> HttpResponse:
    return export.response(_athlete(request, pk))


@require_POST
def athlete_target(request: AuthedRequest, pk: int) -> HttpResponse:
    athlete = _athlete(request, pk)
    return save_week_target(request, athlete, _back(athlete))


@require_POST
def athlete_excuse(request: AuthedRequest, pk: int) -> HttpResponse:
    athlete = _athlete(request, pk)
    return save_week_excuse(request, athlete, _back(athlete))


@require_POST
def athlete_unexcuse(request: AuthedRequest, pk: int, week: str) -> HttpResponse:
    athlete = _athlete(request, pk)
    return remove_week_excuse(request, athlete, week, _back(athlete))


def _back(athlete: User) -> str:
    return reverse("workouts:coach_athlete", kwargs={"pk": athlete.pk})


@require_POST
def athlete_recommend(request: AuthedRequest, pk: int) -> HttpResponse:
    athlete = _athlete(request, pk)
    form = RecommendForm(request.POST)
    if form.is_valid():
        routine = form.cleaned_data["routine"]
        services.routine_recommend(athlete=athlete, routine=routine, by=request.user)
        messages.success(
            request,
            f"Recommended {routine.name} to {athlete.name}."
            if routine
            else "Recommendation cleared.",
        )
    else:
        messages.error(request, "Choose a routine from the list.")
    return redirect("workouts:coach_athlete", pk=athlete.pk)


@require_POST
def athlete_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    athlete = account_services.link_remove(coach=request.user, athlete_pk=pk)
    if athlete is None:
        raise Http404("No such athlete on your roster.")
    messages.success(request, f"{athlete.name} is off your roster.")
    return redirect("workouts:roster")
