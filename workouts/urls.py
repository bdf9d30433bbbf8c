"""Workouts URLs: the catalogue, starting a routine, the session page and its sets, history."""

from django.urls import path

from workouts import views

app_name = "workouts"

urlpatterns = [
    path("routines/", views.routine_list, name="routine_list"),
    path("routines/<slug:slug>/", views.routine_detail, name="routine_detail"),
    path("routines/<slug:slug>/start/", views.session_start, name="session_start"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/sets/", views.set_create, name="set_create"),
    path("sessions/<int:pk>/sets/<int:set_pk>/", views.set_update, name="set_update"),
    path("sessions/<int:pk>/sets/<int:set_pk>/delete/", views.set_delete, name="set_delete"),
    path("sessions/<int:pk>/finish/", views.session_finish, name="session_finish"),
    path("sessions/<int:pk>/note/", views.session_note, name="session_note"),
    path("sessions/<int:pk>/abandon/", views.session_abandon, name="session_abandon"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("history/", views.history, name="history"),
    path("week/target/", views.week_target, name="week_target"),
    path("weeks/excuse/", views.week_excuse, name="week_excuse"),
    path("weeks/<str:week>/unexcuse/", views.week_unexcuse, name="week_unexcuse"),
    path("progress/", views.progress_list, name="progress_list"),
    path("progress/<slug:slug>/", views.progress_detail, name="progress"),
]
