from django.db import migrations


def forwards(apps, schema_editor):
    """Every candidate has an endorsement record, starting at "considering"."""
    Candidate = apps.get_model("candidates", "Candidate")
    Endorsement = apps.get_model("endorsements", "Endorsement")
    missing = Candidate.objects.filter(endorsement__isnull=True).values_list("pk", flat=True)
    Endorsement.objects.bulk_create([Endorsement(candidate_id=pk) for pk in missing])


class Migration(migrations.Migration):
    dependencies = [("endorsements", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
