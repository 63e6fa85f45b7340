import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Phrase = apps.get_model("objectives", "ObjectiveBankPhrase")
    for phrase in Phrase.objects.filter(public_id__isnull=True):
        phrase.public_id = uuid.uuid4()
        phrase.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("objectives", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="objectivebankphrase",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="objectivebankphrase",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
