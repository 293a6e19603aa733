"""Issue 20: the people with the most power are watched too. One test per finding."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkregie.accounts import services
from werkregie.accounts.events import AccountsEvent
from werkregie.accounts.models import ApiToken, RoleChange, User
from werkregie.core.access import Role
from werkregie.core.audit_events import Event
from werkregie.core.errors import DomainError
from werkregie.core.middleware import SecurityMiddleware
from werkregie.core.models import AuditAction, AuditEvent
from werkregie.core.tables import MAX_ROWS, FieldError, read_table
from werkregie.employer_services.tests.factories import make_profile
from werkregie.hr.events import HrEvent
from werkregie.hr.statistics import person_rows
from werkregie.organisations.models import Municipality, Organisation
from werkregie.people.events import PeopleEvent
from werkregie.people.models import Person
from werkregie.testing import api_client, api_key, login_client, make_employment, make_person


@pytest.fixture
def admins(cast: dict[str, User]) -> tuple[User, User]:
    """Two functional administrators: four eyes need a second one."""
    second = User.objects.create_user(
        "functional_admin_2",
        role=Role.FUNCTIONAL_ADMIN,
        organisation=Organisation.objects.get(code="gemeente-wierden"),
    )
    return cast["functional_admin"], second


def _events(action: Event) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# -- 1: no silent self-promotion -------------------------------------------------------------


def test_the_admin_cannot_edit_role_organisation_or_flags_of_anyone(
    cast: dict[str, User],
) -> None:
    admin = cast["functional_admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = login_client(admin)
    url = reverse("admin:accounts_user_change", args=[admin.pk])
    page = client.get(url).content.decode()
    assert 'name="role"' not in page and 'name="is_superuser"' not in page
    client.post(
        url,
        {
            "username": admin.username,
            "first_name": "Bas",
            "role": Role.TRANSITION_MANAGER,
            "organisation": Organisation.objects.get(code="nuo").pk,
            "is_superuser": "on",
            "is_active": "on",
        },
    )
    admin.refresh_from_db()
    assert admin.role == Role.FUNCTIONAL_ADMIN and admin.first_name == "Bas"
    other = cast["hr_nuo"]
    password = reverse("admin:auth_user_password_change", args=[other.pk])
    assert client.get(password).status_code == 403


def test_nobody_changes_their_own_role(admins: tuple[User, User]) -> None:
    first, _ = admins
    with pytest.raises(DomainError, match="eigen rol"):
        services.request_role_change(
            actor=first, user=first, role=Role.TRANSITION_MANAGER, organisation=None, reason="x"
        )
    assert not RoleChange.objects.exists()


def test_a_role_with_personal_data_takes_a_second_administrator(
    admins: tuple[User, User], cast: dict[str, User]
) -> None:
    first, second = admins
    subject = cast["controller_wierden"]
    change = services.request_role_change(
        actor=first,
        user=subject,
        role=Role.TRANSITION_MANAGER,
        organisation=subject.organisation,
        reason="Nieuwe taak bij de overgang",
    )
    subject.refresh_from_db()
    assert change.status == RoleChange.Status.PENDING and subject.role == Role.CONTROLLER
    with pytest.raises(DomainError, match="keurt haar niet goed"):
        services.decide_role_change(actor=first, change=change, approve=True)
    services.decide_role_change(actor=second, change=change, approve=True)
    subject.refresh_from_db()
    assert subject.role == Role.TRANSITION_MANAGER
    requested, applied = (
        _events(AccountsEvent.USER_ROLE_CHANGE_REQUESTED),
        _events(AccountsEvent.USER_ROLE_CHANGED),
    )
    assert requested[0].actor == first and applied[0].actor == second
    assert applied[0].changes["role"] == {"old": "controller", "new": "transition_manager"}


def test_a_role_without_personal_data_applies_at_once_audited(
    admins: tuple[User, User], cast: dict[str, User]
) -> None:
    first, _ = admins
    subject = cast["board_nuo"]
    services.request_role_change(
        actor=first,
        user=subject,
        role=Role.CONTROLLER,
        organisation=Organisation.objects.get(code="gemeente-almelo"),
        reason="Overstap",
    )
    subject.refresh_from_db()
    assert subject.role == Role.CONTROLLER
    assert _events(AccountsEvent.USER_ROLE_CHANGED)[0].changes["role"]["old"] == "board"


def test_user_management_screen_end_to_end(
    admins: tuple[User, User], cast: dict[str, User]
) -> None:
    first, second = admins
    subject = cast["board_nuo"]
    url = reverse("accounts:user", args=[subject.pk])
    one, two = login_client(first), login_client(second)
    one.post(
        url,
        {"step": "role", "role": Role.HR_PAYROLL, "organisation": subject.organisation_id,
         "reason": "Naar salarisadministratie"},
    )  # fmt: skip
    change = RoleChange.objects.get()
    assert "Wacht op goedkeuring" in two.get(reverse("accounts:users")).content.decode()
    two.post(url, {"step": "approve", "change": change.pk})
    subject.refresh_from_db()
    assert subject.role == Role.HR_PAYROLL
    own = one.get(reverse("accounts:user", args=[first.pk])).content.decode()
    assert "Dit is uw eigen account" in own and 'value="role"' not in own
    one.post(url, {"step": "deactivate", "reason": "Uit dienst"})
    subject.refresh_from_db()
    assert not subject.is_active


# -- 2: no second-factor bypass --------------------------------------------------------------


def test_tokens_are_made_by_their_user_after_totp_and_kept_hashed(cast: dict[str, User]) -> None:
    user = cast["hr_nuo"]
    with pytest.raises(DomainError, match="tweede factor"):
        services.create_api_token(actor=user, name="koppeling", valid_days=30)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    token, key = services.create_api_token(actor=user, name="koppeling", valid_days=30)
    assert key not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert token.key_hash == services.token_hash(key) and token.prefix == key[:8]
    assert _events(AccountsEvent.API_TOKEN_CREATED)[0].changes["prefix"]["new"] == key[:8]
    api = Client(headers={"Authorization": f"Token {key}"})
    assert api.get("/api/v1/organisations").status_code == 200
    used = _events(AccountsEvent.API_TOKEN_USED)
    assert len(used) == 1 and used[0].actor == user
    # Shown once: the page lists the key by its first characters, never whole.
    page = login_client(user).get(reverse("accounts:api_tokens")).content.decode()
    assert key[:8] in page and key not in page


def test_a_burst_of_calls_records_the_key_once_a_minute(cast: dict[str, User]) -> None:
    user = cast["hr_nuo"]
    key = api_key(user)
    api = Client(headers={"Authorization": f"Token {key}"})
    assert {api.get("/api/v1/organisations").status_code for _ in range(5)} == {200}
    token = ApiToken.objects.get(key_hash=services.token_hash(key))
    assert len(_events(AccountsEvent.API_TOKEN_USED)) == 1 and token.last_used_at is not None
    # A minute later the next call is recorded again, with its own time.
    earlier = token.last_used_at - services.TOKEN_USE_INTERVAL
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    assert api.get("/api/v1/organisations").status_code == 200
    token.refresh_from_db()
    assert len(_events(AccountsEvent.API_TOKEN_USED)) == 2 and token.last_used_at > earlier


def test_expired_and_revoked_tokens_are_refused_and_recorded(cast: dict[str, User]) -> None:
    user = cast["hr_nuo"]
    key = api_key(user)
    token = ApiToken.objects.get(key_hash=services.token_hash(key))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    api = Client(headers={"Authorization": f"Token {key}"})
    assert api.get("/api/v1/organisations").status_code == 401
    fresh = api_key(user)
    services.revoke_api_token(actor=user, token=ApiToken.objects.get(prefix=fresh[:8]))
    assert (
        Client(headers={"Authorization": f"Token {fresh}"}).get("/api/v1/organisations").status_code
        == 401
    )
    assert (
        Client(headers={"Authorization": "Token nonsense"}).get("/api/v1/persons").status_code
        == 401
    )
    assert len(_events(AccountsEvent.API_TOKEN_REFUSED)) == 3


def test_the_admin_shows_no_totp_secret_and_resets_it_audited(
    admins: tuple[User, User], cast: dict[str, User]
) -> None:
    first, _ = admins
    first.is_staff = first.is_superuser = True
    first.save()
    subject = cast["jobcoach_nuo"]
    device = TOTPDevice.objects.create(user=subject, name="app", confirmed=True)
    key = api_key(subject)
    client = login_client(first)
    assert client.get("/beheer/otp_totp/totpdevice/").status_code == 404
    assert device.key not in client.get(reverse("admin:index")).content.decode()
    client.post(
        reverse("accounts:user", args=[subject.pk]),
        {"step": "reset_otp", "reason": "Telefoon kwijt"},
    )
    assert not TOTPDevice.objects.filter(user=subject, name="app").exists()
    assert (
        Client(headers={"Authorization": f"Token {key}"}).get("/api/v1/organisations").status_code
        == 401
    )
    reset = _events(AccountsEvent.USER_OTP_RESET)
    assert reset[0].actor == first and reset[0].object_id == str(subject.pk)


# -- 3: reads and refusals leave a trace -------------------------------------------------------


def test_failed_logins_and_unknown_names_are_security_events(cast: dict[str, User]) -> None:
    client = Client()
    client.post(reverse("accounts:login"), {"username": "hr_nuo", "password": "fout"})
    client.post(reverse("accounts:login"), {"username": "niemand", "password": "fout"})
    assert _events(AccountsEvent.USER_LOGIN_FAILED)[0].actor == cast["hr_nuo"]
    unknown = _events(AccountsEvent.LOGIN_UNKNOWN_USER)
    assert [e.object_label for e in unknown] == ["niemand"]
    assert "fout" not in json.dumps([e.changes for e in unknown])


def test_refused_requests_on_other_peoples_records_are_recorded(cast: dict[str, User]) -> None:
    wierden = make_person(residence="GM0189")
    client = login_client(cast["client_director_almelo"])
    assert client.get(reverse("people:detail", args=[wierden.pk])).status_code == 404
    assert client.get(reverse("hr:payroll")).status_code == 403
    api = Client(headers={"Authorization": f"Token {api_key(cast['client_director_almelo'])}"})
    assert api.get(f"/api/v1/persons/{wierden.pk}").status_code == 404
    denied = _events(AuditAction.ACCESS_DENIED)
    assert [e.changes["status"] for e in denied] == [404, 403, 404]
    assert all(e.actor == cast["client_director_almelo"] for e in denied)


def test_a_search_records_every_person_it_showed(cast: dict[str, User]) -> None:
    found = [make_person(residence="GM0141", surname="Zoekmans") for _ in range(3)]
    client = login_client(cast["client_director_almelo"])
    client.post(reverse("people:search"), {"q": "zoekmans"})
    listed = {e.person_id for e in _events(AuditAction.PERSON_LISTED)}
    assert listed == {p.pk for p in found}
    assert _events(PeopleEvent.PERSON_SEARCHED)[0].changes["results"]["new"] == 3


def test_the_statistiek_file_records_each_person_in_it(cast: dict[str, User]) -> None:
    almelo = Municipality.objects.get(cbs_code="GM0141")
    person = make_person(residence="GM0141")
    make_employment(person, valid_from=timezone.localdate().replace(month=1, day=1))
    year = timezone.localdate().year
    rows = person_rows(almelo, year, 1)
    client = login_client(cast["hr_nuo"])
    response = client.get(
        reverse("hr:statistics_file"), {"gemeente": "GM0141", "halfjaar": f"{year}-1"}
    )
    assert response.status_code == 200
    events = _events(HrEvent.STATISTICS_VIEWED)
    assert {e.person_id for e in events} == {r.person_id for r in rows} and len(rows) >= 1
    # The API's file records the same, through the same helper.
    api = api_client(cast["hr_nuo"]).get(
        "/api/v1/wsw-statistics/file", {"municipality": "GM0141", "year": str(year), "half": "1"}
    )
    assert api.status_code == 200
    again = _events(HrEvent.STATISTICS_VIEWED)
    assert len(again) == 2 * len(events) and {e.person_id for e in again} == {person.pk}


# -- 4 and 5: bounded uploads, no 500 for a locked database ----------------------------------


def test_an_oversize_or_too_long_upload_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("werkregie.core.tables.MAX_FILE_BYTES", 1000)
    with pytest.raises(FieldError, match=r"de grens is 0 MB"):
        read_table("medewerkers.csv", b"a;b\n" * 400)
    monkeypatch.undo()
    with pytest.raises(FieldError, match=r"meer dan 200\.000 rijen"):
        read_table("medewerkers.csv", b"a\n" * (MAX_ROWS + 5))


def test_an_xlsx_that_unpacks_too_far_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for _ in range(2000):
        sheet.append(["x" * 50] * 5)
    buffer = io.BytesIO()
    workbook.save(buffer)
    monkeypatch.setattr("werkregie.core.tables.MAX_XLSX_UNPACKED_BYTES", 100_000)
    with pytest.raises(FieldError, match="pakt uit tot"):
        read_table("medewerkers.xlsx", buffer.getvalue())


def test_a_locked_database_is_a_dutch_503_not_a_500(cast: dict[str, User]) -> None:
    request = RequestFactory().post("/api/v1/indexation-runs/1/approve")
    request.user = cast["hr_nuo"]
    middleware = SecurityMiddleware(lambda r: None)  # type: ignore[arg-type, return-value]
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response is not None and response.status_code == 503
    assert "probeer het over een ogenblik opnieuw" in response.content.decode()


# -- 6: the transition role ends ---------------------------------------------------------------


def test_the_transition_role_sees_persons_only_for_a_period_after_execution(
    cast: dict[str, User], settings: Any
) -> None:
    from werkregie.core import audit

    manager = cast["transition_manager"]
    person = make_person(residence="GM0141")
    assert Person.objects.visible_to(manager).filter(pk=person.pk).exists()
    audit.record_event(
        actor=manager, action=AuditAction.TRANSITION_EXECUTED, object_type="transition.plan"
    )
    settings.WERKREGIE_TRANSITION_PERSONAL_DATA_DAYS = 90
    assert Person.objects.visible_to(manager).exists()
    settings.WERKREGIE_TRANSITION_PERSONAL_DATA_DAYS = -1
    assert not Person.objects.visible_to(manager).exists()
    assert login_client(manager).get(reverse("people:detail", args=[person.pk])).status_code == 404


# -- low ----------------------------------------------------------------------------------------


def test_pages_for_logged_in_users_are_not_cached(cast: dict[str, User]) -> None:
    person = make_person(residence="GM0141")
    response = login_client(cast["hr_nuo"]).get(reverse("people:detail", args=[person.pk]))
    assert response["Cache-Control"] == "no-store"


def test_passwords_need_twelve_characters_unlike_the_username(cast: dict[str, User]) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = cast["hr_nuo"]
    user.email = "hanneke.salaris@nuo.nl"
    for weak in ("kort-123", "hanneke.salaris", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("paarse-olifant-dans", user)


def test_deeply_nested_json_is_a_400(cast: dict[str, User]) -> None:
    api = Client(headers={"Authorization": f"Token {api_key(cast['hr_nuo'])}"})
    body = "[" * 5000 + "]" * 5000
    response = api.post("/api/v1/persons/search", body, content_type="application/json")
    assert response.status_code == 400 and "te diep genest" in response.json()["detail"]


def test_a_pseudonymised_profile_carries_no_person_id(cast: dict[str, User]) -> None:
    person = make_person(residence="GM0141")
    profile = make_profile(person)
    api = Client(headers={"Authorization": f"Token {api_key(cast['employer_adviser'])}"})
    data = api.get(f"/api/v1/candidate-profiles/{profile.pk}").json()
    assert data["person"] is None and data["name"] is None
    assert str(person.pk) != data["reference"]


# -- retention and tamper evidence -------------------------------------------------------------


def test_the_audit_chain_finds_an_event_changed_or_removed_behind_the_apps_back(
    cast: dict[str, User],
) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection

    from werkregie.core import audit_chain

    for _ in range(3):
        make_person(residence="GM0141", actor=cast["hr_nuo"])
    later = timezone.now() + timedelta(hours=1)
    assert audit_chain.seal(now=later) is not None
    assert audit_chain.verify().ok
    victim = AuditEvent.objects.order_by("id")[1]
    # The database refuses an UPDATE (trigger) but a DBA could still remove a row.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [victim.pk])
    result = audit_chain.verify()
    assert not result.ok and "wijkt af" in result.problems[0]
    with pytest.raises(CommandError, match="niet intact"):
        call_command("audit_verify", "--no-seal")


def test_retention_erases_who_is_no_longer_needed_and_old_sealed_audit(
    cast: dict[str, User], settings: Any
) -> None:
    from datetime import date

    from django.core.management import call_command

    from werkregie.client_direction.services import register_client
    from werkregie.core import audit_chain
    from werkregie.people.retention import ERASED, expired_persons

    gone = make_person(residence="GM0141", surname="Vertrokken", bsn="111222333")
    make_employment(gone, valid_from=date(2000, 1, 1), valid_to=date(2010, 12, 31))
    working = make_person(residence="GM0141", surname="Werkend")
    make_employment(working, valid_from=date(2000, 1, 1))
    client = make_person(residence="GM0141", surname="Client")
    register_client(
        actor=None,
        person=client,
        client_owner=Organisation.objects.get(code="gemeente-almelo"),
        kind="participatiewet",
        registered_on=timezone.localdate(),
    )
    Person.objects.filter(pk__in=[gone.pk, working.pk, client.pk]).update(
        created_at=timezone.now() - timedelta(days=4000)
    )
    cutoff = timezone.localdate() - timedelta(days=settings.WERKREGIE_PERSONAL_DATA_RETENTION_DAYS)
    assert set(expired_persons(cutoff)) == {gone}
    settings.WERKREGIE_AUDIT_RETENTION_DAYS = 0
    audit_chain.seal(now=timezone.now() + timedelta(hours=1))
    call_command("retention")
    gone.refresh_from_db()
    assert (gone.surname, gone.bsn, gone.birth_date.month) == (ERASED, None, 1)
    working.refresh_from_db()
    assert working.surname == "Werkend"
    erased = AuditEvent.objects.get(action=PeopleEvent.PERSON_ERASED)
    assert erased.person_id == gone.pk and "Vertrokken" not in json.dumps(erased.changes)
    assert audit_chain.verify().ok


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_get_a_wait_or_a_dutch_refusal_never_a_500(
    cast: dict[str, User],
) -> None:
    """Issue 20, finding 5, with two real writers: one holds the write lock in another
    thread while a second writes through the application."""
    import threading

    from django.db import connection, connections, transaction

    # SQLite locks the whole database: the second writer waits, then gets the Dutch 503.
    # PostgreSQL locks rows: a write that touches no locked row just goes through.
    sqlite = connection.vendor == "sqlite"
    holding, release = threading.Event(), threading.Event()
    client = login_client(cast["hr_nuo"])
    almelo = Municipality.objects.get(cbs_code="GM0141").pk

    def first_writer() -> None:
        with transaction.atomic():
            make_person(residence="GM0141", surname="Eerste")
            holding.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=first_writer)
    thread.start()
    try:
        assert holding.wait(10)
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 200")
        response = client.post(
            reverse("people:create"),
            {"surname": "Tweede", "birth_date": "01-01-1980", "sex": "M",
             "residence_municipality": almelo},
        )  # fmt: skip
        if sqlite:
            assert response.status_code == 503
            assert "probeer het over een ogenblik opnieuw" in response.content.decode()
        else:
            assert response.status_code == 302
    finally:
        release.set()
        thread.join()
    assert Person.objects.filter(surname="Tweede").exists() is not sqlite
    assert Person.objects.filter(surname="Eerste").exists()
