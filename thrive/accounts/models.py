"""Users, councils, roles, organisation memberships, invitations and API tokens (DESIGN §1)."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from thrive.core.roles import Role


class Council(models.Model):
    """A council on this installation: it owns its directorates, pots, awards and reports."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    org_id = models.CharField(
        "organisation identifier",
        max_length=40,
        blank=True,
        help_text="The council's own org-id, for example GB-LAE-WSX",
    )
    # How organisations reach the council, shown on its pages, emails and letters (optional).
    contact_email = models.EmailField("Contact email address", blank=True)
    phone = models.CharField("Contact telephone number", max_length=40, blank=True)
    website = models.URLField(
        "Website", blank=True, validators=[URLValidator(schemes=["https", "http"])]
    )
    postal_address = models.TextField("Postal address", blank=True)
    # A small PNG or JPEG, kept in the database and shown inline, so no page or PDF fetches it.
    logo = models.BinaryField(blank=True, default=b"", editable=False)
    logo_content_type = models.CharField(max_length=20, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def logo_data_uri(self) -> str:
        """The logo as a ``data:`` URI, or an empty string when the council has none."""
        if not self.logo or not self.logo_content_type:
            return ""
        encoded = base64.b64encode(bytes(self.logo)).decode("ascii")
        return f"data:{self.logo_content_type};base64,{encoded}"

    @property
    def has_contact_details(self) -> bool:
        return bool(self.contact_email or self.phone or self.website or self.postal_address)


class TodoEmails(models.TextChoices):
    """How a person hears of new items on their to-do list (DESIGN §4: work finds its people)."""

    EACH = "each", "Email me each new item as it arrives"
    DAILY = "daily", "Email me a daily summary"
    NONE = "none", "No emails about to-do items"


class ThriveUserManager(UserManager):
    def get_by_natural_key(self, username: str) -> User:
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person. Staff belong to a council; provider users do not (DESIGN §1)."""

    email = models.EmailField("email address", unique=True)
    council = models.ForeignKey(
        Council,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="Set for council staff only. Provider users belong to organisations instead.",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)
    email_verified_at = models.DateTimeField(
        "email address verified",
        null=True,
        blank=True,
        default=timezone.now,
        help_text="Empty until a self-registered person follows the link emailed to them. "
        "Staff, invited people and accounts made by administrators are verified when created.",
    )

    todo_emails = models.CharField(
        "emails about your to-do list",
        max_length=10,
        choices=TodoEmails.choices,
        default=TodoEmails.EACH,
    )

    objects = ThriveUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def audit_label(self) -> str:
        return f"User #{self.pk}"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_council_staff(self) -> bool:
        return self.council_id is not None

    def role_codes(self) -> frozenset[str]:
        """The user's roles, cached for the life of this object."""
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            self._load_roles()
            cached = self._role_codes
        return cached

    def _load_roles(self) -> None:
        """Roles and their directorates in one query: most pages ask for both."""
        assignments = list(self.role_assignments.values_list("role", "directorate_id"))
        self._role_codes = frozenset(role for role, _ in assignments)
        self._directorate_ids = frozenset(d for _, d in assignments if d is not None)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes() & set(roles))

    def directorate_ids(self) -> frozenset[int]:
        """The directorates this user's roles are tied to (commissioners), cached."""
        cached = getattr(self, "_directorate_ids", None)
        if cached is None:
            self._load_roles()
            cached = self._directorate_ids
        return cached


class RoleAssignment(models.Model):
    """A staff role held by a user, in their council (system administrators: installation-wide)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=40, choices=Role.choices)
    council = models.ForeignKey(Council, null=True, blank=True, on_delete=models.PROTECT)
    directorate = models.ForeignKey(
        "strategy.Directorate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        help_text="For commissioners: the directorate whose work they manage.",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=Q(role="system_admin") | Q(council__isnull=False),
                name="role_assignment_council_role_has_council",
            ),
        ]
        ordering = ["role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class Membership(models.Model):
    """A provider user's place in an organisation; admins invite and approve colleagues."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    is_admin = models.BooleanField("organisation admin", default=False)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]
        ordering = ["organisation__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation}"


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An organisation admin's invitation to a colleague, sent by email."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    as_admin = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"

    def audit_label(self) -> str:
        return f"Invitation #{self.pk}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.revoked_at:
            return "Withdrawn"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Pending"


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is kept; the secret is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class DigestSent(models.Model):
    """A daily summary emailed to a person: one a day, so a second run that day sends nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent"
    )
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_sent_once_a_day")
        ]
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Daily summary for {self.user} on {self.day:%d %B %Y}"
