"""Form templates and their versions move here from applications, keeping their tables.

State only: the tables ``applications_formtemplate`` and ``applications_formtemplateversion``
stay as they are (with their rows, indexes and the foreign keys pointing at them); only
Django's idea of which app owns the models changes. ``applications`` 0004 removes them from
its own state once ``opportunities`` 0005 and its own foreign key point here.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("applications", "0003_submission_key_per_application"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FormTemplate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.SlugField(max_length=60, unique=True)),
                        ("name", models.CharField(max_length=200)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("small_grant", "Small grant (short form)"),
                                    ("funding_agreement", "Funding agreement"),
                                    ("quotation", "Quotation"),
                                    ("tender", "Tender"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("description", models.TextField(blank=True)),
                        ("is_active", models.BooleanField(default=True)),
                    ],
                    options={"db_table": "applications_formtemplate", "ordering": ["name"]},
                ),
                migrations.CreateModel(
                    name="FormTemplateVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("number", models.PositiveSmallIntegerField()),
                        ("sections", models.JSONField(default=list)),
                        ("note", models.CharField(blank=True, max_length=255)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "template",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="versions",
                                to="questions.formtemplate",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "applications_formtemplateversion",
                        "ordering": ["template", "-number"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("template", "number"), name="form_version_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
