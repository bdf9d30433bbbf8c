"""Create the "Catalogue editors" group: staff in it may edit the catalogue and nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Catalogue editors"
CATALOGUE_MODELS = [
    "equipment",
    "exercise",
    "variation",
    "routine",
    "circuit",
    "prescribedexercise",
]


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now so the
    # group can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = Permission.objects.filter(
        content_type__app_label="workouts", content_type__model__in=CATALOGUE_MODELS
    )
    group.permissions.set(permissions)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workouts", "0002_catalogue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
