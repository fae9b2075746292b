from django.db import migrations

from landmosaic.landscapes.vocabularies import VOCABULARIES


def load(apps, schema_editor):
    Term = apps.get_model("landscapes", "Term")
    for vocabulary, terms in VOCABULARIES.items():
        for sort, (code, en, es, fr, pt) in enumerate(terms):
            Term.objects.update_or_create(
                vocabulary=vocabulary,
                code=code,
                defaults={"label": en, "translations": {"es": es, "fr": fr, "pt": pt}, "sort": sort},
            )


class Migration(migrations.Migration):
    dependencies = [("landscapes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
