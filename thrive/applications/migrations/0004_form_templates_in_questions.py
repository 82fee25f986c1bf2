"""Form templates and versions now live in the questions app (same tables): state only.

The application's foreign key points at ``questions.FormTemplateVersion``; then the two models
leave this app's state. No table, column or constraint changes in the database.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_submission_key_per_application"),
        ("opportunities", "0005_form_template_in_questions"),
        ("questions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="application",
                    name="form_version",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applications",
                        to="questions.formtemplateversion",
                    ),
                ),
                migrations.DeleteModel(name="FormTemplateVersion"),
                migrations.DeleteModel(name="FormTemplate"),
            ],
            database_operations=[],
        ),
    ]
