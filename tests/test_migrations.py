"""The move from the foundation's single ratings to assessment rounds loses no judgement."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("priorities", "0005_assessment_rounds"), ("delivery_unit", "0002_assessment_rounds")]


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_single_ratings_become_agreed_rounds_one_a_month():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        _rate_the_old_way(executor.loader.project_state(BEFORE).apps)
    finally:
        migrate_to_latest()

    from priorities.models import Priority
    from priorities.rounds.models import Round

    rounds = list(Round.objects.order_by("date"))
    assert [(r.name, r.status, r.date.isoformat()) for r in rounds] == [
        ("Ratings of September 2026", "agreed", "2026-09-20"),
        ("Ratings of October 2026", "agreed", "2026-10-03"),
    ]
    september = {
        e.priority.slug: e.scorecard.overall()
        for e in rounds[0].entries.select_related("priority", "scorecard")
    }
    assert {slug: (j.level, j.rationale) for slug, j in september.items()} == {
        "ta": ("amber_red", "TA amber_red."),
        "rs": ("green", "RS green."),
    }
    latest = {p.slug: p.latest_likelihood for p in Priority.objects.with_latest_rating()}
    assert latest == {"ta": "amber_green", "rs": "green"}


def _rate_the_old_way(old) -> None:
    user = old.get_model("delivery_unit", "User").objects.create(username="analyst")
    priority_model = old.get_model("priorities", "Priority")
    rating_model = old.get_model("priorities", "Rating")
    ta = priority_model.objects.create(title="TA", slug="ta", aspiration="Fewer.")
    rs = priority_model.objects.create(title="RS", slug="rs", aspiration="None.")
    for priority, likelihood, day in [
        (ta, "red", datetime(2026, 9, 2, tzinfo=UTC)),
        (ta, "amber_red", datetime(2026, 9, 20, tzinfo=UTC)),  # the month's last word
        (rs, "green", datetime(2026, 9, 5, tzinfo=UTC)),
        (ta, "amber_green", datetime(2026, 10, 3, tzinfo=UTC)),
    ]:
        rating_model.objects.create(
            priority=priority,
            likelihood=likelihood,
            rationale=f"{priority.title} {likelihood}.",
            rated_by=user,
            rated_at=day,
        )
