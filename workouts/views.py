"""Workouts views: the public catalogue pages."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from workouts import selectors


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("workouts:routine_list")


@login_not_required
@require_GET
def routine_list(request: HttpRequest) -> HttpResponse:
    routines = selectors.routine_list()
    cards = [
        {
            "routine": routine,
            "exercise_count": selectors.routine_exercise_count(routine),
            "equipment": selectors.routine_equipment(routine),
        }
        for routine in routines
    ]
    return render(request, "workouts/routine_list.html", {"cards": cards})


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
