"""The default assessment framework, and the foundation's single ratings carried into rounds.

The framework's wording lives here rather than in application code so that this migration keeps
meaning what it meant when it ran, whatever the code says later. Administrators edit the wording
in the application; each edit is a new version.
"""

from django.db import migrations

LIKELIHOOD = [
    (
        "red",
        "Red",
        "Highly problematic: delivery is unlikely without urgent and decisive action. Several "
        "major risks are not under control, or the data is well off trajectory with no credible "
        "plan to recover.",
    ),
    (
        "amber_red",
        "Amber-red",
        "Problematic: needs substantial attention and some urgent action. Important parts of "
        "delivery are not yet in place or not working.",
    ),
    (
        "amber_green",
        "Amber-green",
        "Mixed: broadly on course, but some aspects need substantial attention if the target is "
        "to be met.",
    ),
    (
        "green",
        "Green",
        "Good: on course. Needs steady, well-managed implementation rather than new action.",
    ),
]

PLANNING = [
    (
        "red",
        "Red",
        "No credible plan: the challenge is poorly understood, nobody clearly owns delivery, "
        "and performance is not tracked.",
    ),
    (
        "amber_red",
        "Amber-red",
        "A plan exists but has serious gaps: weak understanding of what drives the outcome, "
        "unclear governance, or data looked at too rarely to act on.",
    ),
    (
        "amber_green",
        "Amber-green",
        "A sound plan with some gaps: governance and performance management work, but parts of "
        "the challenge or the programme need firmer grip.",
    ),
    (
        "green",
        "Green",
        "A strong plan: the challenge is understood in depth, programme management is "
        "disciplined, and data is reviewed often and acted on.",
    ),
]

CAPACITY = [
    (
        "red",
        "Red",
        "The delivery chain is not understood or not engaged, and leadership is absent or divided.",
    ),
    (
        "amber_red",
        "Amber-red",
        "Parts of the delivery chain are unknown or disengaged; leadership is not yet driving "
        "the change.",
    ),
    (
        "amber_green",
        "Amber-green",
        "The delivery chain is mostly understood and engaged, with some weak links; leadership "
        "is visible but the culture is still shifting.",
    ),
    (
        "green",
        "Green",
        "Every link of the delivery chain is understood and engaged, and leaders at each level "
        "drive progress.",
    ),
]

CHALLENGE = [
    (
        "low",
        "Low",
        "A familiar task within the council's control: the service has delivered something "
        "like it before.",
    ),
    (
        "medium",
        "Medium",
        "Demanding but well understood, with most levers in the council's hands.",
    ),
    (
        "high",
        "High",
        "Hard: depends on partners or on demand the council does not control, or needs a new "
        "way of working.",
    ),
    (
        "very_high",
        "Very high",
        "Very hard: deep-rooted, outside pressures are severe, and nobody has yet shown how it "
        "can be done at this scale.",
    ),
]

STAGE = [
    (
        "1",
        "Stage 1",
        "Planning: the approach is being designed; nothing has changed on the ground yet.",
    ),
    (
        "2",
        "Stage 2",
        "Early implementation: changes are starting on the ground; results not "
        "yet visible in the data.",
    ),
    (
        "3",
        "Stage 3",
        "Delivery under way: changes are in place across the service and the "
        "first results show in the data.",
    ),
    (
        "4",
        "Stage 4",
        "Delivery embedded: new ways of working are normal practice and results "
        "are visible and sustained.",
    ),
]

AREAS = [
    (
        "challenge",
        "Degree of challenge",
        "How hard the priority is to deliver: context for the other judgements, not a "
        "judgement of performance.",
        "",
        "challenge",
        False,
        CHALLENGE,
    ),
    (
        "planning",
        "Quality of planning, implementation and performance management",
        "Whether the priority is well planned, well run and well tracked.",
        "Is the challenge understood: what drives the outcome, where the problem is worst?\n"
        "Are governance and programme management in place: who owns what, with milestones?\n"
        "Is performance managed: the right data, looked at often enough, and acted on?",
        "likelihood",
        False,
        PLANNING,
    ),
    (
        "capacity",
        "Capacity to drive progress",
        "Whether the people and the organisation can make the change happen.",
        "Is the delivery chain understood and engaged, from the Leader to the frontline?\n"
        "Do leadership and culture drive progress at every level?",
        "likelihood",
        False,
        CAPACITY,
    ),
    (
        "stage",
        "Stage of delivery",
        "How far delivery has come, from planning to results that are visible and embedded.",
        "",
        "stage",
        False,
        STAGE,
    ),
    (
        "likelihood",
        "Likelihood of delivery",
        "The overall judgement: informed by the areas above and by the data against "
        "trajectory, but not their average.",
        "",
        "likelihood",
        True,
        LIKELIHOOD,
    ),
]


def load_default_framework(apps, schema_editor):
    Framework = apps.get_model("priorities", "Framework")
    JudgementArea = apps.get_model("priorities", "JudgementArea")
    Level = apps.get_model("priorities", "Level")
    framework = Framework.objects.create(
        kind="priority", number=1, note="The default framework of the delivery method."
    )
    for position, (key, name, description, questions, scale, overall, levels) in enumerate(
        AREAS, start=1
    ):
        area = JudgementArea.objects.create(
            framework=framework,
            key=key,
            name=name,
            description=description,
            questions=questions,
            scale=scale,
            is_overall=overall,
            position=position,
        )
        for level_position, (value, label, guidance) in enumerate(levels, start=1):
            Level.objects.create(
                area=area, value=value, label=label, guidance=guidance, position=level_position
            )


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
        migrations.RunPython(load_default_framework, migrations.RunPython.noop),
        migrations.RunPython(carry_ratings_into_rounds, migrations.RunPython.noop),
    ]
