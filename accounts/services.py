"""Writes to a user's own settings."""

import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from accounts.models import CoachLink, User
from workouts.models import Equipment
from workouts.services import weekly_target_set


def profile_update(
    *,
    user: User,
    display_name: str,
    time_zone: str,
    weight_unit: str,
    weekly_target: int | None,
    equipment: Iterable[Equipment],
) -> list[str]:
    """Save what changed on the profile; return the names of the fields that changed."""
    wanted = {
        "display_name": display_name,
        "time_zone": time_zone,
        "weight_unit": weight_unit,
        "weekly_target": weekly_target,
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    target_changed = "weekly_target" in changed
    for name in changed:
        setattr(user, name, wanted[name])
    with transaction.atomic():
        if changed:
            user.full_clean(
                exclude=[f.name for f in User._meta.concrete_fields if f.name not in changed],
                validate_unique=False,
            )
            # The target is saved by weekly_target_set below, with its week.
            fields = [name for name in changed if name != "weekly_target"]
            if fields:
                user.save(update_fields=fields)
        new_equipment = {item.pk for item in equipment}
        if new_equipment != set(user.equipment.values_list("pk", flat=True)):
            user.equipment.set(new_equipment)
            changed.append("equipment")
        if target_changed:
            # Record it from this week on, so past weeks keep the target they had.
            weekly_target_set(athlete=user, target=weekly_target, by=user)
    return changed


# --- Coach links ----------------------------------------------------------------------------

# No 0/O or 1/I/L: a code read aloud in a clinic or typed on a phone should not be misread.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class LinkRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def invite_code_for(coach: User, *, renew: bool = False) -> str:
    """The coach's invite code, made on first use; `renew` replaces it (old links stop
    working, existing athletes stay linked)."""
    if coach.invite_code and not renew:
        return coach.invite_code
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not User.objects.filter(invite_code=code).exists():
            break
    coach.invite_code = code
    coach.save(update_fields=["invite_code"])
    return code


def coach_for_code(code: str) -> User:
    coach = User.objects.filter(invite_code=normalise_code(code) or None, is_active=True).first()
    if coach is None or coach.role != User.Role.COACH:
        raise LinkRefused("No coach has that code. Check it with your coach.")
    return coach


def link_create(*, athlete: User, code: str) -> CoachLink:
    """The athlete confirmed: from now on this coach sees their data."""
    coach = coach_for_code(code)
    if coach.pk == athlete.pk:
        raise LinkRefused("That is your own code: share it with your athletes.")
    try:
        with transaction.atomic():
            return CoachLink.objects.create(coach=coach, athlete=athlete)
    except IntegrityError:
        raise LinkRefused(f"{coach.name} is already your coach.") from None


def link_revoke(*, athlete: User, coach_pk: int) -> User | None:
    """The athlete takes a coach's access away; returns the coach, None if not linked."""
    link = CoachLink.objects.filter(athlete=athlete, coach_id=coach_pk).select_related("coach")
    found = link.first()
    if found is None:
        return None
    found.delete()
    return found.coach


def link_remove(*, coach: User, athlete_pk: int) -> User | None:
    """The coach drops an athlete from the roster; returns the athlete, None if not linked."""
    found = CoachLink.objects.filter(coach=coach, athlete_id=athlete_pk).select_related("athlete")
    link = found.first()
    if link is None:
        return None
    link.delete()
    return link.athlete
