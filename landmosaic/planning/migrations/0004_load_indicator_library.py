from django.db import migrations

from landmosaic.planning.framework import translations
from landmosaic.planning.framework.library import LIBRARY


def load(apps, schema_editor):
    LibraryIndicator = apps.get_model("planning", "LibraryIndicator")
    for sort, item in enumerate(LIBRARY):
        LibraryIndicator.objects.update_or_create(
            code=item.code,
            defaults={
                "name": item.name.en,
                "description": item.description.en,
                "unit": item.unit.en,
                "method": item.method.en,
                "direction": item.direction,
                "frequency": item.frequency,
                "pillar": item.pillar,
                "return_kind": item.return_kind,
                "translations": translations(
                    name=item.name, description=item.description, unit=item.unit, method=item.method
                ),
                "sort": sort,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("planning", "0003_agreement_vision_action_plan_indicators")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
