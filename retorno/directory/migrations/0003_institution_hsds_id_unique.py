import uuid

from django.db import migrations, models


def fill_ids(apps, schema_editor):
    # Rows that existed before the field got one shared default value; give each its own.
    Institution = apps.get_model("directory", "Institution")
    for inst in Institution.objects.all():
        inst.hsds_id = uuid.uuid4()
        inst.save(update_fields=["hsds_id"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_directory_services")]

    operations = [
        migrations.RunPython(fill_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="institution",
            name="hsds_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="identificador HSDS"),
        ),
    ]
