from django.apps import AppConfig


class WorkoutsConfig(AppConfig):
    name = "workouts"
    verbose_name = "Workouts"

    def ready(self) -> None:
        # Connects the signal handlers that date each process's cached catalogue.
        from workouts import catalogue  # noqa: F401
