"""The transition's long operations, run as jobs with progress (core.jobs, issue 16)."""

from datetime import date

from django.urls import reverse

from werkregie.core.jobs import JobRun, Outcome, operation
from werkregie.transition.execution import execute_plan
from werkregie.transition.models import TransitionPlan
from werkregie.transition.plan_services import plan_transition
from werkregie.transition.services import check_roster, report_data, save_roster


def _import_message(data: dict[str, object]) -> str:
    if not data["ok"]:
        errors = data["errors"]
        assert isinstance(errors, list)
        count = len(errors)
        return f"{count} fout{'en' if count != 1 else ''} gevonden — er is niets opgeslagen."
    if data["dry_run"]:
        return "Controle geslaagd — niets opgeslagen."
    return "Import opgeslagen." if data["changed"] else "Geen wijzigingen: alles was al ingelezen."


@operation(title="Personeelsbestand importeren", template="transition/_import_result.html")
def import_roster(run: JobRun) -> Outcome:
    """Check every file (progress per thousand rows), then write all or nothing."""
    checked = check_roster(run.files, progress=run.progress)
    with run.atomic():
        report = save_roster(
            checked, actor=run.actor, dry_run=bool(run.params.get("dry_run")), progress=run.progress
        )
        data = report_data(report)
        return run.complete(
            Outcome(_import_message(data), result=data, url=reverse("transition:import"))
        )


@operation(title="Transitieplan maken")
def make_plan(run: JobRun) -> Outcome:
    raw = run.params.get("effective_date")
    with run.atomic():
        plan = plan_transition(
            actor=run.actor,
            effective_date=date.fromisoformat(raw) if raw else None,
            progress=run.progress,
        )
        return run.complete(
            Outcome(
                f"Nieuw transitieplan gemaakt met beleidsregels {plan.policy_version}.",
                result={"plan": plan.pk},
                url=reverse("transition:plan"),
            )
        )


@operation(title="Transitieplan uitvoeren")
def execute(run: JobRun) -> Outcome:
    plan = TransitionPlan.objects.get(pk=run.params["plan"])
    outcome = Outcome("Plan uitgevoerd.", result={"plan": plan.pk}, url=reverse("transition:plan"))
    execute_plan(
        actor=run.actor, plan=plan, progress=run.progress, finish=lambda _: run.complete(outcome)
    )
    return outcome
