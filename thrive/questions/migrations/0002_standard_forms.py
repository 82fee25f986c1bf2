"""Add the standard forms (§4.1) when the database is made, so no page writes them on a GET."""

from django.db import migrations

from thrive.questions.defaults import add_standard_forms


def load(apps, schema_editor):
    add_standard_forms(
        template_model=apps.get_model("questions", "FormTemplate"),
        version_model=apps.get_model("questions", "FormTemplateVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
