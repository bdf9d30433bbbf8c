"""Template helpers that turn logged numbers into what an athlete reads."""

from django import template
from django.utils.html import format_html, format_html_join

from workouts.forms import kg_to_unit
from workouts.models import SessionExercise, SetLog

register = template.Library()


def _number(n: int, exercise: SessionExercise) -> str:
    return f"{n} s" if exercise.is_timed else str(n)


@register.simple_tag
def set_summary(log: SetLog | None, exercise: SessionExercise, weight_unit: str = "kg") -> str:
    """ "L 20 s · R 18 s · 8 kg · Rolled towel", or "" when nothing is logged."""
    if log is None:
        return ""
    if exercise.per_side:
        parts = [f"L {_number(log.left, exercise)}", f"R {_number(log.right, exercise)}"]
    else:
        unit = "" if exercise.is_timed or exercise.unit == "reps" else f" {exercise.unit}"
        parts = [_number(log.value, exercise) + unit]
    if log.load_kg is not None:
        parts.append(f"{kg_to_unit(log.load_kg, weight_unit).normalize():f} {weight_unit}")
    if log.variation_id:
        parts.append(log.variation.name)
    if log.rpe is not None:
        parts.append(f"effort {log.rpe}")
    if log.pain is not None and log.pain > 0:
        parts.append(f"pain {log.pain}")
    return " · ".join(parts)


@register.filter
def load_in(kg, weight_unit: str) -> str:
    value = kg_to_unit(kg, weight_unit)
    return "" if value is None else f"{value.normalize():f}"


@register.simple_tag
def field_value(row, name: str, weight_unit: str = "kg"):
    """What a set field shows: what was just sent, else the stored set, else the suggestion."""
    if row.submitted is not None:
        return row.submitted.get(name, "")
    source = row.log
    if source is None:
        if name in ("value", "left", "right"):
            return row.default_value
        if name == "variation":
            return row.default_variation_id or ""
        source = row.previous if name == "load" else None
    if source is None:
        return ""
    if name == "load":
        return load_in(source.load_kg, weight_unit)
    if name == "variation":
        return source.variation_id or ""
    stored = getattr(source, name)
    return "" if stored is None else stored


@register.filter
def duration_text(delta) -> str:
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


@register.simple_tag
def field_errors(row, name: str) -> str:
    """The messages for one field of a refused set, right where the athlete is looking."""
    messages = (row.errors or {}).get(name) or []
    if not messages:
        return ""
    items = format_html_join("", "<li>{}</li>", ((m,) for m in messages))
    # The alert role sits on a wrapper: on the <ul> it would hide the list from assistive tech.
    return format_html('<div role="alert"><ul class="errorlist">{}</ul></div>', items)
