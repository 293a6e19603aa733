"""Demo users: one per role, each in the organisation that role works for."""

from dataclasses import dataclass

from django.db import transaction

from werkregie.accounts.models import User
from werkregie.core.access import Role
from werkregie.organisations.models import Organisation

DEMO_PASSWORD = "demo-werkregie"  # noqa: S105 (printed demo login, useless without WERKREGIE_DEMO)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    organisation: str  # organisation code of region.yaml


DEMO_USERS = [
    DemoUser("klantregisseur.almelo", "Kim", "Regisseur", Role.CLIENT_DIRECTOR, "werkplein-almelo"),
    DemoUser(
        "klantregisseur.wierden", "Willem", "Regisseur", Role.CLIENT_DIRECTOR, "werkplein-wierden"
    ),
    DemoUser(
        "klantregisseur2.almelo", "Karim", "Regisseur", Role.CLIENT_DIRECTOR, "werkplein-almelo"
    ),
    DemoUser("jobcoach.nuo", "Joke", "Coach", Role.JOB_COACH, "nuo"),
    DemoUser("jobcoach2.nuo", "Jan", "Coach", Role.JOB_COACH, "nuo"),
    DemoUser(
        "werkgeversadviseur", "Wim", "Adviseur", Role.EMPLOYER_ADVISER, "werkplein-west-twente"
    ),
    DemoUser("hr.nuo", "Hanneke", "Salaris", Role.HR_PAYROLL, "nuo"),
    DemoUser("hr2.nuo", "Hasan", "Personeelszaken", Role.HR_PAYROLL, "nuo"),
    DemoUser("controller.wierden", "Carla", "Controller", Role.CONTROLLER, "gemeente-wierden"),
    DemoUser("bestuur.nuo", "Bert", "Bestuurder", Role.BOARD, "nuo"),
    DemoUser("transitiemanager", "Tineke", "Transitie", Role.TRANSITION_MANAGER, "gemeente-almelo"),
    DemoUser("beheerder", "Bas", "Beheer", Role.FUNCTIONAL_ADMIN, "gemeente-almelo"),
    DemoUser(
        "secretaris.wierden", "Sanne", "Secretaris", Role.MUNICIPAL_SECRETARY, "gemeente-wierden"
    ),
]


@transaction.atomic
def create_demo_users() -> list[DemoUser]:
    """Create or refresh the demo users; running it again changes nothing new."""
    orgs = {
        o.code: o
        for o in Organisation.objects.filter(code__in={u.organisation for u in DEMO_USERS})
    }
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "role": spec.role,
                "organisation": orgs[spec.organisation],
                "is_demo": True,
                "is_staff": spec.role == Role.FUNCTIONAL_ADMIN,
                "is_superuser": spec.role == Role.FUNCTIONAL_ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return DEMO_USERS
