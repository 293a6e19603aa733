"""The audit event names of accounts (logins, API keys, user management): each app declares its own
(issue 15); core.audit_events registers them for the audit log."""

from django.db import models

from werkregie.core.audit_events import register


@register
class AccountsEvent(models.TextChoices):
    USER_LOGGED_IN = "user.logged_in", "Ingelogd"
    USER_LOGIN_FAILED = "user.login_failed", "Inloggen mislukt"
    USER_OTP_ENROLLED = "user.otp_enrolled", "Tweede factor gekoppeld"
    USER_OTP_RESET = "user.otp_reset", "Tweede factor gereset"
    USER_ROLE_CHANGE_REQUESTED = "user.role_requested", "Rolwijziging aangevraagd"
    USER_ROLE_CHANGED = "user.role_changed", "Rol of organisatie gewijzigd"
    USER_ROLE_CHANGE_REJECTED = "user.role_rejected", "Rolwijziging afgewezen"
    USER_ACTIVE_CHANGED = "user.active_changed", "Gebruiker geactiveerd of gedeactiveerd"
    API_TOKEN_CREATED = "api_token.created", "API-sleutel gemaakt"
    API_TOKEN_USED = "api_token.used", "API-sleutel gebruikt"
    API_TOKEN_REVOKED = "api_token.revoked", "API-sleutel ingetrokken"
    LOGIN_UNKNOWN_USER = "security.unknown_user", "Inlogpoging met onbekende gebruikersnaam"
    LOGIN_LOCKED_OUT = "security.locked_out", "Inloggen geblokkeerd na herhaalde mislukking"
    API_TOKEN_REFUSED = "security.token_refused", "Ongeldige API-sleutel geweigerd"
