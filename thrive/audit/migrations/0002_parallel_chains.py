"""Parallel audit chains: each event gets a chain and a position in it.

The events written so far form chain 1, each at the position its sequence gave it; their
hashes, links and sequence numbers are kept as they are, so they verify as before.
"""

from django.db import migrations, models


def _number_new_chains_after_the_first(apps, schema_editor):
    """PostgreSQL's new identity starts at 1: move it past the existing head."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "SELECT setval(pg_get_serial_sequence('audit_auditchainhead', 'id'),"
        " COALESCE(MAX(id), 0) + 1, false) FROM audit_auditchainhead"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="position",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.RunSQL(
            "UPDATE audit_auditevent SET position = sequence",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="position",
            field=models.BigIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("chain", "position"), name="audit_event_chain_position"
            ),
        ),
        migrations.RenameField(
            model_name="auditchainhead",
            old_name="sequence",
            new_name="position",
        ),
        migrations.AlterField(
            model_name="auditchainhead",
            name="id",
            field=models.SmallAutoField(primary_key=True, serialize=False),
        ),
        migrations.RunPython(_number_new_chains_after_the_first, migrations.RunPython.noop),
    ]
