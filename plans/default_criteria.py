"""The default criteria for assessing delivery plans: one a section, plus an overall judgement,
each rated Red, Amber-red, Amber-green or Green, with what each level looks like.

Data, like the assessment framework: loaded by a data migration, and again by
``Framework.objects.current`` wherever no version exists (a database emptied by a test), so that
a submitted plan always has criteria to be assessed against. Administrators reword them in the
framework's editor; each edit makes a new version.
"""

SECTIONS = [
    ("aspiration", "Aspiration and what success looks like",
     "The ambition in words a resident would recognise, and what will be different when it is "
     "met: who benefits, by how much, by when."),
    ("delivery_chain", "Delivery chain",
     "Every actor from the Leader to the frontline, what each does, and where the chain is weak."),
    ("leadership", "Leadership and accountability",
     "Who owns the whole plan and each activity, who they answer to, and how decisions are taken."),
    ("interventions", "Interventions",
     "The few things that will move the indicators, each with who, when and which indicator."),
    ("milestones", "Milestones",
     "Dated checkpoints, each with an owner and a status."),
    ("trajectory", "Trajectory",
     "How the indicators should move period by period, and why that shape."),
    ("performance_management", "Performance management",
     "What data is looked at, how often, by whom, and what happens when it is off trajectory."),
    ("benchmarking", "Benchmarking",
     "The history of the indicators and how peers compare."),
    ("resources", "Resources and support",
     "The money, people and support the plan needs, and whether it has them."),
    ("stakeholders", "Stakeholders",
     "Who must be engaged and how."),
    ("risks", "Risks",
     "What could stop delivery, how likely and how serious, and what is being done about it."),
]  # fmt: skip

LEVELS = [
    ("red", "Red",
     "Missing or highly problematic: the section does not answer what good looks like; the plan "
     "cannot be relied on here and needs urgent work."),
    ("amber_red", "Amber-red",
     "Problematic: the section answers part of what good looks like, with serious gaps that need "
     "substantial work before approval."),
    ("amber_green", "Amber-green",
     "Mixed: the section mostly answers what good looks like; some aspects need attention."),
    ("green", "Green",
     "Good: the section answers what good looks like convincingly; it needs only keeping up to "
     "date."),
]  # fmt: skip

OVERALL = (
    "overall",
    "Overall quality of the plan",
    "A judgement on the whole plan, informed by the criteria but not their average: could the "
    "priority be delivered by following it?",
)


# The kind of framework this is, as the assessment engine knows it (see plans/apps.py).
KIND = "plan"


def load(framework_model, area_model, level_model):
    """Create version 1 with the models given: the real ones, or a migration's historical ones."""
    framework = framework_model.objects.create(
        kind=KIND, number=1, note="The default delivery plan criteria of the delivery method."
    )
    criteria = [(key, name, text, False) for key, name, text in SECTIONS]
    criteria.append((*OVERALL, True))
    for position, (key, name, description, overall) in enumerate(criteria, start=1):
        area = area_model.objects.create(
            framework=framework,
            key=key,
            name=name,
            description=description,
            questions="",
            scale="likelihood",
            is_overall=overall,
            position=position,
        )
        level_model.objects.bulk_create(
            level_model(area=area, value=value, label=label, guidance=guidance, position=number)
            for number, (value, label, guidance) in enumerate(LEVELS, start=1)
        )
    return framework
