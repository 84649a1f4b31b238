"""The Swedish text of the first consent version calls a call "utrop"; the interface says
"kallelse" everywhere. A consent text is never edited once someone has agreed to it, so the
wording is fixed only where version 1 is still exactly as shipped and no Swedish-speaking
volunteer has agreed to it yet (a fresh or unused install). Elsewhere a coordinator publishes a
new version in the admin, and volunteers see the changed text on their page before they
confirm it."""

from django.db import migrations

OLD = "tjänsteinnehavare som skickar utrop;"
NEW = "tjänsteinnehavare som skickar kallelser;"


def fix_wording(apps, schema_editor):
    ConsentText = apps.get_model("crowds", "ConsentText")
    Volunteer = apps.get_model("crowds", "Volunteer")
    first = ConsentText.objects.filter(version=1).first()
    if first is None or OLD not in first.text_sv:
        return
    if Volunteer.objects.filter(consent=first, language="sv").exists():
        return
    first.text_sv = first.text_sv.replace(OLD, NEW)
    first.save(update_fields=["text_sv"])


class Migration(migrations.Migration):
    dependencies = [("crowds", "0004_message_kind_place")]
    operations = [migrations.RunPython(fix_wording, migrations.RunPython.noop)]
