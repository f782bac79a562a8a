"""Delivery plans. The foundation keeps a plan as one body of text; later work gives it sections."""

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from priorities.models import Priority


class StalePlan(Exception):
    """The plan changed after the editor opened it."""

    def __init__(self, current: "DeliveryPlan") -> None:
        super().__init__("The plan was changed by someone else in the meantime.")
        self.current = current


class DeliveryPlan(models.Model):
    priority = models.OneToOneField(Priority, on_delete=models.CASCADE, related_name="plan")
    body = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Delivery plan: {self.priority}"

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", kwargs={"slug": self.priority.slug})

    def revise(self, *, body: str, by, version: int, reason: str = "") -> None:
        """Save a new body if nobody has saved since ``version`` was read; otherwise refuse with
        the current plan, so the editor sees the other change and loses nothing of their own."""
        with transaction.atomic():
            current = DeliveryPlan.objects.select_for_update().get(pk=self.pk)
            if current.version != version:
                raise StalePlan(current)
            self.body = body
            self.version = current.version + 1
            self.updated_by = by
            self.updated_at = timezone.now()
            self._change_reason = reason or "Edited"
            self._history_user = by
            self.save(update_fields=["body", "version", "updated_by", "updated_at"])
