from typing import Any

from django.apps import AppConfig

from werkregie.accounts.events import AccountsEvent


class AccountsConfig(AppConfig):
    name = "werkregie.accounts"
    label = "accounts"
    verbose_name = "Gebruikers"

    def ready(self) -> None:
        # A third-party event (django-axes), not domain flow: the lockout is audited.
        from axes.signals import user_locked_out

        user_locked_out.connect(_record_lockout, dispatch_uid="werkregie-lockout")


def _record_lockout(
    sender: Any, request: Any, username: str | None, ip_address: str, **_: Any
) -> None:
    from werkregie.core import audit

    audit.record_event(
        actor=None,
        action=AccountsEvent.LOGIN_LOCKED_OUT,
        object_type="security.login",
        label=(username or "")[:150],
        changes={"ip_address": ip_address},
    )
