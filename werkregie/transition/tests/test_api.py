"""The transition through the API, end to end: the same services and rules as the screens."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from werkregie.accounts.models import User
from werkregie.core.models import AuditEvent
from werkregie.organisations.models import Organisation
from werkregie.people.models import Employment
from werkregie.testing import api_client, finished_job
from werkregie.transition.events import TransitionEvent
from werkregie.transition.models import LegacyEmployee, PlanEntry, PlanFlag, TransitionPlan
from werkregie.transition.tests.conftest import Files


def _upload(files: Files, **extra: object) -> dict[str, object]:
    return {
        "files": [SimpleUploadedFile(name, raw) for name, raw in files],
        **extra,
    }


def _corrupt_first_bsn(files: Files) -> Files:
    out = []
    for name, raw in files:
        if name.startswith("medewerkers"):
            lines = raw.decode("utf-8-sig").split("\r\n")
            cells = lines[1].split(";")
            cells[1] = "123456789"  # fails the 11-proef
            lines[1] = ";".join(cells)
            raw = "\r\n".join(lines).encode("utf-8")
        out.append((name, raw))
    return out


def test_import_via_api_reports_every_error_and_writes_nothing(
    cast: dict[str, User], export: Files
) -> None:
    client = api_client(cast["transition_manager"])
    response = client.post(
        "/api/v1/roster-imports", _upload(_corrupt_first_bsn(export)), format="multipart"
    )
    body = finished_job(client, response)["result"]
    assert body["ok"] is False
    assert {"file": "medewerkers.csv", "row": 2, "column": "bsn"}.items() <= body["errors"][
        0
    ].items()
    assert "elfproef" in body["errors"][0]["message"]
    assert not LegacyEmployee.objects.exists()

    errors = finished_job(
        client,
        client.post(
            "/api/v1/roster-imports", _upload(_corrupt_first_bsn(export)), format="multipart"
        ),
    )
    assert errors["result"]["ok"] is False and "niets opgeslagen" in errors["message"]
    assert not LegacyEmployee.objects.exists()

    dry = client.post("/api/v1/roster-imports", _upload(export, dryRun="true"), format="multipart")
    assert finished_job(client, dry)["result"]["dryRun"] is True
    assert not LegacyEmployee.objects.exists()

    first = client.post("/api/v1/roster-imports", _upload(export), format="multipart")
    result = finished_job(client, first)["result"]
    assert result["counts"]["medewerkers"]["created"] == LegacyEmployee.objects.count() > 0
    again = client.post("/api/v1/roster-imports", _upload(export), format="multipart")
    assert finished_job(client, again)["result"]["changed"] is False
    listed = client.get("/api/v1/roster-imports").json()
    assert listed["count"] == 1 and listed["results"][0]["actor"] == "transition_manager"


def test_plan_lifecycle_via_api(cast: dict[str, User], export: Files) -> None:
    manager = api_client(cast["transition_manager"])
    secretary = api_client(cast["secretary_wierden"])
    finished_job(
        manager, manager.post("/api/v1/roster-imports", _upload(export), format="multipart")
    )
    created = manager.post("/api/v1/transition-plans", {"effectiveDate": "2021-01-01"})
    made = finished_job(manager, created)
    plan = manager.get(f"/api/v1/transition-plans/{made['result']['plan']}").json()
    assert plan["status"] == "draft" and plan["entries"] == LegacyEmployee.objects.count()
    assert plan["openFlags"] > 0
    # Nobody may end without a destination: those the rules could not place are violations
    # until the transitiemanager decides.
    undecided = PlanEntry.objects.filter(plan_id=plan["id"]).filter(
        Q(employer__isnull=True) | Q(organisation__isnull=True)
    )
    assert set(plan["guarantees"]["violations"]) == set(
        undecided.values_list("legacy__personnel_number", flat=True)
    )

    # Proposing with open flags is refused with the count, in Dutch.
    refused = manager.post(f"/api/v1/transition-plans/{plan['id']}/propose")
    assert refused.status_code == 400
    assert "signalen open" in refused.json()["nonFieldErrors"][0]

    # The list has no wage; the detail does, and is an audited read.
    flagged = manager.get(f"/api/v1/plan-entries?plan={plan['id']}&openFlags=true").json()
    row = flagged["results"][0]
    assert "grossMonthlyWage" not in row and row["openFlags"] > 0
    # Every row of the page answered is recorded as shown (issue 15), and only those.
    listed = AuditEvent.objects.filter(action="person.listed", object_type="transition.planentry")
    assert sorted(int(e) for e in listed.values_list("object_id", flat=True)) == sorted(
        r["id"] for r in flagged["results"]
    )
    detail = manager.get(f"/api/v1/plan-entries/{row['id']}").json()
    entry = PlanEntry.objects.get(pk=row["id"])
    assert detail["grossMonthlyWage"] == f"{entry.legacy.gross_monthly_wage:.2f}"
    assert detail["old"]["residence"] == entry.legacy.residence.cbs_code
    assert detail["violations"] == [] and detail["flags"]
    assert AuditEvent.objects.filter(
        action=TransitionEvent.PLAN_ENTRY_VIEWED, object_id=str(entry.pk)
    ).exists()

    # Resolve one person (a reason is required), then the rest in bulk.
    assert manager.post(f"/api/v1/plan-entries/{row['id']}/resolve", {}).status_code == 400
    one = manager.post(
        f"/api/v1/plan-entries/{row['id']}/resolve",
        {
            "decision": "Besproken met betrokkene",
            "employer": "gemeente-almelo",
            "organisation": "nuo",
        },
    )
    assert one.status_code == 200 and one.json()["resolved"] >= 1
    entry.refresh_from_db()
    assert (entry.employer_id, entry.organisation_id) == (
        Organisation.objects.get(code="gemeente-almelo").pk,
        Organisation.objects.get(code="nuo").pk,
    )
    for open_entry in PlanEntry.objects.filter(plan_id=plan["id"], employer__isnull=True):
        manager.post(
            f"/api/v1/plan-entries/{open_entry.pk}/resolve",
            {"decision": "Werkgever bepaald", "employer": "gemeente-almelo", "organisation": "nuo"},
        )
    for open_entry in PlanEntry.objects.filter(plan_id=plan["id"], organisation__isnull=True):
        manager.post(
            f"/api/v1/plan-entries/{open_entry.pk}/resolve",
            {"decision": "Organisatie bepaald", "organisation": "nuo"},
        )
    ids = list(
        PlanFlag.objects.filter(entry__plan_id=plan["id"], resolved=False).values_list(
            "pk", flat=True
        )
    )
    bulk = manager.post("/api/v1/plan-flags/resolve", {"flags": ids, "decision": "Akkoord"})
    assert bulk.status_code == 200 and bulk.json()["resolved"] == len(ids)
    stale = manager.post("/api/v1/plan-flags/resolve", {"flags": ids[:1], "decision": "Nog eens"})
    assert stale.status_code == 400 and "afgehandelde" in stale.json()["flags"][0]

    assert manager.get(f"/api/v1/transition-plans/{plan['id']}").json()["guarantees"]["ok"]
    assert manager.post(f"/api/v1/transition-plans/{plan['id']}/propose").status_code == 200
    # Four eyes: the manager cannot approve (no permission); the secretary can.
    assert manager.post(f"/api/v1/transition-plans/{plan['id']}/approve").status_code == 403
    approved = secretary.post(f"/api/v1/transition-plans/{plan['id']}/approve")
    assert approved.status_code == 200 and approved.json()["approvedBy"] == "secretary_wierden"

    executed = manager.post(f"/api/v1/transition-plans/{plan['id']}/execute")
    assert finished_job(manager, executed)["message"] == "Plan uitgevoerd."
    count = Employment.objects.count()
    again = manager.post(f"/api/v1/transition-plans/{plan['id']}/execute")
    assert again.status_code == 400 and "al uitgevoerd" in again.json()["nonFieldErrors"][0]
    assert Employment.objects.count() == count

    report = secretary.get(f"/api/v1/transition-plans/{plan['id']}/report").json()
    assert report["personsIn"] == report["personsOut"] == LegacyEmployee.objects.count()
    assert report["wageBillIn"] == report["wageBillOut"]
    assert TransitionPlan.objects.get(pk=plan["id"]).status == TransitionPlan.Status.EXECUTED
