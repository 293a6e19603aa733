from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.http import HttpRequest

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
