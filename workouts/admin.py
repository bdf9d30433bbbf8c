"""Admin for the exercise catalogue: staff in "Catalogue editors" edit everything here."""

from django import forms
from django.contrib import admin, messages
from django.db.models import F, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from workouts.models import Circuit, Equipment, Exercise, PrescribedExercise, Routine, Variation

# Positions are parked out of the way before saving, so two rows can swap places in one save.
PARKING_OFFSET = 20_000


class OrderedRowForm(forms.ModelForm):
    def validate_constraints(self) -> None:
        # The formset checks positions across all its rows at once (see OrderedInlineFormSet);
        # checking one row against the database would refuse a plain swap of two rows.
        try:
            self.instance.validate_constraints(
                exclude=self._get_validation_exclusions() | {"order"}
            )
        except forms.ValidationError as error:
            self._update_errors(error)


class OrderedInlineFormSet(BaseInlineFormSet):
    """An inline whose rows carry an `order` that is unique within the parent."""

    def save_existing_objects(self, commit: bool = True):
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk and ("order" in form.changed_data or form in self.deleted_forms)
        ]
        if commit and moving:
            self.model._default_manager.filter(pk__in=moving).update(
                order=F("order") + PARKING_OFFSET
            )
        return super().save_existing_objects(commit)


class OrderedInline(admin.TabularInline):
    form = OrderedRowForm
    formset = OrderedInlineFormSet
    ordering = ("order",)


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "description")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class VariationInline(OrderedInline):
    model = Variation
    extra = 1
    fields = ("order", "name", "description", "equipment")


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "per_side", "per_direction", "carries_load", "active")
    list_filter = ("active", "per_side", "unit", "carries_load", "equipment")
    search_fields = ("name", "summary")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("equipment", "helpful_equipment")
    autocomplete_fields = ("progresses_to",)
    inlines = [VariationInline]
    actions = ["retire_exercises", "reinstate_exercises"]
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary", "active")}),
        ("How it is done", {"fields": ("how_to", "cues", "safety_note")}),
        (
            "What is counted",
            {"fields": ("unit", "per_side", "per_direction", "carries_load", "progresses_to")},
        ),
        ("Equipment", {"fields": ("equipment", "helpful_equipment")}),
    )

    @admin.action(description="Retire selected exercises (hide them, keep their history)")
    def retire_exercises(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> None:
        count = queryset.filter(active=True).update(active=False)
        self.message_user(request, f"Retired {count} exercise(s).", messages.SUCCESS)

    @admin.action(description="Reinstate selected exercises")
    def reinstate_exercises(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> None:
        count = queryset.filter(active=False).update(active=True)
        self.message_user(request, f"Reinstated {count} exercise(s).", messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<int:pk>/retire/",
                self.admin_site.admin_view(self.retire_view),
                name="workouts_exercise_retire",
            ),
            *super().get_urls(),
        ]

    def retire_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        """Offered where deletion is refused: retire the exercise instead."""
        exercise = get_object_or_404(Exercise, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, exercise):
            return HttpResponseRedirect(reverse("admin:workouts_exercise_change", args=[pk]))
        exercise.active = False
        exercise.save(update_fields=["active"])
        self.message_user(
            request,
            f"“{exercise}” is retired: routines and history keep it, new plans will not offer it.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:workouts_exercise_changelist"))


class CircuitInline(OrderedInline):
    model = Circuit
    extra = 0
    fields = ("order", "name", "rounds_min", "rounds_max", "rest_seconds", "needs_equipment")
    show_change_link = True


@admin.register(Routine)
class RoutineAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "suggested_sessions_per_week", "active")
    list_editable = ("order",)
    list_filter = ("active",)
    search_fields = ("name", "summary")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [CircuitInline]


class PrescribedExerciseInline(OrderedInline):
    model = PrescribedExercise
    extra = 0
    autocomplete_fields = ("exercise",)
    fields = (
        "order",
        "exercise",
        "target_min",
        "target_max",
        "to_fatigue",
        "per_side",
        "side_word",
        "per_direction",
        "load_note",
        "hold_top_seconds_min",
        "hold_top_seconds_max",
    )


@admin.register(Circuit)
class CircuitAdmin(admin.ModelAdmin):
    list_display = ("__str__", "routine", "order", "rounds_min", "rounds_max", "needs_equipment")
    list_filter = ("routine",)
    search_fields = ("name", "routine__name")
    inlines = [PrescribedExerciseInline]
