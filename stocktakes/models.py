"""Stocktakes with the Chief Executive and the Leader, their agendas and their packs."""

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse

from priorities.models import Priority


class Stocktake(models.Model):
    title = models.CharField(max_length=200)
    date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    priorities = models.ManyToManyField(Priority, through="AgendaItem", related_name="stocktakes")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%-d %B %Y})"

    def get_absolute_url(self) -> str:
        return reverse("stocktakes:detail", kwargs={"pk": self.pk})

    def agenda_priorities(self):
        """The agenda's priorities in order, each with its latest rating."""
        return (
            Priority.objects.with_latest_rating()
            .select_related("lead")
            .filter(agenda_items__stocktake=self)
            .order_by("agenda_items__position")
        )

    @classmethod
    def plan(cls, *, title: str, date, priorities, by) -> "Stocktake":
        """Create a stocktake with its agenda in the order given, all or nothing."""
        with transaction.atomic():
            stocktake = cls.objects.create(title=title, date=date, created_by=by)
            AgendaItem.objects.bulk_create(
                AgendaItem(stocktake=stocktake, priority=priority, position=position)
                for position, priority in enumerate(priorities, start=1)
            )
        return stocktake


class AgendaItem(models.Model):
    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="agenda")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stocktake", "priority"], name="agenda_priority_once_per_stocktake"
            ),
            models.UniqueConstraint(
                fields=["stocktake", "position"], name="agenda_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.priority}"
