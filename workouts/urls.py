from django.urls import path

from workouts import views

app_name = "workouts"

urlpatterns = [
    path("routines/", views.routine_list, name="routine_list"),
    path("routines/<slug:slug>/", views.routine_detail, name="routine_detail"),
]
