"""Admin for users: roles and time zones next to Django's own user fields."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Footing", {"fields": ("role", "time_zone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Footing", {"fields": ("role", "time_zone")}),
    )
    list_display = ("username", "email", "role", "is_staff", "date_joined")
    list_filter = ("role", *BaseUserAdmin.list_filter)
