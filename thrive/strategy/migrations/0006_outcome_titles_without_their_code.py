"""Take the code out of outcome titles that repeat it ("NI 6: participation…" under NI6),
so that pages showing code and title no longer say "NI6: NI 6: participation…"."""

from django.db import migrations

from thrive.strategy.defaults import title_without_code


def forwards(apps, schema_editor):
    Outcome = apps.get_model("strategy", "Outcome")
    for outcome in Outcome.objects.all():
        title = title_without_code(outcome.code, outcome.title)
        if title != outcome.title:
            Outcome.objects.filter(pk=outcome.pk).update(title=title)


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0005_action_plan_and_sector_survey"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
