"""Writes to a user's own settings."""

from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
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
