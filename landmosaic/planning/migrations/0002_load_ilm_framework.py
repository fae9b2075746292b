from django.db import migrations

from landmosaic.planning.framework import ELEMENTS, translations


def load(apps, schema_editor):
    Element = apps.get_model("planning", "Element")
    Output = apps.get_model("planning", "Output")
    for element_sort, data in enumerate(ELEMENTS):
        element, _created = Element.objects.update_or_create(
            code=data.code,
            defaults={
                "name": data.name.en,
                "description": data.description.en,
                "translations": translations(name=data.name, description=data.description),
                "sort": element_sort,
            },
        )
        for sort, output in enumerate(data.outputs):
            Output.objects.update_or_create(
                code=output.code,
                defaults={
                    "element": element,
                    "name": output.name.en,
                    "description": output.description.en,
                    "next_steps": [step.en for step in output.next_steps],
                    "tools": list(output.tools),
                    "feature": output.feature,
                    "translations": translations(
                        name=output.name, description=output.description, next_steps=output.next_steps
                    ),
                    "sort": sort,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_ilm_framework_statuses_stakeholders")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
