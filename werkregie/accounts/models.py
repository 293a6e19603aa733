from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from werkregie.core.access import Role


class User(AbstractUser):
    """A Werkregie user: one role, one organisation (and through it, one municipality)."""

    role = models.CharField("rol", max_length=30, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisatie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # Demo users may skip the second factor, but only while WERKREGIE_DEMO is on.
    is_demo = models.BooleanField("demogebruiker", default=False)

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[*Role.values, ""]), name="user_role_known"
            )
        ]

    @property
    def municipality_id(self) -> int | None:
        return self.organisation.municipality_id if self.organisation else None

    def may_skip_second_factor(self) -> bool:
        return self.is_demo and bool(settings.WERKREGIE_DEMO)

    def second_factor_passed(self, request: HttpRequest) -> bool:
        """True when this session passed TOTP, or the demo exemption applies."""
        verified = getattr(request.user, "is_verified", None)
        return bool(verified and verified()) or self.may_skip_second_factor()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A key for the API, made by its user after the second factor. Only a SHA-256 of the
    key is kept: the key is shown once, at creation, and can never be read again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("omschrijving", max_length=100)
    # The key's first characters, so a user can tell their tokens apart.
    prefix = models.CharField("begint met", max_length=8)
    key_hash = models.CharField("SHA-256 van de sleutel", max_length=64, unique=True)
    created_at = models.DateTimeField("gemaakt op", default=timezone.now)
    expires_at = models.DateTimeField("verloopt op")
    last_used_at = models.DateTimeField("laatst gebruikt", null=True, blank=True)
    revoked_at = models.DateTimeField("ingetrokken op", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API-sleutel"
        verbose_name_plural = "API-sleutels"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RoleChange(models.Model):
    """A change of a user's role or organisation. One that gives access to personal data
    waits for a second functional administrator's approval (four eyes)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Wacht op goedkeuring"
        APPLIED = "applied", "Doorgevoerd"
        REJECTED = "rejected", "Afgewezen"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_changes")
    role = models.CharField("nieuwe rol", max_length=30, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="nieuwe organisatie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField("reden", max_length=300)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        User, verbose_name="aangevraagd door", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("aangevraagd op", default=timezone.now)
    decided_by = models.ForeignKey(
        User,
        verbose_name="besloten door",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("besloten op", null=True, blank=True)

    class Meta:
        verbose_name = "rolwijziging"
        verbose_name_plural = "rolwijzigingen"
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")), name="rolechange_not_own"
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | (
                    ~models.Q(decided_by=models.F("requested_by"))
                    & ~models.Q(decided_by=models.F("user"))
                ),
                name="rolechange_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display() or 'geen rol'} ({self.get_status_display()})"
