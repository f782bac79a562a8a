"""The people who use the application and the role each plays in the delivery method."""

# Django's own permission helpers, private, so not in django-stubs.
from django.contrib.auth.models import (  # type: ignore[attr-defined]
    AbstractUser,
    _user_has_module_perms,
    _user_has_perm,
)
from django.db import models


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
