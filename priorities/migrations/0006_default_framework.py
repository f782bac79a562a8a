"""The default assessment framework, and the foundation's single ratings carried into rounds."""

from django.db import migrations

from priorities import default_framework


def load_default_framework(apps, schema_editor):
    default_framework.load(
        apps.get_model("priorities", "Framework"),
        apps.get_model("priorities", "JudgementArea"),
        apps.get_model("priorities", "Level"),
    )


def remove_default_framework(apps, schema_editor):
    # Refused by the database (PROTECT) once any round has used it.
    apps.get_model("priorities", "Framework").objects.filter(kind="priority").delete()


def carry_ratings_into_rounds(apps, schema_editor):
    """Each month in which the foundation's single ratings were given becomes an agreed round
    holding each priority's last rating of that month as its likelihood of delivery, so that no
    judgement anyone made is lost."""
    Rating = apps.get_model("priorities", "Rating")
    if not Rating.objects.exists():
        return
    Framework = apps.get_model("priorities", "Framework")
    JudgementArea = apps.get_model("priorities", "JudgementArea")
    Round = apps.get_model("priorities", "Round")
    RoundEntry = apps.get_model("priorities", "RoundEntry")
    Scorecard = apps.get_model("priorities", "Scorecard")
    Judgement = apps.get_model("priorities", "Judgement")
    framework = Framework.objects.get(kind="priority", number=1)
    areas = list(JudgementArea.objects.filter(framework=framework))
    months: dict = {}
    for rating in Rating.objects.order_by("rated_at", "pk"):
        month = rating.rated_at.date().replace(day=1)
        months.setdefault(month, {})[rating.priority_id] = rating
    for month, ratings in sorted(months.items()):
        last = max(ratings.values(), key=lambda r: (r.rated_at, r.pk))
        round_ = Round.objects.create(
            name=f"Ratings of {month:%B %Y}",
            date=last.rated_at.date(),
            framework=framework,
            status="agreed",
            opened_by_id=last.rated_by_id,
            opened_at=last.rated_at,
            agreed_by_id=last.rated_by_id,
            agreed_at=last.rated_at,
        )
        for priority_id, rating in ratings.items():
            scorecard = Scorecard.objects.create(
                framework=framework, updated_by_id=rating.rated_by_id, updated_at=rating.rated_at
            )
            for area in areas:
                Judgement.objects.create(
                    scorecard=scorecard,
                    area=area,
                    level=rating.likelihood if area.is_overall else "",
                    rationale=rating.rationale if area.is_overall else "",
                )
            RoundEntry.objects.create(
                round=round_,
                priority_id=priority_id,
                scorecard=scorecard,
                status="agreed",
                proposed_by_id=rating.rated_by_id,
                proposed_at=rating.rated_at,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0005_assessment_rounds"),
    ]

    operations = [
        migrations.RunPython(load_default_framework, remove_default_framework),
        migrations.RunPython(carry_ratings_into_rounds, migrations.RunPython.noop),
    ]
