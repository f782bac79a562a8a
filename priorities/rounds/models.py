"""Assessment rounds: the unit rates every priority against the framework, a panel moderates the
proposed ratings, and the Unit Leader agrees them. Agreed ratings are a record: they change only by
a recorded amendment (``Judgement.challenge(kind="amendment")``) or in a later round."""

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessment.models import Framework, Judgement, Scorecard, judgements_in_full
from delivery_unit.rules import visible
from delivery_unit.versioning import Stale, Versioned
from delivery_unit.workflow import TransitionRefused
from priorities.default_framework import KIND as PRIORITY_FRAMEWORK
from priorities.models import Priority

if TYPE_CHECKING:
    from delivery_unit.models import User


class RoundQuerySet(models.QuerySet["Round"]):
    def agreed(self) -> "RoundQuerySet":
        return self.filter(status=Round.Status.AGREED)

    def newest_first(self) -> "RoundQuerySet":
        return self.order_by("-date", "-pk")

    def visible_to(self, user) -> "RoundQuerySet":
        """The rounds ``priorities.view_round`` lets the user see."""
        return cast("RoundQuerySet", visible(self, user, "priorities.view_round"))


class Round(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MODERATION = "moderation", "In moderation"
        AGREED = "agreed", "Agreed"

    name = models.CharField(max_length=200)
    date = models.DateField(help_text="The date the ratings are as at.")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    moderation_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    moderation_started_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "moderation", "agreed"]),
                name="round_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="agreed") | models.Q(agreed_at__isnull=False),
                name="agreed_round_has_agreed_at",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:round", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def in_moderation(self) -> bool:
        return self.status == self.Status.MODERATION

    @property
    def is_agreed(self) -> bool:
        return self.status == self.Status.AGREED

    @classmethod
    def open_round(cls, *, name: str, date, by, priorities=None) -> "Round":
        """Open a round on the current framework, with an empty scorecard for each priority
        (by default every active priority), all or nothing."""
        if priorities is None:
            priorities = Priority.objects.filter(status=Priority.Status.ACTIVE).order_by("title")
        with transaction.atomic():
            framework = Framework.objects.current(PRIORITY_FRAMEWORK)
            round_ = cls.objects.create(name=name, date=date, framework=framework, opened_by=by)
            areas = list(framework.areas.all())
            for priority in priorities:
                scorecard = Scorecard.start(framework, areas)
                RoundEntry.objects.create(round=round_, priority=priority, scorecard=scorecard)
        return round_

    def _locked(self) -> "Round":
        return Round.objects.select_for_update().get(pk=self.pk)

    def start_moderation(self, *, by) -> None:
        """Move to moderation once every priority is proposed or left out with a reason."""
        with transaction.atomic():
            if self._locked().status != self.Status.OPEN:
                raise TransitionRefused("Only an open round can go to moderation.")
            waiting = self.entries.filter(status=RoundEntry.Status.DRAFT).count()
            if waiting:
                raise TransitionRefused(
                    f"{waiting} {'priority is' if waiting == 1 else 'priorities are'} not yet "
                    "proposed. Propose each rating, or leave the priority out with a reason, "
                    "before moderation."
                )
            self.status = self.Status.MODERATION
            self.moderation_started_by = by
            self.moderation_started_at = timezone.now()
            self.save(update_fields=["status", "moderation_started_by", "moderation_started_at"])

    def agree(self, *, by) -> None:
        """Agree the moderated ratings and publish them; from now on they are a record."""
        with transaction.atomic():
            if self._locked().status != self.Status.MODERATION:
                raise TransitionRefused("Only a round in moderation can be agreed.")
            self.entries.filter(
                status__in=[RoundEntry.Status.PROPOSED, RoundEntry.Status.MODERATED]
            ).update(status=RoundEntry.Status.AGREED)
            self.status = self.Status.AGREED
            self.agreed_by = by
            self.agreed_at = timezone.now()
            self.save(update_fields=["status", "agreed_by", "agreed_at"])

    def previous_agreed(self) -> "Round | None":
        """The agreed round before this one: what this round's ratings are compared with."""
        return (
            Round.objects.agreed()
            .filter(models.Q(date__lt=self.date) | models.Q(date=self.date, pk__lt=self.pk))
            .newest_first()
            .first()
        )

    def entries_in_full(self):
        """The entries with everything a page shows of them, in a fixed number of queries."""
        return (
            self.entries.select_related("priority__lead", "priority__analyst", "proposed_by")
            .select_related("self_assessment__assessed_by")
            .prefetch_related(judgements_in_full())
            .order_by("priority__title")
        )


class RoundEntryQuerySet(models.QuerySet["RoundEntry"]):
    def visible_to(self, user) -> "RoundEntryQuerySet":
        """The priorities' ratings ``priorities.view_roundentry`` lets the user see."""
        return cast("RoundEntryQuerySet", visible(self, user, "priorities.view_roundentry"))

    def in_full(self) -> "RoundEntryQuerySet":
        return self.select_related(
            "round", "priority__lead", "self_assessment__assessed_by"
        ).prefetch_related(judgements_in_full())

    def latest_agreed(self, priority) -> "RoundEntry | None":
        """The priority's ratings in the latest agreed round that included it."""
        return (
            self.in_full()
            .filter(priority=priority, status=RoundEntry.Status.AGREED)
            .order_by("-round__date", "-round__pk")
            .first()
        )

    def in_progress(self, priority) -> "RoundEntry | None":
        """The priority's ratings in a round not yet agreed, if there is one."""
        return (
            self.select_related("round")
            .filter(priority=priority)
            .exclude(round__status=Round.Status.AGREED)
            .order_by("-round__date", "-round__pk")
            .first()
        )


class RoundEntry(models.Model):
    """One priority in one round: the unit's scorecard for it, and the lead's self-assessment."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PROPOSED = "proposed", "Proposed"
        MODERATED = "moderated", "Moderated"
        AGREED = "agreed", "Agreed"
        EXCLUDED = "excluded", "Left out"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    priority = models.ForeignKey(
        "priorities.Priority", on_delete=models.PROTECT, related_name="round_entries"
    )
    scorecard = models.OneToOneField(Scorecard, on_delete=models.PROTECT, related_name="entry")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    exclusion_reason = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    proposed_at = models.DateTimeField(null=True, blank=True)

    objects = RoundEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "rating"
        constraints = [
            models.UniqueConstraint(fields=["round", "priority"], name="priority_once_per_round"),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["draft", "proposed", "moderated", "agreed", "excluded"]
                ),
                name="round_entry_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="excluded") | ~models.Q(exclusion_reason=""),
                name="excluded_entry_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority} in {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:entry", kwargs={"pk": self.round_id, "slug": self.priority.slug})

    @property
    def is_editable(self) -> bool:
        """The analyst may still change the ratings: the round is open and they are a draft."""
        return self.round.is_open and self.status == self.Status.DRAFT

    def previous_agreed(self) -> "RoundEntry | None":
        previous_round = self.round.previous_agreed()
        if previous_round is None:
            return None
        return (
            RoundEntry.objects.filter(round=previous_round, priority_id=self.priority_id)
            .exclude(status=self.Status.EXCLUDED)
            .select_related("scorecard", "round")
            .prefetch_related(judgements_in_full())
            .first()
        )

    def _refuse_unless_open(self) -> None:
        if not Round.objects.select_for_update().get(pk=self.round_id).is_open:
            raise TransitionRefused("The round is no longer open.")

    def _refuse_unless_draft(self) -> None:
        self._refuse_unless_open()
        if RoundEntry.objects.select_for_update().get(pk=self.pk).status != self.Status.DRAFT:
            raise TransitionRefused(
                "These ratings are no longer a draft. Withdraw them to change them."
            )

    def save_draft(self, values: dict[int, dict[str, str]], *, by, version: int) -> bool:
        """Save the analyst's work in progress (see ``Scorecard.save_draft``)."""
        with transaction.atomic():
            self._refuse_unless_draft()
            return self.scorecard.save_draft(values, by=by, version=version)

    def propose(
        self, values: dict[int, dict[str, str]], *, by, version: int, previous: dict[str, Judgement]
    ) -> None:
        """Save the ratings and mark them ready for moderation, all or nothing. Refused with
        every missing piece listed."""
        with transaction.atomic():
            self._refuse_unless_draft()
            self.scorecard.save_draft(values, by=by, version=version)
            saved = Scorecard.objects.prefetch_related(judgements_in_full("judgements")).get(
                pk=self.scorecard_id
            )
            missing = saved.missing(previous)
            if missing:
                raise TransitionRefused(" ".join(f"{m}." for m in missing))
            self.status = self.Status.PROPOSED
            self.proposed_by = by
            self.proposed_at = timezone.now()
            self.save(update_fields=["status", "proposed_by", "proposed_at"])

    def proposed_as(self, values: dict[int, dict[str, str]], *, by) -> bool:
        """Whether these ratings are already proposed, by this person, exactly as ``values``:
        their own autosave or second click arriving after the proposal, which has nothing left
        to do and is no conflict."""
        current = RoundEntry.objects.select_related("scorecard").get(pk=self.pk)
        return (
            current.status == self.Status.PROPOSED
            and current.proposed_by_id == by.pk
            and current.scorecard.holds(values)
        )

    def withdraw(self) -> None:
        """Back to draft, while the round is open, so that the analyst can change a proposal or
        bring back a priority that was left out."""
        with transaction.atomic():
            self._refuse_unless_open()
            self.status = self.Status.DRAFT
            self.exclusion_reason = ""
            self.save(update_fields=["status", "exclusion_reason"])

    def exclude(self, *, reason: str, by) -> None:
        """Leave the priority out of this round, with the reason recorded."""
        with transaction.atomic():
            self._refuse_unless_open()
            self.status = self.Status.EXCLUDED
            self.exclusion_reason = reason
            self.proposed_by = by
            self.proposed_at = timezone.now()
            self.save(update_fields=["status", "exclusion_reason", "proposed_by", "proposed_at"])

    def challenge(self, judgement: Judgement, *, level: str, reason: str, by, seen: str):
        """The panel changes a proposed rating in moderation. ``seen`` is the level the panel
        member saw: if someone changed it since, refuse rather than log a false original."""
        with transaction.atomic():
            if not Round.objects.select_for_update().get(pk=self.round_id).in_moderation:
                raise TransitionRefused("Ratings are challenged only while in moderation.")
            challenge = judgement.challenge(level=level, reason=reason, by=by, seen=seen)
            self.status = self.Status.MODERATED
            self.save(update_fields=["status"])
        return challenge

    def amend(self, judgement: Judgement, *, level: str, reason: str, by, seen: str):
        """The Unit Leader's recorded amendment of an agreed rating: the only change an agreed
        rating ever takes."""
        with transaction.atomic():
            if not Round.objects.select_for_update().get(pk=self.round_id).is_agreed:
                raise TransitionRefused("Only an agreed rating is amended.")
            if self.status != self.Status.AGREED:
                raise TransitionRefused("This priority was left out of the round.")
            return judgement.challenge(
                level=level, reason=reason, by=by, kind="amendment", seen=seen
            )


class SelfAssessment(Versioned):
    """The priority lead's own view of the likelihood of delivery: the second voice, shown beside
    the unit's rating wherever both appear."""

    entry = models.OneToOneField(
        RoundEntry, on_delete=models.CASCADE, related_name="self_assessment"
    )
    level = models.CharField(max_length=20)
    rationale = models.TextField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField()

    history = HistoricalRecords()
    # Set before a save, for the history's record of who changed it.
    _history_user: "User | None"

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=["red", "amber_red", "amber_green", "green"]),
                name="self_assessment_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Self-assessment of {self.entry}"

    @classmethod
    def record(cls, entry: RoundEntry, *, level: str, rationale: str, by, version: int):
        """Save the lead's view if nobody saved it since ``version`` (0: none yet). Refused once
        the round is agreed: the agreed record keeps the view the lead held then."""
        with transaction.atomic():
            if Round.objects.select_for_update().get(pk=entry.round_id).is_agreed:
                raise TransitionRefused("The round is agreed: its self-assessments are a record.")
            current = cls.objects.select_for_update().filter(entry=entry).first()
            if (current.version if current else 0) != version:
                raise Stale(current)
            assessment = current or cls(entry=entry, version=0)
            assessment.level = level
            assessment.rationale = rationale
            assessment.assessed_by = by
            assessment.assessed_at = timezone.now()
            assessment.version += 1
            assessment._history_user = by
            assessment.save()
        return assessment
