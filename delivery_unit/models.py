"""The people who use the application and the role each plays in the delivery method."""

from django.contrib.auth.models import (
    AbstractUser,
    _user_has_module_perms,
    _user_has_perm,
)
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone


class Role(models.TextChoices):
    UNIT_STAFF = "unit_staff", "Unit staff"
    PRIORITY_LEAD = "priority_lead", "Priority lead"
    LEADERSHIP = "leadership", "Leadership"
    ADMINISTRATOR = "administrator", "Administrator"


class User(AbstractUser):
    """A person with one role. Whether a priority lead leads a given priority is a fact about the
    priority (its ``lead``), not about the user, so it is asked of the access rules."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRIORITY_LEAD)
    job_title = models.CharField(max_length=150, blank=True)
    is_unit_leader = models.BooleanField(
        default=False,
        help_text="The unit staff member who leads the unit: moves rounds into moderation and "
        "agrees them.",
    )
    # The identity provider's immutable id for this person (Entra ID's object id, ``oid``, or
    # the token's ``sub``), stored at their first single sign-on, matched by email address.
    # From then on they are found by this id alone: an email address can change or be reused.
    oidc_subject = models.CharField(max_length=255, blank=True, default="", editable=False)

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

    def record(self, what: str, before: str, after: str, *, by, counterpart=None) -> None:
        PersonChange.objects.create(
            person=self, what=what, before=before, after=after, by=by, counterpart=counterpart
        )

    def change_details(self, fields: dict, *, by) -> None:
        """Name, email, job title and role, each change recorded. A Unit Leader moved out of
        the unit stops being the Unit Leader."""
        with transaction.atomic():
            current = User.objects.select_for_update().get(pk=self.pk)
            labels = {"role": "Role"} | {
                name: str(User._meta.get_field(name).verbose_name).capitalize()
                for name in ("first_name", "last_name", "email", "job_title")
            }
            changed = []
            for name, value in fields.items():
                before = getattr(current, name)
                if before == value:
                    continue
                setattr(self, name, value)
                changed.append(name)
                if name == "role":
                    self.record("Role", Role(before).label, Role(value).label, by=by)
                else:
                    self.record(labels[name], before or "None", value or "None", by=by)
            if "role" in changed and self.is_unit_leader and self.role != Role.UNIT_STAFF:
                self.is_unit_leader = False
                changed.append("is_unit_leader")
                self.record("Unit Leader", "Yes", "No", by=by)
            if changed:
                self.save(update_fields=changed)

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
                previous.save(update_fields=["is_unit_leader"])
                previous.record("Unit Leader", "Yes", "No", by=by, counterpart=self)
            if not self.is_unit_leader:
                self.is_unit_leader = True
                self.save(update_fields=["is_unit_leader"])
                self.record("Unit Leader", "No", "Yes", by=by, counterpart=previous)
            return previous

    def deactivate(self, *, by) -> None:
        """A leaver: they can no longer sign in, and every session they have ends now. What
        they hold stays theirs until it is handed over (``delivery_unit.holdings``)."""
        from delivery_unit.sessions import end_sessions_of

        with transaction.atomic():
            if self.is_active:
                self.is_active = False
                self.save(update_fields=["is_active"])
                self.record("Status", "Active", "Deactivated", by=by)
            end_sessions_of(self)

    def reactivate(self, *, by) -> None:
        with transaction.atomic():
            if not self.is_active:
                self.is_active = True
                self.save(update_fields=["is_active"])
                self.record("Status", "Deactivated", "Active", by=by)


class PersonChange(models.Model):
    """One change to a person's role, status, details or holdings: who made it, when, what it
    was before and after. A hand-over records one row for each thing handed over, naming the
    successor as the ``counterpart``, so that it shows on both people's pages."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="changes")
    what = models.CharField(max_length=300)
    before = models.CharField(max_length=300, blank=True)
    after = models.CharField(max_length=300, blank=True)
    counterpart = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.what}, {self.before} to {self.after}"
