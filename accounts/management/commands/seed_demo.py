"""Create the demo coach, athlete and catalogue editor that `make run` prints logins for."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.models import CoachLink, User
from workouts import weeks
from workouts.history import build_history

DEMO_ACCOUNTS = [
    # username, password, role, staff, first name
    ("coach", "footing-coach-demo", User.Role.COACH, False, "Casey"),
    ("athlete", "footing-athlete-demo", User.Role.ATHLETE, False, "Alex"),
    ("staff", "footing-staff-demo", User.Role.ATHLETE, True, "Sam"),
]


class Command(BaseCommand):
    help = "Create demo accounts with known passwords (refused unless DEBUG is on)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create them even with DEBUG off. Never do this on a public server.",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo accounts have public passwords: run with DEBUG=1 or --force.")
        editors = Group.objects.get(name="Catalogue editors")
        lines = []
        for username, password, role, staff, first_name in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"role": role, "is_staff": staff, "first_name": first_name},
            )
            # Reset the password every time so the printed logins always work.
            user.set_password(password)
            user.save(update_fields=["password"])
            if staff:
                user.groups.add(editors)
            state = "created" if created else "already there"
            label = "Staff" if staff else role.label
            lines.append(f"  {label:<8} {username:<8} / {password:<22} ({state})")
        athlete = User.objects.get(username="athlete")
        if not athlete.workout_sessions.exists():
            # Ten weeks of sessions, so the dashboard and progress pages have a story to tell.
            athlete.weekly_target = 2
            athlete.save(update_fields=["weekly_target"])
            written = build_history(
                athlete, weeks_back=10, per_week=2, today=weeks.today(athlete.zone), skip_every=4
            )
            self.stdout.write(f"Gave the demo athlete {written} past sessions.")
        # The demo coach already follows the demo athlete, so the roster is not empty.
        CoachLink.objects.get_or_create(coach=User.objects.get(username="coach"), athlete=athlete)
        self.stdout.write("Demo logins (staff is a catalogue editor in /admin/):")
        self.stdout.write("\n".join(lines))
