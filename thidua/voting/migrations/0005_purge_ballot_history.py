"""Rewrite the voting tables once, and keep dead row versions short-lived from now on.

Before sealed ballots, the tables kept what could link a ballot to its voter: dead versions of
ballots with their casting transaction ids, dead versions of the vote row with a running
digest that changed with each ballot, and (in the live rows) the physical order of casting.
0004 rewrote the rows; here PostgreSQL's VACUUM FULL writes each table afresh (dropping dead
versions, their bytes, and the dropped digest column's values), and autovacuum is told to
clean the tables at the first dead row rather than at 50. SQLite's VACUUM rebuilds the file.
Not atomic: VACUUM cannot run inside a transaction.
"""

from django.db import migrations

TABLES = ("voting_sealedballot", "voting_voterrecord", "voting_ballot", "voting_vote")


def purge(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(
                    f"ALTER TABLE {table} SET (autovacuum_vacuum_threshold = 0, "
                    "autovacuum_vacuum_scale_factor = 0)"
                )
            cursor.execute(f"VACUUM FULL {', '.join(TABLES)}")
        elif connection.vendor == "sqlite" and not connection.is_in_memory_db():
            cursor.execute("VACUUM")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("voting", "0004_sealed_ballots")]

    operations = [migrations.RunPython(purge, migrations.RunPython.noop)]
