"""The priority register and the unit's ratings of each priority's likelihood of delivery."""

from datetime import date
from typing import cast

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from assessment.models import Judgement
from delivery_unit.rules import visible
from delivery_unit.versioning import Versioned


class Likelihood(models.TextChoices):
    """The four-point scale: no plain amber, so that the unit has to make a call."""

    RED = "red", "Red"
    AMBER_RED = "amber_red", "Amber-red"
    AMBER_GREEN = "amber_green", "Amber-green"
    GREEN = "green", "Green"


LIKELIHOOD_MEANINGS = {
    Likelihood.GREEN: "Good: needs steady implementation.",
    Likelihood.AMBER_GREEN: "Mixed: some aspects need substantial attention.",
    Likelihood.AMBER_RED: "Problematic: needs substantial attention and some urgent action.",
    Likelihood.RED: "Highly problematic: needs urgent and decisive action.",
}


class PriorityQuerySet(models.QuerySet["Priority"]):
    def with_latest_rating(self) -> "PriorityQuerySet":
        """Annotate each priority with its overall likelihood in the latest agreed round, and
        that round's date, in one query for any number of priorities."""
        from priorities.rounds.models import RoundEntry  # rounds' models import this module

        # From the priority's own entries (by their priority index) to the overall judgement
        # of the latest agreed one (by its scorecard index): the judgements' path through the
        # scorecard to the entry made the database scan every scorecard for every priority
        # (11 ms for the analyst's 40 priorities at 10x, most of the home page's queries).
        def latest(priority):
            return RoundEntry.objects.filter(priority=priority, status="agreed").order_by(
                "-round__date", "-round_id"
            )

        # Inside the judgements' subquery the priority is two queries out.
        overall = Judgement.objects.filter(
            area__is_overall=True,
            scorecard_id=Subquery(latest(OuterRef(OuterRef("pk"))).values("scorecard_id")[:1]),
        )
        return self.annotate(
            latest_likelihood=Subquery(overall.values("level")[:1]),
            latest_rated_at=Subquery(latest(OuterRef("pk")).values("round__date")[:1]),
        )

    def led_by(self, user) -> "PriorityQuerySet":
        return self.filter(lead=user)

    def visible_to(self, user) -> "PriorityQuerySet":
        """The priorities ``priorities.view_priority`` lets the user see."""
        return cast("PriorityQuerySet", visible(self, user, "priorities.view_priority"))


class Priority(Versioned):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        DROPPED = "dropped", "Dropped"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    aspiration = models.TextField(help_text="The ambition, in words.")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_priorities",
        null=True,
        blank=True,
    )
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="analysed_priorities",
        null=True,
        blank=True,
        help_text="The unit analyst who follows this priority.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    code = models.CharField(
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        help_text="A short code, for example TA. Indicator codes start with it.",
    )
    # The portfolio holder: a person with an account here where there is one; else their name
    # as text (kept as it was typed before they were people here).
    portfolio_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="portfolio",
        null=True,
        blank=True,
        verbose_name="Cabinet member",
    )
    cabinet_member = models.CharField(
        "Cabinet member (if they have no account here)", max_length=150, blank=True
    )
    services = models.CharField(
        max_length=300, blank=True, help_text="The services involved, for example Housing Demand."
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    service_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="supported_priorities",
        blank=True,
        help_text="People in the services who enter this priority's data.",
    )

    objects = PriorityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[service_staff])

    # Set by PriorityQuerySet.with_latest_rating, on the rows it gives only.
    latest_likelihood: str | None
    latest_rated_at: date | None

    class Meta:
        verbose_name_plural = "priorities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "paused", "completed", "dropped"]),
                name="priority_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="priority_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("priorities:detail", kwargs={"slug": self.slug})

    @property
    def cabinet_member_name(self) -> str:
        """The portfolio holder in words: the person, or the name typed for them."""
        if self.portfolio_holder_id is not None:
            return str(self.portfolio_holder)
        return self.cabinet_member


# Words the register's own URLs use, so never a priority's slug.
RESERVED_SLUGS = {"new", "import", "indicators", "data", "export", "plans"}


def unique_slug(title: str) -> str:
    """A slug for the title that no priority has yet: "recycling", then "recycling-2"."""
    base = slugify(title)[:70] or "priority"
    taken = set(Priority.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
