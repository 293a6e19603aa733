from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.client_direction.services import close_ended_orders
from werkregie.demo.accounts import DEMO_PASSWORD, create_demo_users
from werkregie.demo.client_direction import place_demo_orders, register_demo_clients
from werkregie.demo.employer_services import load_demo_employer_services
from werkregie.demo.hr import load_demo_hr
from werkregie.demo.people import load_clients
from werkregie.demo.planning import load_demo_planning
from werkregie.demo.secondments import load_demo_secondments
from werkregie.demo.transition import run_demo_transition
from werkregie.transition.models import TransitionPlan

SCALE, SEED = "region", 2021


class Command(BaseCommand):
    help = (
        "Regio, demogebruikers en demodata (regioschaal): de transitie wordt echt uitgevoerd. "
        "Veilig om vaker te draaien."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_region", stdout=self.stdout)
        call_command("load_catalogue", stdout=self.stdout)
        call_command("load_issuers", stdout=self.stdout)
        call_command("load_wage_tables", stdout=self.stdout)
        users = create_demo_users()
        if TransitionPlan.objects.filter(status=TransitionPlan.Status.EXECUTED).exists():
            self.stdout.write("De transitie is al uitgevoerd; demodata staat er al.")
        else:
            result = run_demo_transition(
                manager=User.objects.get(username="transitiemanager"),
                secretary=User.objects.get(username="secretaris.wierden"),
                scale=SCALE,
                seed=SEED,
            )
            clients = load_clients(scale=SCALE, seed=SEED)
            in_regie = register_demo_clients(
                scale=SCALE, seed=SEED, actor=User.objects.get(username="klantregisseur.almelo")
            )
            today = timezone.localdate()
            closed = close_ended_orders(actor=None, today=today)
            orders = place_demo_orders(today=today, seed=SEED)
            employer_demo = load_demo_employer_services()
            secondment_demo = load_demo_secondments()
            hr_demo = load_demo_hr()
            planning_demo = load_demo_planning()
            self.stdout.write(
                f"Transitie uitgevoerd: {result.employees} medewerkers geïmporteerd, "
                f"{result.decided} signalen besloten, plan {result.plan.pk} goedgekeurd door "
                f"secretaris.wierden en uitgevoerd per {result.plan.effective_date:%d-%m-%Y}; "
                f"{clients} cliënten toegevoegd, van wie {in_regie} in regie; "
                f"{closed} overgenomen trajecten afgelopen op hun einddatum; "
                f"{sum(orders.values())} demo-opdrachten geplaatst; "
                f"{employer_demo.get('employers', 0)} werkgevers, "
                f"{employer_demo.get('vacancies', 0)} vacatures en "
                f"{employer_demo.get('profiles', 0)} kandidaatprofielen; "
                f"{secondment_demo.get('secondments', 0)} detacheringen met uren, "
                f"{secondment_demo.get('sent', 0)} facturen verzonden; "
                f"{hr_demo.get('changes', 0)} mutaties, {hr_demo.get('files', 0)} definitieve "
                "salarisbestanden van september 2026 en een indexatievoorstel per 1 juli 2026 "
                "(goed te keuren door hr2.nuo); "
                f"{planning_demo.get('agreements', 0)} prestatieafspraken 2026 (die van Wierden "
                "nog in concept voor controller.wierden), twee scenario's en de roadmap uit de "
                "contourennotitie."
            )
        self.stdout.write(f"\nDemogebruikers (wachtwoord voor allen: {DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<24} {user.role.label} — {user.organisation}")
        if not settings.WERKREGIE_DEMO:
            self.stdout.write(
                "Let op: WERKREGIE_DEMO staat uit, dus ook demogebruikers moeten een "
                "authenticator-app koppelen."
            )
