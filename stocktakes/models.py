"""Stocktakes with the Chief Executive and the Leader: their agendas, packs, the record of the
meeting (decisions and actions) and the follow-up note.

A stocktake moves planning → pack issued → held → follow-up sent → closed; each move is a method
that refuses a move from the wrong state. An issued pack is a record: its exact PDF and HTML are
kept and served unchanged whatever the data does afterwards.
"""

from __future__ import annotations

import datetime
from datetime import date, timedelta
from typing import cast

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from delivery_unit.documents import IssuedDocument, reissue_needs_reason
from delivery_unit.rules import visible
from delivery_unit.versioning import Versioned, versioned_edit
from delivery_unit.workflow import TransitionRefused
from priorities.models import Priority
from reviews.models import Recommendation, Review

# The follow-up note should reach the attendees within this many working days of the meeting.
FOLLOW_UP_WORKING_DAYS = 2


def add_working_days(day: date, days: int) -> date:
    """``day`` plus ``days`` working days (Monday to Friday; bank holidays are not known here)."""
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def default_marking() -> str:
    """The council's usual protective marking (``PACK_MARKING``), changeable per stocktake."""
    return settings.PACK_MARKING


class StocktakeQuerySet(models.QuerySet["Stocktake"]):
    def visible_to(self, user) -> StocktakeQuerySet:
        """The stocktakes ``stocktakes.view_stocktake`` lets the user see."""
        return cast(StocktakeQuerySet, visible(self, user, "stocktakes.view_stocktake"))


class Stocktake(Versioned):
    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        PACK_ISSUED = "pack_issued", "Pack issued"
        HELD = "held", "Held"
        FOLLOW_UP_SENT = "follow_up_sent", "Follow-up sent"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    chairs = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="chaired_stocktakes", blank=True
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="attended_stocktakes", blank=True
    )
    marking = models.CharField(
        max_length=60,
        default=default_marking,
        help_text="The protective marking on the pack's cover and every page.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    held_at = models.DateTimeField(null=True, blank=True)
    priorities = models.ManyToManyField(Priority, through="AgendaItem", related_name="stocktakes")
    # Bumped on every edit of the details or the agenda's order, so a stale save is refused.

    history = HistoricalRecords(m2m_fields=[chairs, attendees])

    objects = StocktakeQuerySet.as_manager()

    # Once the meeting is held its page leads with the record: decisions, actions, the note.
    RECORDED_STATUSES = (Status.HELD, Status.FOLLOW_UP_SENT, Status.CLOSED)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["planning", "pack_issued", "held", "follow_up_sent", "closed"]
                ),
                name="stocktake_status_valid",
            ),
            models.CheckConstraint(condition=~Q(marking=""), name="stocktake_marking_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%-d %B %Y})"

    def get_absolute_url(self) -> str:
        return reverse("stocktakes:detail", kwargs={"pk": self.pk})

    @property
    def is_planning(self) -> bool:
        return self.status == self.Status.PLANNING

    @property
    def agenda_editable(self) -> bool:
        """The agenda changes while the pack is being prepared; once issued, a change needs a
        reissue, which is allowed until the meeting is held."""
        return self.status in {self.Status.PLANNING, self.Status.PACK_ISSUED}

    @property
    def recording_open(self) -> bool:
        return self.status in {self.Status.PACK_ISSUED, self.Status.HELD}

    # ``date`` in here is the meeting's field, so the type is spelt ``datetime.date``.
    def follow_up_due(self) -> datetime.date:
        return add_working_days(self.date, FOLLOW_UP_WORKING_DAYS)

    def follow_up_overdue(self, today: datetime.date | None = None) -> bool:
        """Held, the note not sent, and more than two working days since the meeting."""
        today = today or timezone.localdate()
        return self.status == self.Status.HELD and self.follow_up_due() < today

    def agenda_priorities(self):
        """The agenda's priorities in order, each with its latest rating."""
        return (
            Priority.objects.with_latest_rating()
            .select_related("lead")
            .filter(agenda_items__stocktake=self)
            .order_by("agenda_items__position")
        )

    def ordered_agenda(self):
        return self.agenda.select_related("priority", "priority__lead", "lead_attending").order_by(
            "position"
        )

    @classmethod
    def plan(cls, *, title: str, date, priorities, by, **details) -> Stocktake:
        """Create a stocktake with its agenda in the order given, all or nothing."""
        with transaction.atomic():
            stocktake = cls.objects.create(title=title, date=date, created_by=by, **details)
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    stocktake=stocktake,
                    priority=priority,
                    position=position,
                    lead_attending_id=priority.lead_id,
                )
                for position, priority in enumerate(priorities, start=1)
            )
        return stocktake

    def _move(self, allowed_from: set, to: str, **fields) -> None:
        with transaction.atomic():
            current = Stocktake.objects.select_for_update().get(pk=self.pk)
            if current.status not in allowed_from:
                raise TransitionRefused(
                    f"A stocktake that is {current.get_status_display().lower()} cannot become "
                    f"{Stocktake.Status(to).label.lower()}."
                )
            for name, value in fields.items():
                setattr(self, name, value)
            self.status = to
            self.version = current.version + 1
            self.save(update_fields=["status", "version", *fields])

    def mark_pack_issued(self) -> None:
        """The first issue moves a planning stocktake on; a reissue keeps it where it is."""
        if self.status == self.Status.PACK_ISSUED:
            return
        self._move({self.Status.PLANNING}, self.Status.PACK_ISSUED)

    def mark_held(self) -> None:
        """The meeting took place: the pack went out first, so only an issued stocktake."""
        self._move({self.Status.PACK_ISSUED}, self.Status.HELD, held_at=timezone.now())

    def mark_follow_up_sent(self) -> None:
        self._move({self.Status.HELD}, self.Status.FOLLOW_UP_SENT)

    def close(self) -> None:
        """Nothing more to do for this meeting; its open actions live on in the action log."""
        self._move({self.Status.FOLLOW_UP_SENT}, self.Status.CLOSED)

    def update_details(self, fields: dict, *, chairs, attendees, version: int) -> None:
        """Save the meeting's details if nobody has saved since ``version``."""
        with versioned_edit(self, version):
            for name, value in fields.items():
                setattr(self, name, value)
            self.save(update_fields=[*fields, "version"])
            self.chairs.set(chairs)
            self.attendees.set(attendees)

    def add_item(self, *, priority: Priority | None = None, topic: str = "", **fields):
        """Append an item to the agenda."""
        with transaction.atomic():
            Stocktake.objects.select_for_update().get(pk=self.pk)
            last = self.agenda.aggregate(last=Max("position"))["last"] or 0
            if priority is not None:
                fields.setdefault("lead_attending_id", priority.lead_id)
            return AgendaItem.objects.create(
                stocktake=self, priority=priority, topic=topic, position=last + 1, **fields
            )

    def reorder(self, item_ids: list[int], version: int) -> None:
        """Put the agenda in the order of ``item_ids`` (all of this agenda's items, each once),
        if nobody has changed the agenda since ``version``."""
        with versioned_edit(self, version):
            existing = set(self.agenda.values_list("pk", flat=True))
            if len(item_ids) != len(existing) or set(item_ids) != existing:
                raise ValueError("The new order must name every item on the agenda once.")
            # Out of the way first, so that the unique position holds at every step.
            self.agenda.update(position=F("position") + 10_000)
            for position, pk in enumerate(item_ids, start=1):
                AgendaItem.objects.filter(pk=pk).update(position=position)
            self.save(update_fields=["version"])

    def move_item(self, item: AgendaItem, step: int, version: int) -> None:
        """Move one item up (``step`` -1) or down (+1); at either end it stays put."""
        order = list(self.agenda.order_by("position").values_list("pk", flat=True))
        index = order.index(item.pk)
        target = index + step
        if 0 <= target < len(order):
            order[index], order[target] = order[target], order[index]
        self.reorder(order, version)

    def remove_item(self, item: AgendaItem, version: int) -> None:
        """Take an item off the agenda, unless actions were recorded against it."""
        with transaction.atomic():
            if item.actions.exists():
                raise ValueError("An item with actions recorded against it stays on the agenda.")
            order = list(self.agenda.order_by("position").values_list("pk", flat=True))
            order.remove(item.pk)
            item.delete()
            self.reorder(order, version)


class AgendaItemQuerySet(models.QuerySet["AgendaItem"]):
    def visible_to(self, user) -> AgendaItemQuerySet:
        """The items whose decisions ``stocktakes.view_decisions`` lets the user read: all of
        them to whoever sees stocktakes; to a cabinet member, those of held stocktakes about the
        priorities in their portfolio."""
        return cast(AgendaItemQuerySet, visible(self, user, "stocktakes.view_decisions"))


class AgendaItem(Versioned):
    """One item: a priority (or another topic), why now, the time allowed, who attends for it and
    the questions the unit suggests the chairs ask; in the meeting, what was said and decided."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="agenda")
    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="agenda_items", null=True, blank=True
    )
    topic = models.CharField(
        max_length=200, blank=True, help_text="For an item that is not a priority."
    )
    position = models.PositiveIntegerField()
    purpose = models.TextField(blank=True, help_text="Why this item, and why now.")
    minutes = models.PositiveSmallIntegerField(default=20)
    lead_attending = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    questions = models.TextField(blank=True, help_text="One question a line.")
    decisions_needed = models.TextField(blank=True, help_text="One decision a line.")
    # The record of the meeting, typed as it goes.
    discussion = models.TextField(blank=True)
    decisions = models.TextField(blank=True, help_text="One decision a line.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Priority reviews this item's decisions commissioned. The link is held here (reviews sit
    # below stocktakes); a review reaches the decision that prompted it as ``prompted_by_items``.
    reviews_commissioned = models.ManyToManyField(
        Review, related_name="prompted_by_items", blank=True
    )

    history = HistoricalRecords(excluded_fields=["position"])
    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stocktake", "priority"], name="agenda_priority_once_per_stocktake"
            ),
            models.UniqueConstraint(
                fields=["stocktake", "position"], name="agenda_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(priority__isnull=False) | ~Q(topic=""),
                name="agenda_item_has_priority_or_topic",
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=240), name="agenda_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def title(self) -> str:
        return self.priority.title if self.priority is not None else self.topic

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    @property
    def decisions_needed_list(self) -> list[str]:
        return [line.strip() for line in self.decisions_needed.splitlines() if line.strip()]

    @property
    def decision_list(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]

    def update(self, fields: dict, *, by, version: int) -> None:
        """Save ``fields`` if nobody has saved this item since ``version``; the history keeps
        every earlier text, so a note typed over is never lost."""
        with versioned_edit(self, version):
            for name, value in fields.items():
                setattr(self, name, value)
            self._history_user = by
            self.save(update_fields=[*fields, "version"])

    def record(self, *, discussion: str, decisions: str, by, version: int) -> None:
        """The meeting's record of this item, saved as the unit types."""
        self.update(
            {"discussion": discussion, "decisions": decisions, "recorded_by": by},
            by=by,
            version=version,
        )


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> ActionQuerySet:
        return self.filter(status__in=Action.OPEN_STATUSES)

    def overdue(self, today: date | None = None) -> ActionQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def visible_to(self, user) -> ActionQuerySet:
        """The actions ``stocktakes.view_action`` lets the user see: all of them to whoever sees
        stocktakes, their own to anyone else."""
        return cast(ActionQuerySet, visible(self, user, "stocktakes.view_action"))


class Action(Versioned):
    """Something agreed at a stocktake, with an owner and a due date. It lives on after the
    meeting: the owner updates its status and progress, and it comes back in every pack until
    it is closed (done or dropped)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)

    stocktake = models.ForeignKey(Stocktake, on_delete=models.PROTECT, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    # Where the action came from a priority review's recommendation: the link is held here
    # (reviews sit below stocktakes), and the recommendation reaches its action as
    # ``recommendation.action``.
    recommendation = models.OneToOneField(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="action",
        null=True,
        blank=True,
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stocktake_actions"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ActionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress", "done", "dropped"]),
                name="action_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(description=""), name="action_description_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("stocktakes:action", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())

    @classmethod
    def agree(cls, *, item: AgendaItem, description: str, owner, due_date, by) -> Action:
        """Record an action agreed in the meeting, linked to the item's priority."""
        action = cls(
            stocktake_id=item.stocktake_id,
            agenda_item=item,
            priority_id=item.priority_id,
            description=description,
            owner=owner,
            due_date=due_date,
            created_by=by,
        )
        action._history_user = by
        action._change_reason = "Agreed at the stocktake"
        action.save()
        return action

    @classmethod
    def from_recommendation(cls, recommendation, *, stocktake, description, owner, due_date, by):
        """An accepted (or partly accepted) recommendation of a priority review becomes an
        action in one step. The action holds the link (reviews sit below stocktakes); the
        recommendation finds its action through it. One action a recommendation."""
        with transaction.atomic():
            current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
            if not current.is_accepted:
                raise TransitionRefused(
                    "Only an accepted or partly accepted recommendation becomes an action."
                )
            if cls.objects.filter(recommendation=current).exists():
                raise TransitionRefused("This recommendation is already a stocktake action.")
            priority_id = current.review.priority_id
            item = stocktake.agenda.filter(priority_id=priority_id).first() if priority_id else None
            action = cls(
                stocktake=stocktake,
                agenda_item=item,
                priority_id=priority_id,
                recommendation=current,
                description=description,
                owner=owner,
                due_date=due_date,
                created_by=by,
            )
            action._history_user = by
            action._change_reason = "From a priority review's recommendation"
            action.save()
        return action

    def update_progress(self, *, status: str, progress: str, by, version: int) -> None:
        """The owner (or the unit) moves the action on; refused if someone saved since
        ``version``, so that neither update is lost."""
        with versioned_edit(self, version):
            self.status = status
            self.progress = progress
            self.updated_by = by
            self.updated_at = timezone.now()
            self._history_user = by
            self._change_reason = "Progress updated"
            self.save(update_fields=["status", "progress", "updated_by", "updated_at", "version"])


class IssuedPack(IssuedDocument):
    """One issued version of a stocktake's pack: the exact bytes that went to the chairs, kept by
    the issued-document machinery that a review's report shares (``delivery_unit.documents``)."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.PROTECT, related_name="packs")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "number"], name="pack_number_unique"),
            reissue_needs_reason("pack_reissue_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.stocktake}: pack version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "stocktakes:issued_pack", kwargs={"pk": self.stocktake_id, "number": self.number}
        )


class PackGeneration(models.Model):
    """A request to build a pack, done by a background task so that no web worker waits on
    WeasyPrint: a draft to check, or the pack to issue. The page polls it for progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        GATHERING = "gathering", "Gathering the data"
        RENDERING = "rendering", "Laying out the PDF"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    stocktake = models.ForeignKey(
        Stocktake, on_delete=models.CASCADE, related_name="pack_generations"
    )
    issue = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    draft_pdf = models.BinaryField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    issued_pack = models.OneToOneField(
        IssuedPack, on_delete=models.PROTECT, null=True, blank=True, related_name="generation"
    )

    def __str__(self) -> str:
        return f"{'Issue' if self.issue else 'Draft'} of {self.stocktake}: {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.READY, self.Status.FAILED}

    @property
    def step(self) -> int:
        """Which of the three steps it is on, for "step 2 of 3"."""
        steps: dict[str, int] = {
            self.Status.QUEUED: 1,
            self.Status.GATHERING: 1,
            self.Status.RENDERING: 2,
        }
        return steps.get(self.status, 3)


class FollowUpNote(Versioned):
    """The note to the attendees after the meeting: generated from the decisions and actions,
    edited by the unit, then sent and kept as it went (HTML and PDF, with the date)."""

    stocktake = models.OneToOneField(Stocktake, on_delete=models.PROTECT, related_name="follow_up")
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recipients = models.TextField(blank=True)
    html = models.BinaryField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["html", "pdf"])

    def __str__(self) -> str:
        return f"Follow-up note: {self.stocktake}"

    @property
    def sent(self) -> bool:
        return self.sent_at is not None

    def edit(self, *, body: str, by, version: int) -> None:
        with versioned_edit(self, version) as current:
            if current.sent_at:
                raise TransitionRefused("The note has been sent; it is a record now.")
            self.body = body
            self.updated_by = by
            self._history_user = by
            self.save(update_fields=["body", "updated_by", "version"])
