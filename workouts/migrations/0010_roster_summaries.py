"""The roster's summaries (`WorkoutSession.has_sets`, side bests, week tallies) and indexes.

Filled from the logs in three statements that PostgreSQL and SQLite both run: an UPDATE of
the closed sessions, then the INSERT ... SELECT ... GROUP BY of `workouts.summaries` for
each table (the same ones the services and `bench/generate.py` use).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q

from workouts import summaries


def fill(apps, schema_editor) -> None:
    alias = schema_editor.connection.alias
    session_model = apps.get_model("workouts", "WorkoutSession")
    set_model = apps.get_model("workouts", "SetLog")
    session_model.objects.using(alias).exclude(status="in_progress").filter(
        Exists(set_model.objects.using(alias).filter(session_id=OuterRef("pk")))
    ).update(has_sets=True)
    summaries.refresh_side_bests(schema_editor.connection)
    summaries.refresh_week_tally(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("workouts", "0009_catalogue_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Foreign key indexes that other indexes already start with; the set log's becomes
        # (session, pain) for the roster's recent pain.
        migrations.AlterField(
            model_name="workoutsession",
            name="athlete",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="workout_sessions",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="setlog",
            name="session",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="set_logs",
                to="workouts.workoutsession",
            ),
        ),
        migrations.AddIndex(
            model_name="setlog",
            index=models.Index(fields=["session", "pain"], name="workouts_setlog_pain_idx"),
        ),
        migrations.AddField(
            model_name="workoutsession",
            name="has_sets",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "True once the session is finished or abandoned with at least one set; "
                    "False means look at the sets (open sessions, closed empty ones)."
                ),
            ),
        ),
        migrations.AddIndex(
            model_name="workoutsession",
            index=models.Index(
                condition=Q(has_sets=False),
                fields=["athlete", "local_date"],
                name="workouts_session_unflagged_idx",
            ),
        ),
        migrations.CreateModel(
            name="SideBest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("started_at", models.DateTimeField()),
                ("local_date", models.DateField()),
                (
                    "side_word",
                    models.CharField(
                        choices=[("leg", "each leg"), ("side", "each side")], max_length=8
                    ),
                ),
                ("best_left", models.PositiveSmallIntegerField()),
                ("best_right", models.PositiveSmallIntegerField()),
                (
                    "athlete",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "exercise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="workouts.exercise",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="side_bests",
                        to="workouts.workoutsession",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("session", "exercise"), name="workouts_sidebest_one_per_exercise"
                    ),
                ],
                "indexes": [
                    models.Index(
                        fields=["athlete", "exercise", "-started_at", "-session"],
                        name="workouts_sidebest_recent_idx",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="WeekTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("week_start", models.DateField(help_text="The Monday.")),
                ("sessions", models.PositiveSmallIntegerField()),
                (
                    "last_date",
                    models.DateField(help_text="The local date of the latest of them."),
                ),
                (
                    "athlete",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("athlete", "week_start"), name="workouts_weektally_one_per_week"
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
