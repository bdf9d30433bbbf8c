"""Workouts URLs: the catalogue, starting a routine, the session page and its sets, history."""

from django.urls import path

import config.converters  # noqa: F401 - registers <id:...>
from workouts import coach_views, views

app_name = "workouts"

urlpatterns = [
    path("routines/", views.routine_list, name="routine_list"),
    path("routines/<slug:slug>/", views.routine_detail, name="routine_detail"),
    path("routines/<slug:slug>/start/", views.session_start, name="session_start"),
    path("sessions/<id:pk>/", views.session_detail, name="session"),
    path("sessions/<id:pk>/sets/", views.set_create, name="set_create"),
    path("sessions/<id:pk>/sets/<id:set_pk>/", views.set_update, name="set_update"),
    path("sessions/<id:pk>/sets/<id:set_pk>/delete/", views.set_delete, name="set_delete"),
    path("sessions/<id:pk>/finish/", views.session_finish, name="session_finish"),
    path("sessions/<id:pk>/note/", views.session_note, name="session_note"),
    path("sessions/<id:pk>/abandon/", views.session_abandon, name="session_abandon"),
    path("sessions/<id:pk>/delete/", views.session_delete, name="session_delete"),
    path("history/", views.history, name="history"),
    path("week/target/", views.week_target, name="week_target"),
    path("weeks/excuse/", views.week_excuse, name="week_excuse"),
    path("weeks/<str:week>/unexcuse/", views.week_unexcuse, name="week_unexcuse"),
    path("progress/", views.progress_list, name="progress_list"),
    path("progress/<slug:slug>/", views.progress_detail, name="progress"),
    path("export.csv", views.export_csv, name="export"),
    path("recommendation/clear/", views.recommendation_clear, name="recommendation_clear"),
    path("sessions/<id:pk>/comments/", views.comment_create, name="comment_create"),
    path(
        "sessions/<id:pk>/comments/<id:comment_pk>/delete/",
        views.comment_delete,
        name="comment_delete",
    ),
    # Coaches: the roster and a linked athlete's pages.
    path("coach/", coach_views.roster, name="roster"),
    path("coach/thresholds/", coach_views.thresholds, name="coach_thresholds"),
    path("coach/athletes/<id:pk>/", coach_views.athlete_dashboard, name="coach_athlete"),
    path("coach/athletes/<id:pk>/history/", coach_views.athlete_history, name="coach_history"),
    path(
        "coach/athletes/<id:pk>/progress/",
        coach_views.athlete_progress_list,
        name="coach_progress_list",
    ),
    path(
        "coach/athletes/<id:pk>/progress/<slug:slug>/",
        coach_views.athlete_progress,
        name="coach_progress",
    ),
    path("coach/athletes/<id:pk>/export.csv", coach_views.athlete_export, name="coach_export"),
    path("coach/athletes/<id:pk>/target/", coach_views.athlete_target, name="coach_target"),
    path("coach/athletes/<id:pk>/excuse/", coach_views.athlete_excuse, name="coach_excuse"),
    path(
        "coach/athletes/<id:pk>/weeks/<str:week>/unexcuse/",
        coach_views.athlete_unexcuse,
        name="coach_unexcuse",
    ),
    path(
        "coach/athletes/<id:pk>/recommend/", coach_views.athlete_recommend, name="coach_recommend"
    ),
    path("coach/athletes/<id:pk>/remove/", coach_views.athlete_remove, name="coach_remove"),
]
