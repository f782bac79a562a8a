"""The default assessment framework of the delivery method, in the unit's own words.

Loaded by a data migration into every new database, and again by ``Framework.objects.current``
wherever no version exists (a database emptied by hand or by a test), so that the application
always has a framework to rate against. Administrators edit the wording in the application; each
edit makes a new version, and this default is never consulted again.
"""

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


# The kind of framework this is, as the assessment engine knows it (see priorities/apps.py).
KIND = "priority"


def load(framework_model, area_model, level_model, *, kind: str = KIND):
    """Create version 1 with the models given: the real ones, or a migration's historical ones."""
    framework = framework_model.objects.create(
        kind=kind, number=1, note="The default framework of the delivery method."
    )
    for position, (key, name, description, questions, scale, overall, levels) in enumerate(
        AREAS, start=1
    ):
        area = area_model.objects.create(
            framework=framework,
            key=key,
            name=name,
            description=description,
            questions=questions,
            scale=scale,
            is_overall=overall,
            position=position,
        )
        level_model.objects.bulk_create(
            level_model(
                area=area, value=value, label=label, guidance=guidance, position=level_position
            )
            for level_position, (value, label, guidance) in enumerate(levels, start=1)
        )
    return framework
