from django.db import migrations

#: Outputs whose work now happens on a page of the planning app (Output.feature).
FEATURES = {
    "1.2": "agreement",
    "3.1": "vision",
    "3.2": "vision",
    "3.4": "actions",
    "4.2": "tracker",
    "5.1": "indicators",
    "5.2": "indicators",
}


def link(apps, schema_editor):
    Output = apps.get_model("planning", "Output")
    for code, feature in FEATURES.items():
        Output.objects.filter(code=code).update(feature=feature)


def unlink(apps, schema_editor):
    Output = apps.get_model("planning", "Output")
    Output.objects.filter(code="1.2").update(feature="partnership")
    Output.objects.filter(code__in=[c for c in FEATURES if c != "1.2"]).update(feature="")


class Migration(migrations.Migration):
    dependencies = [("planning", "0004_load_indicator_library")]
    operations = [migrations.RunPython(link, unlink)]
