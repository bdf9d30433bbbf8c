"""Weekly consistency: each session's local date and zone, target history, excused weeks."""

from zoneinfo import ZoneInfo

from django.db import migrations, models


def stamp_local_dates(apps, schema_editor):
    """Existing sessions get the date they were started on, in the athlete's current zone."""
    WorkoutSession = apps.get_model("workouts", "WorkoutSession")
    for session in WorkoutSession.objects.select_related("athlete").iterator():
        session.time_zone = session.athlete.time_zone
        session.local_date = session.started_at.astimezone(ZoneInfo(session.time_zone)).date()
        session.save(update_fields=["time_zone", "local_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("workouts", "0005_circuit_rest_seconds"),
    ]

    operations = [
        migrations.AddField(
            model_name="workoutsession",
            name="time_zone",
            field=models.CharField(
                default="UTC",
                help_text="The athlete's zone when the session started.",
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="workoutsession",
            name="local_date",
            field=models.DateField(
                null=True, help_text="The date it was started on, in that zone: decides its week."
            ),
        ),
        migrations.RunPython(stamp_local_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="workoutsession",
            name="local_date",
            field=models.DateField(
                help_text="The date it was started on, in that zone: decides its week."
            ),
        ),
        migrations.AddIndex(
            model_name="workoutsession",
            index=models.Index(fields=["athlete", "local_date"], name="workouts_session_date_idx"),
        ),
    ]
