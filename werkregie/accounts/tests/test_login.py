from django.conf import LazySettings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkregie.accounts.events import AccountsEvent
from werkregie.accounts.models import User
from werkregie.core.models import AuditEvent

PASSWORD = "test-wachtwoord"


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password_step(client: Client, user: User) -> str:
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return str(response["Location"])


def test_first_login_enrols_totp_then_logs_in(cast: dict[str, User]) -> None:
    user, client = cast["hr_nuo"], Client()
    assert _password_step(client, user) == reverse("accounts:enroll")
    assert client.get(reverse("home")).status_code == 302  # not logged in yet
    assert "QR-code" in client.get(reverse("accounts:enroll")).content.decode()
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:enroll"), {"token": _token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action=AccountsEvent.USER_OTP_ENROLLED, actor=user).exists()


def test_second_login_asks_code_and_refuses_a_wrong_one(cast: dict[str, User]) -> None:
    user = cast["hr_nuo"]
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    assert _password_step(client, user) == reverse("accounts:verify")
    response = client.post(
        reverse("accounts:verify"), {"token": "000000" if _token(device) != "000000" else "111111"}
    )
    assert "onjuist" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()
    client.post(reverse("accounts:verify"), {"token": _token(device)})
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_is_refused_in_dutch_and_audited(cast: dict[str, User]) -> None:
    response = Client().post(reverse("accounts:login"), {"username": "hr_nuo", "password": "fout"})
    assert "onjuist" in response.content.decode()
    assert AuditEvent.objects.filter(action=AccountsEvent.USER_LOGIN_FAILED).count() == 1


def test_demo_user_skips_second_factor_only_in_demo_mode(
    cast: dict[str, User], settings: LazySettings
) -> None:
    user = cast["hr_nuo"]
    user.is_demo = True
    user.save()
    assert _password_step(Client(), user) == reverse("accounts:enroll")
    settings.WERKREGIE_DEMO = True
    client = Client()
    assert _password_step(client, user) == "/"
    assert client.get(reverse("home")).status_code == 200


def test_session_without_second_factor_is_logged_out(cast: dict[str, User]) -> None:
    client = Client()
    client.force_login(cast["hr_nuo"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_repeated_failures_lock_the_user_name_and_the_address_audited(
    cast: dict[str, User],
) -> None:
    """Issue 16: lockout per user name and per IP address (django-axes), in Dutch."""
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "hr_nuo", "password": "fout"})
    locked = client.post(
        reverse("accounts:login"), {"username": "hr_nuo", "password": "test-wachtwoord"}
    )
    assert locked.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in locked.content.decode()
    events = AuditEvent.objects.filter(action=AccountsEvent.LOGIN_LOCKED_OUT)
    assert {(e.object_label, e.changes["ip_address"]) for e in events} == {("hr_nuo", "127.0.0.1")}
    # The address is locked too: another user name from it is refused as well.
    other = client.post(
        reverse("accounts:login"), {"username": "jobcoach_nuo", "password": "test-wachtwoord"}
    )
    assert other.status_code == 429
    # From another address that other user logs in as usual.
    fresh = Client(REMOTE_ADDR="10.0.0.7").post(
        reverse("accounts:login"), {"username": "jobcoach_nuo", "password": "test-wachtwoord"}
    )
    assert fresh.status_code == 302
