"""Assessments recorded by a workshop kept the workshop's join code in their details; the
activism's maintainers read those assessments (the case page, the API), so the code is removed
from the stored details. Nothing else in the details changes."""

from django.db import migrations


def drop_join_codes(apps, schema_editor):
    assessment = apps.get_model("cases", "Assessment")
    for row in assessment.objects.filter(perspective="workshop").only("pk", "details"):
        workshop = (row.details or {}).get("workshop")
        if isinstance(workshop, dict) and "code" in workshop:
            workshop.pop("code")
            assessment.objects.filter(pk=row.pk).update(details=row.details)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(drop_join_codes, migrations.RunPython.noop)]
