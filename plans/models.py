"""Delivery plans: written by the priority's lead and the service staff added to the plan, in
versions that move draft -> submitted -> assessed -> returned (a new draft follows) or approved.

A version holds the plan's sections (free text in Markdown) and its structured parts: the
delivery chain, the interventions, the milestones and the risks. Only a draft can change; the
version row is locked for every write, so that a save racing a submission either lands before it
or is refused after it, never slips into a frozen version.
"""

from datetime import date, timedelta
from typing import cast

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessment.models import Framework, Judgement, Scorecard
from delivery_unit.rules import visible
from delivery_unit.versioning import Versioned, versioned_edit
from delivery_unit.workflow import TransitionRefused
from plans.default_criteria import KIND as PLAN_CRITERIA
from priorities.models import Priority

# The overall criterion of the plan framework (the others are keyed by section).
OVERALL = "overall"


class Section(models.TextChoices):
    """The parts of a good plan, in the order the method asks for them."""

    ASPIRATION = "aspiration", "Aspiration and what success looks like"
    DELIVERY_CHAIN = "delivery_chain", "Delivery chain"
    LEADERSHIP = "leadership", "Leadership and accountability"
    INTERVENTIONS = "interventions", "Interventions"
    MILESTONES = "milestones", "Milestones"
    TRAJECTORY = "trajectory", "Trajectory"
    PERFORMANCE = "performance_management", "Performance management"
    BENCHMARKING = "benchmarking", "Benchmarking"
    RESOURCES = "resources", "Resources and support"
    STAKEHOLDERS = "stakeholders", "Stakeholders"
    RISKS = "risks", "Risks"


GUIDANCE = {
    Section.ASPIRATION: "The ambition in words a resident would recognise, and what will be "
    "different when it is met: who benefits, by how much, by when.",
    Section.DELIVERY_CHAIN: "Every actor from the Leader to the frontline, what each does, and "
    "where the chain is weak: who might not know, not agree or not be able to act.",
    Section.LEADERSHIP: "Who owns the whole plan and each activity, who they answer to, and how "
    "decisions are taken and escalated.",
    Section.INTERVENTIONS: "The few things that will move the indicators, each with who does "
    "it, when, and which indicator it should move.",
    Section.MILESTONES: "Dated checkpoints, each with an owner and a status, that show at any "
    "moment whether the interventions are happening.",
    Section.TRAJECTORY: "How the priority's indicators should move period by period, and why "
    "that shape: the trajectories themselves are drawn from the indicators, not typed here.",
    Section.PERFORMANCE: "What data is looked at, how often, by whom, and what happens when it "
    "is off trajectory.",
    Section.BENCHMARKING: "The history of the indicators and how peers compare: what the best "
    "achieve, and what they do differently.",
    Section.RESOURCES: "The money, people and support the plan needs, whether it has them, and "
    "what the unit or others can do to help.",
    Section.STAKEHOLDERS: "Who must be engaged (residents, partners, members, staff) and how, "
    "and what each needs to hear.",
    Section.RISKS: "What could stop delivery, how likely and how serious, what is being done "
    "about it and who owns it.",
}

# Sections whose structured part is shown with (or instead of) the text.
STRUCTURED = {
    Section.DELIVERY_CHAIN: "chain",
    Section.INTERVENTIONS: "interventions",
    Section.MILESTONES: "milestones",
    Section.RISKS: "risks",
}


class PlanFrozen(TransitionRefused):
    """The version is no longer a draft: a submitted version is a record."""

    def __init__(self, plan_version: "PlanVersion") -> None:
        super().__init__(
            f"Version {plan_version.number} is {plan_version.get_status_display().lower()} "
            "and can no longer be changed."
        )
        self.plan_version = plan_version


class DeliveryPlanQuerySet(models.QuerySet["DeliveryPlan"]):
    def visible_to(self, user) -> "DeliveryPlanQuerySet":
        """The plans ``plans.view_deliveryplan`` lets the user see."""
        # ``visible`` filters this queryset, so what it returns is of this class too.
        return cast(DeliveryPlanQuerySet, visible(self, user, "plans.view_deliveryplan"))


class DeliveryPlan(models.Model):
    priority = models.OneToOneField(Priority, on_delete=models.CASCADE, related_name="plan")
    writers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="written_plans",
        blank=True,
        help_text="Service staff who write the plan with the priority's lead.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Who was added to or taken off the plan's writers, by whom and when.
    history = HistoricalRecords(m2m_fields=[writers])

    objects = DeliveryPlanQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Delivery plan: {self.priority}"

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", kwargs={"slug": self.priority.slug})

    @classmethod
    def start(cls, priority: Priority, *, by) -> "PlanVersion":
        """The priority's plan with a first, empty draft (or the next draft of an existing plan)."""
        with transaction.atomic():
            plan, _ = cls.objects.get_or_create(priority=priority)
            return plan.start_draft(by=by)

    def start_draft(self, *, by) -> "PlanVersion":
        """A new draft: a copy of the newest version, or an empty first version. Refused while a
        version is still open (drafted, submitted or being assessed)."""
        with transaction.atomic():
            DeliveryPlan.objects.select_for_update().get(pk=self.pk)
            latest = self.versions.order_by("-number").first()
            if latest is None:
                version = PlanVersion.objects.create(plan=self, number=1, created_by=by)
                PlanSection.objects.bulk_create(
                    PlanSection(plan_version=version, key=key) for key in Section.values
                )
                return version
            if latest.is_open:
                raise TransitionRefused(
                    f"Version {latest.number} is still {latest.get_status_display().lower()}."
                )
            return latest.copy_to_next(by=by)


OPEN_STATUSES = ["draft", "submitted", "assessed"]


class PlanVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ASSESSED = "assessed", "Assessed"
        RETURNED = "returned", "Returned for revision"
        APPROVED = "approved", "Approved"

    plan = models.ForeignKey(DeliveryPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    feedback = models.TextField(
        blank=True, help_text="The unit's word to the lead when returning or approving."
    )
    # The unit's assessment against the plan criteria, started when the version is submitted.
    scorecard = models.OneToOneField(
        Scorecard,
        on_delete=models.PROTECT,
        related_name="plan_version",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="one_open_version_per_plan",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["draft", "submitted", "assessed", "returned", "approved"]
                ),
                name="plan_version_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.priority}: version {self.number} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse(
            "plans:version", kwargs={"slug": self.plan.priority.slug, "number": self.number}
        )

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def _lock(self) -> "PlanVersion":
        return PlanVersion.objects.select_for_update().get(pk=self.pk)

    def _move(self, *, allowed: set[str], to: str, by, **fields) -> None:
        with transaction.atomic():
            current = self._lock()
            if current.status not in allowed:
                raise TransitionRefused(
                    f"Version {self.number} is {current.get_status_display().lower()}: it cannot "
                    f"be {self.Status(to).label.lower()}."
                )
            self.status = to
            for name, value in fields.items():
                setattr(self, name, value)
            self._history_user = by
            self._change_reason = self.Status(to).label
            self.save(update_fields=["status", *fields])

    def submit(self, *, by) -> None:
        """The lead sends the draft to the unit. From now on this version is a record; an empty
        assessment against the current plan criteria waits for the unit."""
        with transaction.atomic():
            self._move(
                allowed={self.Status.DRAFT},
                to=self.Status.SUBMITTED,
                by=by,
                submitted_at=timezone.now(),
                submitted_by=by,
            )
            self.scorecard = Scorecard.start(Framework.objects.current(PLAN_CRITERIA))
            self.save(update_fields=["scorecard"])

    def previous_judgements(self) -> dict[str, Judgement]:
        """The unit's judgements of the last version it decided, by criterion: a rating that
        differs from them must say why."""
        before = (
            PlanVersion.objects.filter(
                plan_id=self.plan_id,
                number__lt=self.number,
                status__in=[self.Status.RETURNED, self.Status.APPROVED],
                scorecard__isnull=False,
            )
            .order_by("-number")
            .first()
        )
        if before is None:
            return {}
        scorecard = cast(Scorecard, before.scorecard)  # the query asks for one
        judgements = scorecard.judgements.select_related("area").prefetch_related("area__levels")
        return {judgement.area.key: judgement for judgement in judgements}

    def mark_assessed(self, *, by) -> None:
        """The unit has rated every criterion: the version can be returned or approved.
        Refused while any criterion lacks a rating or a rationale."""
        with transaction.atomic():
            if self.scorecard_id is not None:
                scorecard = Scorecard.objects.prefetch_related(
                    models.Prefetch(
                        "judgements",
                        queryset=Judgement.objects.select_related("area").prefetch_related(
                            "area__levels"
                        ),
                    )
                ).get(pk=self.scorecard_id)
                problems = scorecard.missing(self.previous_judgements())
                if problems:
                    raise TransitionRefused(f"{problems[0]}.")
            self._move(allowed={self.Status.SUBMITTED, self.Status.ASSESSED}, to="assessed", by=by)

    def challenge(self, judgement: Judgement, *, level: str, reason: str, by, seen: str):
        """The moderation panel changes one criterion's rating, with the reason, while the
        version awaits its decision. Refused if the rating changed since the panel member saw
        it, so that two challenges cannot cross unseen."""
        with transaction.atomic():
            current = self._lock()
            if current.status not in {self.Status.SUBMITTED, self.Status.ASSESSED}:
                raise TransitionRefused(
                    f"Version {self.number} is {current.get_status_display().lower()}: its "
                    "assessment can no longer be moderated."
                )
            return judgement.challenge(level=level, reason=reason, by=by, seen=seen)

    def return_for_revision(self, *, by, feedback: str) -> "PlanVersion":
        """Send the plan back with feedback; the next draft starts as a copy of this version."""
        with transaction.atomic():
            self._move(
                allowed={self.Status.ASSESSED},
                to=self.Status.RETURNED,
                by=by,
                decided_at=timezone.now(),
                decided_by=by,
                feedback=feedback,
            )
            return self.copy_to_next(by=by)

    def approve(self, *, by, feedback: str = "") -> None:
        self._move(
            allowed={self.Status.ASSESSED},
            to=self.Status.APPROVED,
            by=by,
            decided_at=timezone.now(),
            decided_by=by,
            feedback=feedback,
        )

    def copy_to_next(self, *, by) -> "PlanVersion":
        """The next draft, a copy of this version: its sections and every structured part.
        Comments stay with the version they were made on."""
        with transaction.atomic():
            draft = PlanVersion.objects.create(
                plan_id=self.plan_id, number=self.number + 1, based_on=self, created_by=by
            )
            PlanSection.objects.bulk_create(
                PlanSection(plan_version=draft, key=section.key, text=section.text)
                for section in self.sections.all()
            )
            for model in (ChainLink, Intervention, Milestone, Risk):
                _copy_items(model, self, draft)
            return draft

    def write(self, by, change):
        """Run ``change`` (a function of the locked version) if this version is still a draft."""
        with transaction.atomic():
            current = self._lock()
            if not current.is_draft:
                raise PlanFrozen(current)
            return change()

    def ordered_sections(self) -> list["PlanSection"]:
        order = {key: position for position, key in enumerate(Section.values)}
        return sorted(self.sections.all(), key=lambda section: order[section.key])


def _copy_items[I: "PlanItem"](model: type[I], source: PlanVersion, draft: PlanVersion) -> None:
    """Copy one kind of structured part of ``source`` into ``draft``, each copy at version 1."""
    copies = []
    for item in model._default_manager.filter(plan_version=source).order_by("pk"):
        item.pk = None
        item.plan_version = draft
        item.version = 1
        copies.append(item)
    model._default_manager.bulk_create(copies)


class PlanSection(Versioned):
    """One section's text in one version. ``version`` counts its saves, so that two writers
    editing it at once cannot overwrite each other."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40, choices=Section.choices)
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan_version", "key"], name="plan_section_once"),
            models.CheckConstraint(
                condition=models.Q(key__in=Section.values), name="plan_section_key_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_key_display()

    @property
    def guidance(self) -> str:
        return GUIDANCE[Section(self.key)]

    def revise(self, *, text: str, by, version: int) -> None:
        """Save the text if the version is a draft and nobody has saved this section since
        ``version`` was read; otherwise refuse, with the current section to show."""

        def change() -> None:
            with versioned_edit(self, version):
                self.text = text
                self.updated_by = by
                self.updated_at = timezone.now()
                self._history_user = by
                self.save(update_fields=["text", "version", "updated_by", "updated_at"])

        self.plan_version.write(by, change)


class PlanItem(Versioned):
    """A row of a structured part. ``version`` counts its saves (see ``PlanSection``)."""

    # Each kind of item declares its own, with its own related name.
    plan_version: PlanVersion

    class Meta:
        abstract = True

    def edit(self, fields: dict, *, by, version: int) -> None:
        def change() -> None:
            with versioned_edit(self, version):
                for name, value in fields.items():
                    setattr(self, name, value)
                self._history_user = by
                self.save(update_fields=[*fields, "version"])

        self.plan_version.write(by, change)

    def remove(self, *, by, version: int) -> None:
        def change() -> None:
            with versioned_edit(self, version):
                self._history_user = by
                self.delete()

        self.plan_version.write(by, change)

    @classmethod
    def add(cls, plan_version: PlanVersion, fields: dict, *, by):
        def change():
            # The plugin checks the abstract class's fields; ``cls`` is a kind that declares it.
            item = cls(plan_version=plan_version, **fields)  # type: ignore[misc]
            item._history_user = by
            item.save()
            return item

        return plan_version.write(by, change)


class ChainLink(PlanItem):
    """One actor in the delivery chain, from the Leader (position 1) to the frontline."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="chain")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150)
    does = models.TextField("What they do", blank=True)
    weak = models.BooleanField("A weak link", default=False)
    weak_note = models.TextField("Why it is weak", blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weak=True) | models.Q(weak_note=""),
                name="chain_weak_note_only_when_weak",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"

    def describe(self) -> str:
        weak = f" (weak link: {self.weak_note or 'no note'})" if self.weak else ""
        return f"{self.position}. {self.name}, {self.role}: {self.does}{weak}"


class Intervention(PlanItem):
    plan_version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="interventions"
    )
    what = models.TextField()
    who = models.CharField(max_length=150)
    when = models.CharField(max_length=100, help_text="For example, from April 2026.")
    indicator = models.ForeignKey(
        "priorities.Indicator",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.what

    def describe(self) -> str:
        moves = f"; moves {self.indicator.code}" if self.indicator is not None else ""
        return f"{self.what} ({self.who}, {self.when}{moves})"


def _newest_version_ids():
    """The newest version of each plan: what the application treats as the plan's live state."""
    return Subquery(
        PlanVersion.objects.filter(plan=OuterRef("plan_version__plan"))
        .order_by("-number")
        .values("pk")[:1]
    )


class MilestoneQuerySet(models.QuerySet):
    def current(self) -> "MilestoneQuerySet":
        """Milestones of each plan's newest version (the draft in progress carries the latest
        statuses; older versions are records)."""
        return self.filter(plan_version=_newest_version_ids())

    def for_priority(self, priority) -> "MilestoneQuerySet":
        return self.filter(plan_version__plan__priority=priority)

    def not_done(self) -> "MilestoneQuerySet":
        return self.exclude(status=Milestone.Status.DONE)

    def due_within(self, days: int, today: date | None = None) -> "MilestoneQuerySet":
        """Not done and due from today to ``days`` days ahead."""
        today = today or timezone.localdate()
        return self.not_done().filter(due__gte=today, due__lte=today + timedelta(days=days))

    def overdue(self, today: date | None = None) -> "MilestoneQuerySet":
        """Past their due date and not done (missed ones included: they are still owed)."""
        return self.not_done().filter(due__lt=today or timezone.localdate())


class Milestone(PlanItem):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        MISSED = "missed", "Missed"
        DONE = "done", "Done"

    plan_version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    due = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    done_on = models.DateField(null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["not_started", "on_track", "at_risk", "missed", "done"]
                ),
                name="milestone_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="done", done_on__isnull=False)
                | (~models.Q(status="done") & models.Q(done_on__isnull=True)),
                name="milestone_done_on_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status != self.Status.DONE and self.due < (today or timezone.localdate())

    def describe(self) -> str:
        done = f", done {self.done_on:%d %b %Y}" if self.done_on else ""
        owner = self.owner or "no owner"
        return f"{self.title} ({owner}, due {self.due:%d %b %Y}, {self.get_status_display()}{done})"


class RiskQuerySet(models.QuerySet):
    def current(self) -> "RiskQuerySet":
        return self.filter(plan_version=_newest_version_ids())

    def for_priority(self, priority) -> "RiskQuerySet":
        return self.filter(plan_version__plan__priority=priority)

    def open(self) -> "RiskQuerySet":
        return self.filter(status=Risk.Status.OPEN)

    def with_score(self) -> "RiskQuerySet":
        return self.annotate(score=F("likelihood") * F("impact"))

    def top(self, n: int) -> list["Risk"]:
        """The ``n`` open risks with the highest likelihood times impact (impact breaks ties)."""
        return list(self.open().with_score().order_by("-score", "-impact", "pk")[:n])


class Risk(PlanItem):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField(help_text="1 (rare) to 5 (almost certain).")
    impact = models.PositiveSmallIntegerField(help_text="1 (minor) to 5 (severe).")
    mitigation = models.TextField(blank=True)
    owner = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5),
                name="risk_likelihood_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5), name="risk_impact_1_to_5"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "closed"]), name="risk_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def rating(self) -> int:
        return self.likelihood * self.impact

    @property
    def rating_words(self) -> str:
        """The score in words, so that it is never shown by colour alone."""
        score = self.rating
        return "High" if score >= 15 else "Medium" if score >= 8 else "Low"

    def describe(self) -> str:
        return (
            f"{self.description} (likelihood {self.likelihood}, impact {self.impact}, "
            f"{self.get_status_display().lower()}; owner {self.owner or 'none'}): {self.mitigation}"
        )


class Comment(models.Model):
    """A remark on one section of one version; it stays with that version."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=40, choices=Section.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="plan_comment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.get_section_display()}"
