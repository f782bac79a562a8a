"""Each person's calendar feed: a secret address that calendar clients (Outlook, Google
Calendar) poll without signing in, so that the dates of the unit's routines land in them.

The address carries a token that is an HMAC (keyed by ``SECRET_KEY``) of a random secret kept
here: the database alone never holds an address that opens a feed, and a token is compared in
constant time. A person has at most one live feed; replacing it stops the old address at once,
and a stopped (revoked) address answers 404 like one that never existed."""

import secrets

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "forward_look.CalendarFeed"


class CalendarFeed(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    secret = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_calendar_feed_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("forward_look:feed", kwargs={"pk": self.pk, "token": self.token})

    @property
    def token(self) -> str:
        return salted_hmac(_SALT, self.secret, algorithm="sha256").hexdigest()

    def opens_with(self, token: str) -> bool:
        """Whether ``token`` opens this feed: it is live and the token is its own."""
        return self.revoked_at is None and constant_time_compare(token, self.token)

    @classmethod
    def live_for(cls, person) -> "CalendarFeed | None":
        return cls.objects.filter(person=person, revoked_at__isnull=True).first()

    @classmethod
    def issue(cls, person) -> "CalendarFeed":
        """A new address for the person's feed; any address they had stops working."""
        with transaction.atomic():
            cls.revoke_for(person)
            return cls.objects.create(person=person)

    @classmethod
    def revoke_for(cls, person) -> int:
        """Stop the person's feed: its address answers 404 from now on."""
        return cls.objects.filter(person=person, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
