"""`make run` loads the demo through the real transition; running it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from werkregie.client_direction.models import Client
from werkregie.core.models import AuditAction, AuditEvent
from werkregie.people.models import Employment, Person
from werkregie.transition.models import LegacyEmployee, TransitionPlan
from werkregie.transition.reconciliation import reconcile


@pytest.mark.demo_setup  # on PostgreSQL: the backup drill in scripts/test.sh
def test_setup_demo_executes_the_transition_once(region: None) -> None:
    out = StringIO()
    call_command("setup_demo", stdout=out)
    plan = TransitionPlan.objects.get()
    assert plan.status == TransitionPlan.Status.EXECUTED
    assert (plan.proposed_by.username, plan.approved_by.username) == (  # type: ignore[union-attr]
        "transitiemanager",
        "secretaris.wierden",
    )
    report = reconcile(plan)
    assert report["persons_in"] == report["persons_out"] == LegacyEmployee.objects.count() > 1000
    assert report["wage_bill_in"] == report["wage_bill_out"] and report["flags_open"] == 0
    assert report["balanced"], report["differences"][:5]
    assert "Transitie uitgevoerd" in out.getvalue()
    owners = set(Client.objects.values_list("client_owner__code", flat=True))
    assert Client.objects.count() > 500 and {"uwv", "gemeente-almelo"} <= owners
    # Employer services and secondments: through the same services, from the transition on.
    from werkregie.employer_services.models import CandidateProfile, Employer, Vacancy
    from werkregie.secondments.models import Invoice, SecondmentContract

    assert Employer.objects.count() > 100 and Vacancy.objects.count() >= 30
    assert CandidateProfile.objects.shareable().exists()
    assert SecondmentContract.objects.exclude(legacy_reference="").exists()
    sent = sorted(Invoice.objects.filter(status="sent").values_list("number", flat=True))
    assert sent and sent == [f"NUO-{n:06d}" for n in range(1, len(sent) + 1)]
    assert Invoice.objects.filter(kind="credit_note").count() == 1
    assert Invoice.objects.filter(status="draft").exists()
    counts = (Person.objects.count(), Employment.objects.count())

    again = StringIO()
    call_command("setup_demo", stdout=again)
    assert "al uitgevoerd" in again.getvalue()
    assert (Person.objects.count(), Employment.objects.count()) == counts
    assert Client.objects.count() > 500
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION_EXECUTED).count() == 1
