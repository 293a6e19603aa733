"""Login with a second factor (TOTP) and its audit trail."""

from typing import Any

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.models import AuditAction

BACKEND = "django.contrib.auth.backends.ModelBackend"


def confirmed_device(user: User) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device to enrol, created once so the QR code stays the same."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator-app"}
    )
    return device


@transaction.atomic
def complete_login(
    *, request: HttpRequest, user: User, device: TOTPDevice | None, enrolled: bool = False
) -> None:
    """Log the user in after password and (unless exempt) TOTP; audited."""
    login(request, user, backend=BACKEND)
    if device is not None:
        otp_login(request, device)
    if enrolled:
        audit.record_change(actor=user, action=AuditAction.USER_OTP_ENROLLED, obj=user)
    audit.record_change(
        actor=user,
        action=AuditAction.USER_LOGGED_IN,
        obj=user,
        changes={"second_factor": {"old": None, "new": "totp" if device else "demo"}},
    )


@transaction.atomic
def verify_totp(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Check a TOTP code; an unconfirmed device becomes confirmed on the first good code."""
    if not device.verify_token(token):
        audit.record_change(
            actor=user,
            action=AuditAction.USER_LOGIN_FAILED,
            obj=user,
            changes={"reason": {"old": None, "new": "totp"}},
        )
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def record_failed_password(*, user: Any) -> None:
    audit.record_change(
        actor=user,
        action=AuditAction.USER_LOGIN_FAILED,
        obj=user,
        changes={"reason": {"old": None, "new": "password"}},
    )
