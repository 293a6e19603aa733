"""Login with a second factor (TOTP), API keys and user management, with their audit trail."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import login
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkregie.accounts.events import AccountsEvent
from werkregie.accounts.models import ApiToken, RoleChange, User
from werkregie.core import audit
from werkregie.core.access import PERMISSIONS, PERSONAL_DATA_ACTIONS, Action, Role, has_permission
from werkregie.core.errors import DomainError
from werkregie.organisations.models import Organisation

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
        audit.record_change(actor=user, action=AccountsEvent.USER_OTP_ENROLLED, obj=user)
    audit.record_change(
        actor=user,
        action=AccountsEvent.USER_LOGGED_IN,
        obj=user,
        changes={"second_factor": {"old": None, "new": "totp" if device else "demo"}},
    )


@transaction.atomic
def verify_totp(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Check a TOTP code; an unconfirmed device becomes confirmed on the first good code."""
    if not device.verify_token(token):
        audit.record_change(
            actor=user,
            action=AccountsEvent.USER_LOGIN_FAILED,
            obj=user,
            changes={"reason": {"old": None, "new": "totp"}},
        )
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def record_failed_password(*, username: str) -> None:
    """A wrong password for a known user, or any attempt for an unknown name: both are
    security events (the name as typed, never the password)."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        audit.record_change(
            actor=user,
            action=AccountsEvent.USER_LOGIN_FAILED,
            obj=user,
            changes={"reason": {"old": None, "new": "password"}},
        )
        return
    audit.record_event(
        actor=None,
        action=AccountsEvent.LOGIN_UNKNOWN_USER,
        object_type="security.login",
        label=username[:150],
    )


# -- API tokens (issue 20, finding 2) ----------------------------------------------------

TOKEN_MAX_DAYS = 365


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, actor: User, name: str, valid_days: int) -> tuple[ApiToken, str]:
    """A new API key for the acting user only, once their second factor is enrolled; the
    key is returned once and only its hash is kept. Audited (never the key itself)."""
    name = name.strip()
    if not name:
        raise DomainError("Geef de sleutel een omschrijving.", field="name")
    if not 1 <= valid_days <= TOKEN_MAX_DAYS:
        raise DomainError(
            f"Een sleutel is 1 tot {TOKEN_MAX_DAYS} dagen geldig.", field="valid_days"
        )
    if confirmed_device(actor) is None and not actor.may_skip_second_factor():
        raise DomainError("Koppel eerst uw tweede factor (authenticator-app).")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=key[:8],
        key_hash=token_hash(key),
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    audit.record_change(
        actor=actor,
        action=AccountsEvent.API_TOKEN_CREATED,
        obj=token,
        changes={
            "prefix": {"old": None, "new": token.prefix},
            "expires_at": {"old": None, "new": token.expires_at.isoformat()},
        },
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    """The owner or a functional administrator withdraws a key; audited."""
    if token.user_id != actor.pk and not has_permission(actor, Action.USER_MANAGE):
        raise DomainError("Alleen de eigenaar of een functioneel beheerder trekt een sleutel in.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record_change(actor=actor, action=AccountsEvent.API_TOKEN_REVOKED, obj=token)
    return token


# A key's use is written to last_used_at and the audit log at most this often.
TOKEN_USE_INTERVAL = timedelta(minutes=1)


def token_user(key: str) -> User | None:
    """The active user of a usable key, its use recorded (at most once a minute, see
    TOKEN_USE_INTERVAL); None for any other key."""
    token = (
        ApiToken.objects.usable()
        .select_related("user__organisation")
        .filter(key_hash=token_hash(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # The use is recorded at most once per TOKEN_USE_INTERVAL: a conditional update decides
    # which request of a burst records it, so concurrent requests neither double the audit
    # trail nor queue on it (issue 17).
    recorded = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOKEN_USE_INTERVAL))
        .update(last_used_at=now)
    )
    if recorded:
        audit.record_change(actor=token.user, action=AccountsEvent.API_TOKEN_USED, obj=token)
    return token.user


# -- user management (issue 20, finding 1) -----------------------------------------------


def grants_personal_data(role: str) -> bool:
    """Whether a role reads personal data of persons (and so needs a second approval)."""
    return role in Role.values and bool(PERMISSIONS[Role(role)] & PERSONAL_DATA_ACTIONS)


def _refuse_own(actor: User, user: User, what: str) -> None:
    if actor.pk == user.pk:
        raise DomainError(f"U kunt uw eigen {what} niet wijzigen; vraag een andere beheerder.")
    if not has_permission(actor, Action.USER_MANAGE):
        raise DomainError("Alleen een functioneel beheerder beheert gebruikers.")


@transaction.atomic
def request_role_change(
    *, actor: User, user: User, role: str, organisation: Organisation | None, reason: str
) -> RoleChange:
    """Change a user's role and organisation, never one's own. A change to a role that reads
    personal data waits for a second administrator; any other change applies at once."""
    _refuse_own(actor, user, "rol of organisatie")
    reason = reason.strip()
    if not reason:
        raise DomainError("Geef een reden voor de wijziging.", field="reason")
    if role and role not in Role.values:
        raise DomainError("Onbekende rol.", field="role")
    change = RoleChange(
        user=user, role=role, organisation=organisation, reason=reason, requested_by=actor
    )
    change.full_clean()
    change.save()
    audit.record_change(
        actor=actor,
        action=AccountsEvent.USER_ROLE_CHANGE_REQUESTED,
        obj=user,
        changes=_role_diff(user, change),
    )
    if not grants_personal_data(role):
        _apply(actor, change)
    return change


@transaction.atomic
def decide_role_change(*, actor: User, change: RoleChange, approve: bool) -> RoleChange:
    """The second administrator approves or rejects; never the requester or the user."""
    change = RoleChange.objects.select_for_update().select_related("user").get(pk=change.pk)
    if change.status != RoleChange.Status.PENDING:
        raise DomainError("Over deze rolwijziging is al besloten.")
    if not has_permission(actor, Action.USER_MANAGE):
        raise DomainError("Alleen een functioneel beheerder beslist over rolwijzigingen.")
    if actor.pk in (change.requested_by_id, change.user_id):
        raise DomainError(
            "Wie de wijziging aanvroeg of erdoor rechten krijgt, keurt haar niet goed."
        )
    if approve:
        _apply(actor, change)
    else:
        change.status, change.decided_by, change.decided_at = (
            RoleChange.Status.REJECTED,
            actor,
            timezone.now(),
        )
        change.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record_change(
            actor=actor, action=AccountsEvent.USER_ROLE_CHANGE_REJECTED, obj=change.user
        )
    return change


def _role_diff(user: User, change: RoleChange) -> dict[str, dict[str, Any]]:
    return audit.diff(
        {"role": user.role, "organisation": user.organisation_id},
        {"role": change.role, "organisation": change.organisation_id},
    )


def _apply(actor: User, change: RoleChange) -> None:
    user = User.objects.select_for_update().get(pk=change.user_id)
    changes = _role_diff(user, change)
    user.role, user.organisation = change.role, change.organisation
    user.save(update_fields=["role", "organisation"])
    change.status, change.decided_by, change.decided_at = (
        RoleChange.Status.APPLIED,
        actor if actor.pk != change.requested_by_id else None,
        timezone.now(),
    )
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record_change(
        actor=actor, action=AccountsEvent.USER_ROLE_CHANGED, obj=user, changes=changes
    )


@transaction.atomic
def set_user_active(*, actor: User, user: User, active: bool, reason: str) -> User:
    """(De)activate another user; a deactivated user's API keys are withdrawn."""
    _refuse_own(actor, user, "account")
    if not reason.strip():
        raise DomainError("Geef een reden.", field="reason")
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record_change(
            actor=actor,
            action=AccountsEvent.USER_ACTIVE_CHANGED,
            obj=user,
            changes={"is_active": {"old": not active, "new": active}, "reason": reason.strip()},
        )
    if not active:
        for token in user.api_tokens.usable():
            revoke_api_token(actor=actor, token=token)
    return user


@transaction.atomic
def reset_second_factor(*, actor: User, user: User, reason: str) -> int:
    """Remove another user's TOTP devices (they enrol again at their next login) and withdraw
    their API keys; the secret is never shown to anyone. Audited."""
    _refuse_own(actor, user, "tweede factor")
    if not reason.strip():
        raise DomainError("Geef een reden.", field="reason")
    removed: int = TOTPDevice.objects.filter(user=user).delete()[0]
    for token in user.api_tokens.usable():
        revoke_api_token(actor=actor, token=token)
    audit.record_change(
        actor=actor,
        action=AccountsEvent.USER_OTP_RESET,
        obj=user,
        changes={"devices": {"old": removed, "new": 0}, "reason": reason.strip()},
    )
    return removed
