from collections.abc import Callable
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from werkregie.accounts.models import User
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditAction, AuditEvent
from werkregie.organisations.models import Organisation
from werkregie.transition.events import TransitionEvent
from werkregie.transition.models import LegacyEmployee, PlanEntry, PlanFlag, TransitionPlan
from werkregie.transition.plan_services import check_guarantees, plan_transition, resolve_flags
from werkregie.transition.services import import_roster

Files = list[tuple[str, bytes]]
Login = Callable[[User], Client]


@pytest.fixture
def imported(cast: dict[str, User], export: Files) -> None:
    assert import_roster(files=export, actor=None).ok


def test_plan_has_every_employee_once_and_keeps_every_guarantee(
    imported: None, cast: dict[str, User]
) -> None:
    plan = plan_transition(actor=cast["transition_manager"])
    assert plan.entries.count() == LegacyEmployee.objects.count()
    assert (plan.policy_version, plan.effective_date) == ("2020.2", date(2021, 1, 1))
    report = check_guarantees(plan)
    assert report.missing == []
    flagged_missing = {
        f.entry.legacy.personnel_number
        for f in PlanFlag.objects.filter(code__startswith="missing").select_related("entry__legacy")
    }
    assert set(report.violations) <= flagged_missing
    assert (
        PlanFlag.objects.filter(code="staff_proposal").count()
        == LegacyEmployee.objects.filter(contract_kind="staf").count()
    )
    assert AuditEvent.objects.filter(action=TransitionEvent.TRANSITION_PLANNED).count() == 1


def test_effective_date_can_be_chosen_and_new_plan_supersedes_the_draft(
    imported: None, cast: dict[str, User]
) -> None:
    first = plan_transition(actor=None)
    second = plan_transition(actor=None, effective_date=date(2021, 7, 1))
    first.refresh_from_db()
    assert first.status == TransitionPlan.Status.SUPERSEDED
    assert second.effective_date == date(2021, 7, 1)


def test_planning_without_import_is_refused_in_dutch(cast: dict[str, User]) -> None:
    with pytest.raises(DomainError, match="personeelsbestand"):
        plan_transition(actor=None)


def test_resolving_needs_a_reason_and_is_audited_with_the_change(
    imported: None, cast: dict[str, User]
) -> None:
    plan_transition(actor=None)
    flag = PlanFlag.objects.filter(code="staff_proposal").select_related("entry__plan").first()
    assert flag is not None
    with pytest.raises(DomainError, match="reden"):
        resolve_flags(actor=cast["transition_manager"], flags=[flag], decision="  ")
    wierden = Organisation.objects.get(code="gemeente-wierden")
    resolve_flags(
        actor=cast["transition_manager"],
        flags=[flag],
        decision="Op voorstel van Wierden",
        employer=wierden,
    )
    flag.refresh_from_db()
    assert flag.resolved and flag.decided_by == cast["transition_manager"]
    assert PlanEntry.objects.get(pk=flag.entry_id).employer == wierden
    event = AuditEvent.objects.get(action=TransitionEvent.PLAN_FLAG_RESOLVED)
    assert event.changes["employer"]["new"] == wierden.pk


def test_screens_make_a_plan_and_resolve_flags_in_bulk(
    imported: None, cast: dict[str, User], login: Login
) -> None:
    client = login(cast["transition_manager"])
    assert client.post(reverse("transition:plan"), {"effective_date": ""}).status_code == 302
    page = client.get(reverse("transition:plan")).content.decode()
    assert "staff_proposal" in page and "Transitieplan" in page
    # The page's 50 persons are recorded as shown (issue 15), each entry once.
    shown = AuditEvent.objects.filter(action=AuditAction.PERSON_LISTED)
    first_page = PlanEntry.objects.order_by("legacy__personnel_number")[:50]
    assert sorted(int(i) for i in shown.values_list("object_id", flat=True)) == sorted(
        e.pk for e in first_page
    )
    response = client.post(
        reverse("transition:resolve_bulk"),
        {"code": "staff_proposal", "decision": "Stafvoorstellen akkoord (AB 12-11-2020)"},
    )
    assert response.status_code == 302
    assert not PlanFlag.objects.filter(code="staff_proposal", resolved=False).exists()
    entry = PlanEntry.objects.first()
    assert entry is not None
    assert (
        "Toegepaste regels"
        in client.get(reverse("transition:entry", args=[entry.pk])).content.decode()
    )


def test_command_prints_a_summary(imported: None) -> None:
    import io

    out = io.StringIO()
    call_command("plan_transition", "--effective", "2021-01-01", stdout=out)
    assert "personen" in out.getvalue() and "signalen" in out.getvalue()


def test_person_page_shows_guarantees_and_resolves_open_flags(
    imported: None, cast: dict[str, User], login: Login
) -> None:
    plan_transition(actor=None)
    flag = PlanFlag.objects.filter(code="staff_proposal").first()
    assert flag is not None
    client = login(cast["transition_manager"])
    url = reverse("transition:entry", args=[flag.entry_id])
    page = client.get(url).content.decode()
    assert "Garanties" in page and "Besluit vastleggen" in page
    assert client.post(url, {"decision": ""}).status_code == 200
    assert client.post(url, {"decision": "Akkoord met het voorstel"}).status_code == 302
    flag.refresh_from_db()
    assert flag.resolved and flag.decision == "Akkoord met het voorstel"
    assert "Besluit vastleggen" not in client.get(url).content.decode()
