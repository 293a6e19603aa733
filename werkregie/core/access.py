"""Roles, the role → action table, and the one question "may this user do this to this object".

Object scope (which municipality, organisation or person) is not decided here but by the
model's `visible_to(user)` QuerySet method, so the UI, the API and the templates share it.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from rest_framework.request import Request


class Role(models.TextChoices):
    CLIENT_DIRECTOR = "client_director", "Klantregisseur"
    JOB_COACH = "job_coach", "Uitvoerder / jobcoach"
    EMPLOYER_ADVISER = "employer_adviser", "Werkgeversadviseur"
    HR_PAYROLL = "hr_payroll", "HR & salarisadministratie"
    CONTROLLER = "controller", "Controller"
    BOARD = "board", "Bestuur"
    TRANSITION_MANAGER = "transition_manager", "Transitiemanager"
    FUNCTIONAL_ADMIN = "functional_admin", "Functioneel beheerder"
    MUNICIPAL_SECRETARY = "municipal_secretary", "Gemeentesecretaris (bestuur)"


class Action(models.TextChoices):
    REGION_VIEW = "region.view", "Regio en organisaties inzien"
    CATALOGUE_VIEW = "catalogue.view", "Productcatalogus en tarieven inzien"
    CLIENT_VIEW = "client.view", "Cliënten in regie inzien"
    CLIENT_CHANGE = "client.change", "Cliënten registreren, toestemmingen en beperkingen vastleggen"
    ORDER_VIEW = "order.view", "Opdrachten inzien"
    ORDER_PLACE = "order.place", "Opdrachten plaatsen en stoppen"
    ORDER_HANDLE = "order.handle", "Opdrachten uitvoeren: accepteren, starten, rapporteren"
    STATEMENT_VIEW = "statement.view", "Maandoverzichten van opdrachten inzien"
    EMPLOYER_VIEW = "employer.view", "Werkgevers, vacatures en contacthistorie inzien"
    EMPLOYER_CHANGE = "employer.change", "Werkgevers beheren: vastleggen, importeren, samenvoegen"
    EMPLOYER_CONTACT = "employer.contact", "Contactmomenten met werkgevers vastleggen"
    VACANCY_CHANGE = "vacancy.change", "Vacatures vastleggen en wijzigen"
    CANDIDATE_VIEW = "candidate.view", "Kandidaatprofielen inzien en matchen"
    CANDIDATE_CHANGE = "candidate.change", "Kandidaatprofielen en toestemmingen vastleggen"
    MATCH_RECORD = "match.record", "Uitkomsten van matches vastleggen"
    SECONDMENT_VIEW = "secondment.view", "Detacheringen inzien"
    SECONDMENT_CHANGE = "secondment.change", "Detacheringsovereenkomsten en detacheringen beheren"
    HOURS_REGISTER = "hours.register", "Gewerkte uren van gedetacheerden vastleggen"
    INVOICE_VIEW = "invoice.view", "Facturen aan inleners inzien"
    INVOICE_ISSUE = "invoice.issue", "Facturen maken, versturen en crediteren"
    REVENUE_VIEW = "revenue.view", "Opbrengst detacheringen per gemeente inzien"
    WAGE_TABLE_VIEW = "wage_table.view", "Loontabellen (WML en cao) inzien"
    INDEXATION_PREPARE = "indexation.prepare", "Indexatie van lonen voorstellen"
    INDEXATION_APPROVE = "indexation.approve", "Indexatie van lonen goedkeuren en doorvoeren"
    PAYROLL_EXPORT = "payroll.export", "Salarisbestanden per werkgever maken"
    HR_REPORT_VIEW = "hr_report.view", "Loonkosten, Wsw-statistiek en rijksbijdrage inzien"
    EMPLOYER_CHARGE_CHANGE = "employer_charge.change", "Percentages werkgeverslasten vastleggen"
    STATISTICS_DELIVER = "statistics.deliver", "Wsw-statistiek per persoon maken en aanleveren"
    PLANNING_VIEW = (
        "planning.view",
        ("Prestatieafspraken, rapportages, prognose, scenario's en vastgoedplan inzien"),
    )
    AGREEMENT_CHANGE = "agreement.change", "Prestatieafspraken vastleggen en vaststellen"
    SCENARIO_CHANGE = "scenario.change", "Scenario's en hun aannames vastleggen"
    REAL_ESTATE_CHANGE = "real_estate.change", "Kosten en boekwaarde van locaties vastleggen"
    ROADMAP_VIEW = "roadmap.view", "Roadmap en besluitvorming inzien"
    ROADMAP_CHANGE = "roadmap.change", "Roadmap, besluiten en documenten vastleggen"
    PERSON_VIEW = "person.view", "Personen inzien"
    PERSON_CREATE = "person.create", "Personen registreren"
    PERSON_CHANGE = "person.change", "Persoonsgegevens wijzigen"
    EMPLOYMENT_CHANGE = "employment.change", "Dienstverbanden wijzigen"
    AUDIT_VIEW = "audit.view", "Auditlog inzien"
    JOB_VIEW = "job.view", "Eigen taken op de achtergrond en hun voortgang inzien"
    USER_MANAGE = "user.manage", "Gebruikers beheren: rol, organisatie, tweede factor"
    TRANSITION_IMPORT = "transition.import", "Personeelsbestand importeren"
    TRANSITION_PLAN = "transition.plan", "Transitieplan maken en signalen afhandelen"
    TRANSITION_APPROVE = "transition.approve", "Transitieplan goedkeuren"
    TRANSITION_EXECUTE = "transition.execute", "Transitieplan uitvoeren"
    TRANSITION_REPORT = "transition.report", "Transitierapportage inzien"


_EVERYONE = frozenset(
    {Action.REGION_VIEW, Action.CATALOGUE_VIEW, Action.ROADMAP_VIEW, Action.JOB_VIEW}
)

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.CLIENT_DIRECTOR: _EVERYONE
    | {
        Action.PERSON_VIEW,
        Action.PERSON_CREATE,
        Action.PERSON_CHANGE,
        Action.CLIENT_VIEW,
        Action.CLIENT_CHANGE,
        Action.ORDER_VIEW,
        Action.ORDER_PLACE,
        Action.STATEMENT_VIEW,
        Action.EMPLOYER_VIEW,
        Action.EMPLOYER_CONTACT,
        Action.CANDIDATE_VIEW,
        Action.CANDIDATE_CHANGE,
        Action.MATCH_RECORD,
    },
    Role.JOB_COACH: _EVERYONE
    | {
        Action.PERSON_VIEW,
        Action.ORDER_VIEW,
        Action.ORDER_HANDLE,
        Action.STATEMENT_VIEW,
        Action.EMPLOYER_VIEW,
        Action.EMPLOYER_CONTACT,
        Action.CANDIDATE_VIEW,
        Action.CANDIDATE_CHANGE,
        Action.MATCH_RECORD,
        Action.SECONDMENT_VIEW,
        Action.HOURS_REGISTER,
    },
    # Employer services: one employer approach of the NUO and the werkpleinen (DOMAIN.md).
    Role.EMPLOYER_ADVISER: _EVERYONE
    | {
        Action.EMPLOYER_VIEW,
        Action.EMPLOYER_CHANGE,
        Action.EMPLOYER_CONTACT,
        Action.VACANCY_CHANGE,
        Action.CANDIDATE_VIEW,
        Action.MATCH_RECORD,
        Action.SECONDMENT_VIEW,
        Action.SECONDMENT_CHANGE,
        Action.INVOICE_VIEW,
    },
    Role.HR_PAYROLL: _EVERYONE
    | {
        Action.PERSON_VIEW,
        Action.PERSON_CREATE,
        Action.PERSON_CHANGE,
        Action.EMPLOYMENT_CHANGE,
        Action.SECONDMENT_VIEW,
        Action.SECONDMENT_CHANGE,
        Action.HOURS_REGISTER,
        Action.INVOICE_VIEW,
        Action.INVOICE_ISSUE,
        Action.REVENUE_VIEW,
        Action.WAGE_TABLE_VIEW,
        Action.INDEXATION_PREPARE,
        Action.INDEXATION_APPROVE,
        Action.PAYROLL_EXPORT,
        Action.HR_REPORT_VIEW,
        Action.EMPLOYER_CHARGE_CHANGE,
        Action.STATISTICS_DELIVER,
    },
    # Aggregates only: secondment revenue, wage costs, statistiek totals, rijksbijdrage, and
    # planning & control (agreements of their municipality, reports, forecast, scenarios).
    Role.CONTROLLER: _EVERYONE
    | {
        Action.REVENUE_VIEW,
        Action.WAGE_TABLE_VIEW,
        Action.HR_REPORT_VIEW,
        Action.PLANNING_VIEW,
        Action.AGREEMENT_CHANGE,
        Action.SCENARIO_CHANGE,
    },
    Role.BOARD: _EVERYONE
    | {
        Action.REVENUE_VIEW,
        Action.WAGE_TABLE_VIEW,
        Action.HR_REPORT_VIEW,
        Action.PLANNING_VIEW,
        Action.SCENARIO_CHANGE,
        Action.REAL_ESTATE_CHANGE,
    },
    Role.TRANSITION_MANAGER: _EVERYONE
    | {
        Action.PERSON_VIEW,
        Action.TRANSITION_IMPORT,
        Action.TRANSITION_PLAN,
        Action.TRANSITION_EXECUTE,
        Action.TRANSITION_REPORT,
        Action.PLANNING_VIEW,
        Action.SCENARIO_CHANGE,
        Action.REAL_ESTATE_CHANGE,
        Action.ROADMAP_CHANGE,
    },
    Role.FUNCTIONAL_ADMIN: _EVERYONE | {Action.AUDIT_VIEW, Action.USER_MANAGE},
    Role.MUNICIPAL_SECRETARY: _EVERYONE
    | {
        Action.TRANSITION_APPROVE,
        Action.TRANSITION_REPORT,
        Action.PLANNING_VIEW,
        Action.ROADMAP_CHANGE,
    },
}


# Actions that show persons' personal data: a role with any of them is granted only with a
# second administrator's approval (accounts.services.request_role_change).
PERSONAL_DATA_ACTIONS = frozenset(
    {
        Action.PERSON_VIEW,
        Action.CLIENT_VIEW,
        Action.CANDIDATE_VIEW,
        Action.STATISTICS_DELIVER,
        Action.PAYROLL_EXPORT,
        Action.TRANSITION_PLAN,
    }
)


# Who asks. core sits below accounts, so it knows the user model only as Django's base
# class; the apps above accounts take accounts.models.User.
AnyUser = AbstractBaseUser | AnonymousUser


def requester(request: HttpRequest | Request) -> AbstractBaseUser:
    """The signed-in user of a request, for core's own screens and API (the apps above
    accounts use accounts.access.signed_in, which gives their User). Every one of them
    requires a login, so an anonymous user here is a bug and fails loudly."""
    user = request.user
    assert isinstance(user, AbstractBaseUser), "a request without a signed-in user"
    return user


def role_of(user: AnyUser | None) -> Role | None:
    """The user's role, or None for anonymous and inactive users."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:
        return None
    raw = getattr(user, "role", "")
    return Role(raw) if raw in Role.values else None


def has_permission(user: AnyUser | None, action: Action | str) -> bool:
    """Whether the user's role allows this action at all, on any object."""
    role = role_of(user)
    return role is not None and Action(action) in PERMISSIONS[role]


def can(user: AnyUser | None, action: Action | str, obj: models.Model | None = None) -> bool:
    """May `user` do `action` to `obj`? Role table first, then the model's visible_to scope."""
    if not has_permission(user, action):
        return False
    if obj is None:
        return True
    manager = type(obj)._default_manager
    visible_to = getattr(manager, "visible_to", None)
    if visible_to is None:
        return True
    scoped: QuerySet[Any] = visible_to(user)
    return scoped.filter(pk=obj.pk).exists()


def require(user: AnyUser | None, action: Action | str, message: str = "") -> None:
    """For views without an object: raise PermissionDenied (403) when the role lacks `action`."""
    if not has_permission(user, action):
        raise PermissionDenied(message or "Uw rol heeft geen toegang tot deze pagina.")


# -- need to know per field (issue 16) ----------------------------------------------------
# Who sees which field of a model, wherever it is shown: the screens, the API, the exports.
# A field not listed is shown to no one: a new field is absent until someone decides here.
_PERSON_READERS = frozenset(
    role for role, actions in PERMISSIONS.items() if Action.PERSON_VIEW in actions
)
# Wages belong to HR (the person's own employer's payroll; its rows are scoped by visible_to).
_WAGE_READERS = frozenset({Role.HR_PAYROLL})

FIELD_RULES: dict[str, dict[str, frozenset[Role]]] = {
    "people.employment": {
        **dict.fromkeys(
            [
                "id",
                "person",
                "kind",
                "employer",
                "indication",
                "work_form",
                "collective_agreement",
                "hours_per_week",
                "job_title",
                "team",
                "site",
                "work_municipality",
                "valid_from",
                "valid_to",
            ],
            _PERSON_READERS,
        ),
        **dict.fromkeys(["scale", "step", "gross_monthly_wage"], _WAGE_READERS),
    },
}


def sees_field(user: AnyUser | None, model: str, field: str) -> bool:
    """May `user` see `field` of `model` ("app_label.modelname")? Unlisted: no."""
    role = role_of(user)
    return role is not None and role in FIELD_RULES.get(model, {}).get(field, frozenset())


def field_view(user: AnyUser | None) -> frozenset[tuple[str, str]]:
    """Every (model, field) of FIELD_RULES the user may see: users with the same view see the
    same fields everywhere (the schema view builds one document per view)."""
    role = role_of(user)
    return frozenset(
        (model, field)
        for model, fields in FIELD_RULES.items()
        for field, readers in fields.items()
        if role in readers
    )


def visible_fields(user: AnyUser | None, model: str, fields: Iterable[str]) -> list[str]:
    """The fields of `fields` that `user` may see, in their order."""
    return [name for name in fields if sees_field(user, model, name)]
