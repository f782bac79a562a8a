"""The people who use the application and the role each plays in the delivery method."""

# Django's own permission helpers, private, so not in django-stubs.
from django.contrib.auth.models import (  # type: ignore[attr-defined]
    AbstractUser,
    _user_has_module_perms,
    _user_has_perm,
)
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    UNIT_STAFF = "unit_staff", "Unit staff"
    PRIORITY_LEAD = "priority_lead", "Priority lead"
    SERVICE_STAFF = "service_staff", "Service staff"
    CABINET_MEMBER = "cabinet_member", "Cabinet member"
    LEADERSHIP = "leadership", "Leadership"
    ADMINISTRATOR = "administrator", "Administrator"


class User(AbstractUser):
    """A person with one role. Whether a priority lead leads a given priority is a fact about the
    priority (its ``lead``), not about the user, so it is asked of the access rules."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRIORITY_LEAD)
    job_title = models.CharField(max_length=150, blank=True)
    is_unit_leader = models.BooleanField(
        "Unit Leader",
        default=False,
        help_text="The unit staff member who leads the unit: moves rounds into moderation and "
        "agrees them.",
    )
    # The identity provider's immutable id for this person (Entra ID's object id, ``oid``, or
    # the token's ``sub``), stored at their first single sign-on, matched by email address.
    # From then on they are found by this id alone: an email address can change or be reused.
    oidc_subject = models.CharField(max_length=255, blank=True, default="", editable=False)
    # Who changed a person's role, and when; never the password hash.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_subject"],
                condition=~models.Q(oidc_subject=""),
                name="user_oidc_subject_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(is_unit_leader=False) | models.Q(role=Role.UNIT_STAFF),
                name="unit_leader_is_unit_staff",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_perm(self, perm, obj=None) -> bool:
        """Every permission is a rule (``rules.py``), asked of the authentication backends:
        unlike Django's default, being a superuser grants nothing the rules do not."""
        return self.is_active and _user_has_perm(self, perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return self.is_active and _user_has_module_perms(self, app_label)

    def get_absolute_url(self) -> str:
        return reverse("people:detail", kwargs={"pk": self.pk})

    @property
    def is_unit_staff(self) -> bool:
        return self.role == Role.UNIT_STAFF

    @property
    def is_leadership(self) -> bool:
        return self.role == Role.LEADERSHIP

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_priority_lead(self) -> bool:
        return self.role == Role.PRIORITY_LEAD

    @property
    def is_service_staff(self) -> bool:
        return self.role == Role.SERVICE_STAFF

    @property
    def is_cabinet_member(self) -> bool:
        return self.role == Role.CABINET_MEMBER

    def _save_by(self, by, reason: str, fields: list[str]) -> None:
        """Save, with the person's history (django-simple-history) recording who and why."""
        self._history_user = by
        self._change_reason = reason
        self.save(update_fields=fields)

    def change_details(self, fields: dict, *, by) -> None:
        """Name, email, job title and role. A Unit Leader moved out of the unit stops being the
        Unit Leader. The person's history keeps each field's before and after."""
        with transaction.atomic():
            User.objects.select_for_update().get(pk=self.pk)
            changed = [name for name, value in fields.items() if getattr(self, name) != value]
            for name in changed:
                setattr(self, name, fields[name])
            if self.is_unit_leader and self.role != Role.UNIT_STAFF:
                self.is_unit_leader = False
                changed.append("is_unit_leader")
            if changed:
                self._save_by(by, "Details changed", changed)

    def make_unit_leader(self, *, by) -> "User | None":
        """Mark this unit staff member as the Unit Leader; whoever was is no longer. Returns the
        previous Unit Leader, if there was one."""
        if self.role != Role.UNIT_STAFF:
            raise ValueError("Only unit staff can be the Unit Leader.")
        with transaction.atomic():
            previous = (
                User.objects.select_for_update().filter(is_unit_leader=True).exclude(pk=self.pk)
            ).first()
            if previous is not None:
                previous.is_unit_leader = False
                previous._save_by(by, f"{self} became the Unit Leader", ["is_unit_leader"])
            if not self.is_unit_leader:
                self.is_unit_leader = True
                self._save_by(by, "Made the Unit Leader", ["is_unit_leader"])
            return previous

    def deactivate(self, *, by) -> None:
        """A leaver: they can no longer sign in, and every session they have ends now. What
        they hold stays theirs until it is handed over (``delivery_unit.holdings``)."""
        from delivery_unit.sessions import end_sessions_of

        with transaction.atomic():
            if self.is_active:
                self.is_active = False
                self._save_by(by, "Deactivated", ["is_active"])
            end_sessions_of(self)

    def reactivate(self, *, by) -> None:
        if not self.is_active:
            self.is_active = True
            self._save_by(by, "Reactivated", ["is_active"])


class HandedOver(models.Model):
    """One thing a person held, given to a successor (or to nobody) in a hand-over: who gave it,
    when, what it was. Shown on both people's pages. (Changes to the person's own details, role
    and status are in the user's history.)"""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="handed_over")
    successor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="taken_over", null=True, blank=True
    )
    what = models.CharField(max_length=300)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "handed over"
        indexes = [models.Index(fields=["person", "at"]), models.Index(fields=["successor", "at"])]

    def __str__(self) -> str:
        return f"{self.what}: {self.person} to {self.successor or 'nobody'}"
