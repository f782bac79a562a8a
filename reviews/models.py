"""Priority reviews: the unit's problem-solving tool, from terms of reference to follow-up.

A review moves through its phases (scoping, fieldwork, analysis, reporting, follow-up) and is then
closed; each move is a method that refuses a move from the wrong state, and records the actual
dates of the phases it ends and starts. Fieldwork (interviews, visits, evidence) may hold personal
or sensitive information: the access rules let only the review team and unit staff see it. The
report is issued as a kept record (``delivery_unit.documents``), and recommendations are followed
up some months later.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from delivery_unit.documents import IssuedDocument, reissue_needs_reason
from delivery_unit.rules import visible
from delivery_unit.versioning import Versioned, check_version, versioned_edit
from delivery_unit.workflow import TransitionRefused
from plans.models import ChainLink, PlanVersion
from priorities.models import Priority
from priorities.rounds.models import RoundEntry

if TYPE_CHECKING:
    from delivery_unit.models import User

# The follow-up looks again at what was done about six months after the report.
FOLLOW_UP_AFTER = timedelta(days=182)


class Phase(models.TextChoices):
    SCOPING = "scoping", "Scoping"
    FIELDWORK = "fieldwork", "Fieldwork"
    ANALYSIS = "analysis", "Analysis"
    REPORTING = "reporting", "Reporting"
    FOLLOW_UP = "follow_up", "Follow-up"


PHASES = list(Phase)


class ReviewQuerySet(models.QuerySet["Review"]):
    def visible_to(self, user) -> ReviewQuerySet:
        """The reviews listed for the user: those ``reviews.list_review`` shows them."""
        return cast(ReviewQuerySet, visible(self, user, "reviews.list_review"))

    def open(self) -> ReviewQuerySet:
        return self.exclude(status=Review.Status.CLOSED)

    def reported(self) -> ReviewQuerySet:
        """Reviews whose report has been issued."""
        return self.filter(reports__isnull=False).distinct()

    def follow_up_due(self, today: date | None = None) -> ReviewQuerySet:
        today = today or timezone.localdate()
        return self.filter(
            status=Review.Status.FOLLOW_UP,
            phases__phase=Phase.FOLLOW_UP,
            phases__planned_start__lte=today,
        )

    def with_counts(self) -> ReviewQuerySet:
        return self.annotate(
            open_recommendation_count=Count(
                "recommendations",
                filter=~Q(recommendations__response=Recommendation.Response.REJECTED)
                & ~Q(
                    recommendations__implementation__in=[
                        Recommendation.Implementation.DONE,
                        Recommendation.Implementation.DROPPED,
                    ]
                ),
                distinct=True,
            ),
            report_count=Count("reports", distinct=True),
        )


class Review(Versioned):
    class Status(models.TextChoices):
        SCOPING = "scoping", "Scoping"
        FIELDWORK = "fieldwork", "Fieldwork"
        ANALYSIS = "analysis", "Analysis"
        REPORTING = "reporting", "Reporting"
        FOLLOW_UP = "follow_up", "Follow-up"
        CLOSED = "closed", "Closed"

    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="reviews", null=True, blank=True
    )
    topic = models.CharField(
        max_length=200, blank=True, help_text="For a cross-cutting review, not of one priority."
    )
    title = models.CharField(max_length=200)
    reason = models.TextField(help_text="Why the review was commissioned.")
    prompted_by_rating = models.ForeignKey(
        RoundEntry,
        on_delete=models.PROTECT,
        related_name="reviews",
        null=True,
        blank=True,
        help_text="The rating that prompted the review, where there is one.",
    )
    commissioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commissioned_reviews"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_reviews"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCOPING)
    # Terms of reference: drafted in scoping, signed off by the commissioner, then fixed.
    scope = models.TextField(blank=True)
    questions = models.TextField(blank=True, help_text="One question a line.")
    out_of_scope = models.TextField(blank=True)
    terms_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    terms_signed_off_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    follow_up_summary = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = ReviewQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "scoping",
                        "fieldwork",
                        "analysis",
                        "reporting",
                        "follow_up",
                        "closed",
                    ]
                ),
                name="review_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(priority__isnull=False) | ~Q(topic=""),
                name="review_has_priority_or_topic",
            ),
            models.CheckConstraint(
                condition=Q(status="scoping") | Q(terms_signed_off_at__isnull=False),
                name="review_past_scoping_has_signed_terms",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", kwargs={"pk": self.pk})

    @property
    def subject(self) -> str:
        return self.priority.title if self.priority is not None else self.topic

    @property
    def terms_signed_off(self) -> bool:
        return self.terms_signed_off_at is not None

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def has_reported(self) -> bool:
        return self.status in {self.Status.FOLLOW_UP, self.Status.CLOSED}

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    def ordered_phases(self) -> list[ReviewPhase]:
        order = {phase.value: index for index, phase in enumerate(PHASES)}
        return sorted(self.phases.all(), key=lambda p: order[p.phase])

    def phase(self, phase: str) -> ReviewPhase:
        return next(p for p in self.phases.all() if p.phase == phase)

    def late_phases(self, today: date | None = None) -> list[ReviewPhase]:
        return [p for p in self.ordered_phases() if p.lateness(today)]

    def follow_up_is_due(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        planned = self.phase(Phase.FOLLOW_UP).planned_start
        return self.status == self.Status.FOLLOW_UP and planned is not None and planned <= today

    @classmethod
    def commission(cls, *, by, planned: dict[str, tuple], **fields) -> Review:
        """A new review in scoping, with its five phases and their planned dates
        (``planned`` maps a phase to its planned start and end); scoping starts today."""
        with transaction.atomic():
            review = cls(created_by=by, **fields)
            review._history_user = by
            review.save()
            ReviewPhase.objects.bulk_create(
                ReviewPhase(
                    review=review,
                    phase=phase,
                    planned_start=planned.get(phase, (None, None))[0],
                    planned_end=planned.get(phase, (None, None))[1],
                    actual_start=timezone.localdate() if phase == Phase.SCOPING else None,
                )
                for phase in PHASES
            )
            TeamMember.objects.create(review=review, user=review.lead, role="Review lead")
        return review

    def edit(self, fields: dict, *, planned: dict[str, tuple], by, version: int) -> None:
        """Save the review's details and planned dates if nobody has saved since ``version``."""
        with versioned_edit(self, version):
            for name, value in fields.items():
                setattr(self, name, value)
            self._history_user = by
            self.save(update_fields=[*fields, "version"])
            for phase in self.phases.all():
                start, end = planned.get(phase.phase, (phase.planned_start, phase.planned_end))
                phase.planned_start, phase.planned_end = start, end
                phase._history_user = by
                phase.save(update_fields=["planned_start", "planned_end"])

    def edit_terms(
        self,
        *,
        scope: str,
        questions: str,
        out_of_scope: str,
        hypotheses: list[str],
        by,
        version: int,
    ) -> None:
        """Draft the terms of reference and the hypotheses to test; once the commissioner has
        signed them off they are the agreed basis of the review and stay as signed."""
        with versioned_edit(self, version) as current:
            if current.terms_signed_off:
                raise TransitionRefused("The terms of reference are signed off and stay as signed.")
            self.scope, self.questions, self.out_of_scope = scope, questions, out_of_scope
            self._history_user = by
            self.save(update_fields=["scope", "questions", "out_of_scope", "version"])
            kept = {h.text: h for h in self.hypotheses.all()}
            self.hypotheses.exclude(text__in=hypotheses).delete()
            Hypothesis.objects.bulk_create(
                Hypothesis(review=self, text=text) for text in hypotheses if text not in kept
            )

    def sign_off_terms(self, *, by) -> None:
        """The commissioner agrees the terms of reference: scope, questions and hypotheses."""
        with transaction.atomic():
            current = Review.objects.select_for_update().get(pk=self.pk)
            if current.terms_signed_off:
                raise TransitionRefused("The terms of reference are already signed off.")
            if by.pk != current.commissioned_by_id:
                raise TransitionRefused("Only the person who commissioned the review signs off.")
            if not current.scope.strip() or not current.question_list:
                raise TransitionRefused(
                    "Write the scope and at least one question before the terms are signed off."
                )
            self.terms_signed_off_by = by
            self.terms_signed_off_at = timezone.now()
            self.version = current.version + 1
            self._history_user = by
            self._change_reason = "Terms of reference signed off"
            self.save(update_fields=["terms_signed_off_by", "terms_signed_off_at", "version"])

    def advance(self, *, by, today: date | None = None) -> None:
        """Move on to the next phase: the current one ends today and the next starts today.
        Fieldwork waits for signed-off terms; follow-up for an issued report; closing for the
        follow-up of every recommendation (see ``close``)."""
        today = today or timezone.localdate()
        order = [s.value for s in self.Status]
        with transaction.atomic():
            current = Review.objects.select_for_update().get(pk=self.pk)
            if current.status in {self.Status.FOLLOW_UP, self.Status.CLOSED}:
                raise TransitionRefused("Record the follow-up to close the review.")
            following = order[order.index(current.status) + 1]
            if following == self.Status.FIELDWORK and not current.terms_signed_off:
                raise TransitionRefused(
                    "The commissioner signs off the terms of reference before fieldwork starts."
                )
            if following == self.Status.FOLLOW_UP and not current.reports.exists():
                raise TransitionRefused("Issue the report before the review moves to follow-up.")
            self._move(current.status, following, by=by, today=today)

    def _move(self, from_status: str, to: str, *, by, today: date) -> None:
        ending = self.phases.get(phase=from_status)
        ending.actual_end = today
        ending._history_user = by
        ending.save(update_fields=["actual_end"])
        if to in Phase.values:
            starting = self.phases.get(phase=to)
            starting.actual_start = today
            starting._history_user = by
            starting.save(update_fields=["actual_start"])
        self.status = to
        self.version = Review.objects.get(pk=self.pk).version + 1
        self._history_user = by
        self._change_reason = f"Moved to {Review.Status(to).label.lower()}"
        self.save(update_fields=["status", "version"])

    def schedule_follow_up(self, *, issued_on: date) -> None:
        """When the report goes out, the follow-up is planned about six months later, unless the
        unit planned it already."""
        phase = self.phases.get(phase=Phase.FOLLOW_UP)
        if phase.planned_start is None:
            phase.planned_start = issued_on + FOLLOW_UP_AFTER
            phase.planned_end = phase.planned_start + timedelta(days=14)
            phase.save(update_fields=["planned_start", "planned_end"])

    def close(self, *, summary: str, by, today: date | None = None) -> None:
        """The follow-up is done: every recommendation has what was done and its effect
        recorded. The review is closed."""
        today = today or timezone.localdate()
        with transaction.atomic():
            current = Review.objects.select_for_update().get(pk=self.pk)
            if current.status != self.Status.FOLLOW_UP:
                raise TransitionRefused("Only a review in follow-up can be closed.")
            missing = self.recommendations.filter(follow_up_done="").count()
            if missing:
                raise TransitionRefused(
                    f"Record what was done for every recommendation: {missing} still to do."
                )
            self.follow_up_summary = summary
            self.closed_at = timezone.now()
            self.save(update_fields=["follow_up_summary", "closed_at"])
            self._move(self.Status.FOLLOW_UP, self.Status.CLOSED, by=by, today=today)


class ReviewPhase(models.Model):
    """One phase of a review with its planned and actual dates."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    # Who saves it, for the history's record (django-simple-history reads it when set).
    _history_user: User

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "phase"], name="review_phase_once"),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="review_phase_planned_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review}: {self.get_phase_display()}"

    def lateness(self, today: date | None = None) -> int:
        """Days past the planned end: finished late, or still running after it (0 if on time)."""
        today = today or timezone.localdate()
        if self.planned_end is None:
            return 0
        if self.actual_end is not None:
            return max(0, (self.actual_end - self.planned_end).days)
        if self.actual_start is None and self.planned_end >= today:
            return 0
        return max(0, (today - self.planned_end).days)

    @property
    def is_late(self) -> bool:
        return self.lateness() > 0


class TeamMember(models.Model):
    """Someone on the review team (unit staff or people from the service), with their role.
    Being on the team is what lets a person outside the unit see the fieldwork."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_memberships"
    )
    role = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user}, {self.role}"


class Hypothesis(models.Model):
    """A hypothesis the review tests, part of its terms of reference."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="hypotheses")
    text = models.TextField()

    class Meta:
        verbose_name_plural = "hypotheses"

    def __str__(self) -> str:
        return self.text[:80]


class FieldworkEntry(models.Model):
    """An interview or a visit down the delivery chain. Notes may be personal or sensitive."""

    class Kind(models.TextChoices):
        INTERVIEW = "interview", "Interview"
        VISIT = "visit", "Visit"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="fieldwork")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    who_or_where = models.CharField(max_length=200)
    link = models.ForeignKey(
        ChainLink,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text="The link of the priority's delivery chain, from its delivery plan.",
    )
    # The link in words: typed where the plan names no chain (or for a cross-cutting topic), and
    # kept as it was when the plan's chain is later revised.
    chain_link = models.CharField(
        max_length=200,
        blank=True,
        help_text="Which link of the delivery chain, for example frontline housing officers.",
    )
    date = models.DateField()
    present = models.ManyToManyField(TeamMember, related_name="fieldwork", blank=True)
    notes = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[present])

    class Meta:
        verbose_name_plural = "fieldwork entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["interview", "visit"]), name="fieldwork_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.who_or_where}"

    @property
    def chain_link_words(self) -> str:
        return self.chain_link or (str(self.link) if self.link_id else "")


def delivery_chain(review: Review):
    """The links of the delivery chain in the newest version of the priority's plan."""
    if review.priority_id is None:
        return ChainLink.objects.none()
    newest = (
        PlanVersion.objects.filter(plan__priority_id=review.priority_id)
        .order_by("-number")
        .values("pk")[:1]
    )
    return ChainLink.objects.filter(plan_version__in=newest).order_by("position")


def evidence_name(instance: Evidence, filename: str) -> str:
    """Never the name the person uploaded: a random one, with the extension of the type the
    content was found to be."""
    return f"evidence/{uuid.uuid4().hex}.{instance.extension}"


class EvidenceStorage(FileSystemStorage):
    """Files under ``MEDIA_ROOT`` (read from the environment), outside the static files, with no
    URL of their own: they are served only by the view that checks who is asking."""

    def url(self, name):  # pragma: no cover - never called: no public URL exists
        raise NotImplementedError("Evidence is served only through reviews:evidence_file.")


evidence_storage = EvidenceStorage()


class Evidence(models.Model):
    """A piece of evidence: data or a document, with the uploaded file kept safely."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    file = models.FileField(upload_to=evidence_name, storage=evidence_storage, max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:evidence_file", kwargs={"pk": self.review_id, "evidence": self.pk})


class Finding(Versioned):
    """What works, or what does not and why, with the evidence behind it and the hypotheses it
    supports or refutes."""

    class Kind(models.TextChoices):
        WORKS = "works", "What works"
        DOES_NOT_WORK = "does_not_work", "What does not work"

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(help_text="What the review found, and why.")
    severity = models.CharField(max_length=20, choices=Severity.choices)
    evidence = models.ManyToManyField(Evidence, related_name="findings", blank=True)

    history = HistoricalRecords()
    # Who saves it, for the history's record (django-simple-history reads it when set).
    _history_user: User
    # Its number in the report, set by ``reviews.report.gather`` on the findings it lists.
    number: int

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=["low", "medium", "high", "critical"]),
                name="finding_severity_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["works", "does_not_work"]), name="finding_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:finding", kwargs={"pk": self.review_id, "finding": self.pk})


class HypothesisTest(models.Model):
    """A finding's bearing on a hypothesis."""

    class Bearing(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="tests")
    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="tests")
    bearing = models.CharField(max_length=20, choices=Bearing.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["finding", "hypothesis"], name="hypothesis_test_once"),
            models.CheckConstraint(
                condition=Q(bearing__in=["supports", "refutes"]), name="hypothesis_bearing_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding} {self.get_bearing_display().lower()} {self.hypothesis}"


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def open(self) -> RecommendationQuerySet:
        """Not yet answered, or accepted (in part or whole) and not yet done or dropped."""
        return self.exclude(response=Recommendation.Response.REJECTED).exclude(
            implementation__in=[
                Recommendation.Implementation.DONE,
                Recommendation.Implementation.DROPPED,
            ]
        )


class Recommendation(Versioned):
    class Importance(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    class Response(models.TextChoices):
        AWAITING = "awaiting", "Awaiting a response"
        ACCEPTED = "accepted", "Accepted"
        PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
        REJECTED = "rejected", "Rejected"

    class Implementation(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    findings = models.ManyToManyField(Finding, related_name="recommendations")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_recommendations"
    )
    due_date = models.DateField()
    importance = models.CharField(
        "priority", max_length=20, choices=Importance.choices, default=Importance.MEDIUM
    )
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.AWAITING)
    response_reason = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    implementation = models.CharField(
        max_length=20, choices=Implementation.choices, default=Implementation.NOT_STARTED
    )
    # The follow-up: what was done, and its effect.
    follow_up_done = models.TextField(blank=True)
    follow_up_effect = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = RecommendationQuerySet.as_manager()
    # Its number in the report and those of its findings, set by ``reviews.report.gather``.
    number: int
    finding_numbers: list[int]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(response__in=["awaiting", "accepted", "partly_accepted", "rejected"]),
                name="recommendation_response_valid",
            ),
            models.CheckConstraint(
                condition=Q(response__in=["awaiting", "accepted"]) | ~Q(response_reason=""),
                name="recommendation_partial_or_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(implementation__in=["not_started", "in_progress", "done", "dropped"]),
                name="recommendation_implementation_valid",
            ),
            models.CheckConstraint(
                condition=Q(implementation="not_started")
                | Q(response__in=["accepted", "partly_accepted"]),
                name="recommendation_implemented_only_if_accepted",
            ),
            models.CheckConstraint(
                condition=Q(importance__in=["high", "medium", "low"]),
                name="recommendation_importance_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse(
            "reviews:recommendation", kwargs={"pk": self.review_id, "recommendation": self.pk}
        )

    @property
    def is_accepted(self) -> bool:
        return self.response in {self.Response.ACCEPTED, self.Response.PARTLY_ACCEPTED}

    @property
    def is_open(self) -> bool:
        return self.response != self.Response.REJECTED and self.implementation not in {
            self.Implementation.DONE,
            self.Implementation.DROPPED,
        }

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())

    def _save(self, fields: list[str], *, by, reason: str) -> None:
        self._history_user = by
        self._change_reason = reason
        self.save(update_fields=[*fields, "version"])

    def edit(self, fields: dict, *, findings, by, version: int) -> None:
        """Change the recommendation's wording, owner, due date or priority; each version kept."""
        with transaction.atomic():
            check_version(self, version)
            for name, value in fields.items():
                setattr(self, name, value)
            self._save(list(fields), by=by, reason="Edited")
            self.findings.set(findings)

    def respond(self, *, response: str, reason: str, by, version: int) -> None:
        """Record the response to the recommendation. Partly accepted or rejected needs a
        reason. A response is given once: a recommendation already accepted and under way
        cannot be rejected after the event, only dropped with progress noted."""
        if response not in {
            self.Response.ACCEPTED,
            self.Response.PARTLY_ACCEPTED,
            self.Response.REJECTED,
        }:
            raise TransitionRefused("Choose accepted, partly accepted or rejected.")
        if response != self.Response.ACCEPTED and not reason.strip():
            raise TransitionRefused("Give the reason for the response.")
        with transaction.atomic():
            current = check_version(self, version)
            if current.response != self.Response.AWAITING:
                raise TransitionRefused("This recommendation has had its response already.")
            if not current.review.reports.exists():
                raise TransitionRefused(
                    "Recommendations get their response once the report is issued."
                )
            self.response = response
            self.response_reason = reason
            self.responded_by = by
            self.responded_at = timezone.now()
            self._save(
                ["response", "response_reason", "responded_by", "responded_at"],
                by=by,
                reason=f"Response: {Recommendation.Response(response).label.lower()}",
            )

    def note_progress(self, *, implementation: str, note: str, by, version: int) -> ProgressNote:
        """Move the implementation on with a note of the progress made."""
        if implementation not in self.Implementation.values:
            raise TransitionRefused("Choose an implementation status.")
        if not note.strip():
            raise TransitionRefused("Write a note of the progress made.")
        with transaction.atomic():
            current = check_version(self, version)
            if not current.is_accepted:
                raise TransitionRefused(
                    "Only an accepted or partly accepted recommendation is implemented."
                )
            self.implementation = implementation
            self._save(["implementation"], by=by, reason="Progress noted")
            return ProgressNote.objects.create(
                recommendation=self, implementation=implementation, note=note, by=by
            )

    def record_follow_up(self, *, done: str, effect: str, by, version: int) -> None:
        """At the follow-up: what was done about the recommendation, and its effect."""
        if not done.strip():
            raise TransitionRefused("Say what was done.")
        with transaction.atomic():
            current = check_version(self, version)
            if current.review.status != Review.Status.FOLLOW_UP:
                raise TransitionRefused(
                    "The follow-up is recorded while the review is in follow-up."
                )
            self.follow_up_done = done
            self.follow_up_effect = effect
            self._save(["follow_up_done", "follow_up_effect"], by=by, reason="Followed up")


class ProgressNote(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="progress_notes"
    )
    implementation = models.CharField(max_length=20, choices=Recommendation.Implementation.choices)
    note = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.note[:80]


class IssuedReport(IssuedDocument):
    """One issued version of a review's report: the exact bytes that went to the chairs."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="reports")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="report_number_unique"),
            reissue_needs_reason("report_reissue_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.review}: report version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "reviews:issued_report", kwargs={"pk": self.review_id, "number": self.number}
        )
