"""The first consent text and the built-in skills (coordinators add and edit more)."""

from django.db import migrations
from django.utils import timezone

CONSENT = {
    "text_fi": (
        "Suostun siihen, että kaupunki tallentaa antamani yhteystiedot, alueet ja taidot ja "
        "lähettää minulle pyyntöjä auttaa lähialueeni kriisitilanteissa. Yhteystietojani näkevät "
        "vain kutsuja lähettävät viranhaltijat; niitä ei luovuteta eteenpäin eikä julkaista. "
        "Vahvistan tietoni säännöllisesti. Voin lopettaa milloin tahansa linkistä tai "
        "vastaamalla tekstiviestiin STOP, ja voin ladata tai poistaa tietoni."
    ),
    "text_sv": (
        "Jag samtycker till att staden sparar de kontaktuppgifter, områden och färdigheter jag "
        "anger och skickar mig förfrågningar om hjälp i krissituationer i mitt närområde. Mina "
        "kontaktuppgifter ses endast av tjänsteinnehavare som skickar utrop; de lämnas inte ut "
        "och publiceras inte. Jag bekräftar mina uppgifter regelbundet. Jag kan sluta när som "
        "helst via länken eller genom att svara STOP på ett sms, och jag kan ladda ner eller "
        "radera mina uppgifter."
    ),
    "text_en": (
        "I agree that the city stores the contact details, areas and skills I give and sends me "
        "requests to help in crisis situations near me. Only the officials who send calls see "
        "my contact details; they are not passed on or published. I confirm my details "
        "regularly. I can leave at any time through the link or by replying STOP to a text "
        "message, and I can download or erase my data."
    ),
}

SKILLS = [
    ("first-aid", "Ensiapu", "Första hjälpen", "First aid"),
    ("chainsaw", "Moottorisaha", "Motorsåg", "Chainsaw"),
    ("car", "Auto käytössä", "Har bil", "Has a car"),
    ("van", "Pakettiauto tai peräkärry", "Paketbil eller släpvagn", "Van or trailer"),
    ("boat", "Vene", "Båt", "Boat"),
    ("lifting", "Raskaat nostot", "Tunga lyft", "Heavy lifting"),
    ("search", "Maastoetsintä", "Terrängsök", "Search in terrain"),
    ("languages", "Kielitaito (tulkkaus)", "Språkkunskaper (tolkning)", "Languages (interpreting)"),
    ("care", "Hoiva ja seura", "Omsorg och sällskap", "Care and company"),
    ("cooking", "Ruoanlaitto suurelle joukolle", "Matlagning för många", "Cooking for many"),
]


def seed(apps, schema_editor):
    ConsentText = apps.get_model("crowds", "ConsentText")
    Skill = apps.get_model("crowds", "Skill")
    if not ConsentText.objects.exists():
        ConsentText.objects.create(version=1, published_at=timezone.now(), **CONSENT)
    for position, (slug, fi, sv, en) in enumerate(SKILLS):
        Skill.objects.get_or_create(
            slug=slug,
            defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "position": position * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("crowds", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
