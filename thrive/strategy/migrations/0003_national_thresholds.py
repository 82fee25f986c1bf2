from datetime import date

from django.db import migrations

THRESHOLDS = [
    ("2025-02-24", 21_490_400, 537_260_900, 66_354_000,
     "Procurement Act 2023, in force 24 February 2025"),
    ("2026-01-01", 20_772_000, 519_300_000, 66_354_000,
     "Procurement Act 2023 thresholds for procurements started from 1 January 2026"),
]


def load(apps, schema_editor):
    ThresholdSet = apps.get_model("strategy", "ThresholdSet")
    for valid_from, goods, works, light_touch, source in THRESHOLDS:
        ThresholdSet.objects.get_or_create(
            council=None,
            valid_from=date.fromisoformat(valid_from),
            defaults={
                "goods_services_pence": goods,
                "works_pence": works,
                "light_touch_pence": light_touch,
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("strategy", "0002_financialyear_fundingpot_budgetcommitment_and_more")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
