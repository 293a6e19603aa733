from typing import TypedDict

from django.http import HttpRequest
from django.urls import reverse

from werkregie.core.access import Action, has_permission, role_of


class NavItem(TypedDict):
    label: str
    url: str
    name: str


_MENU: list[tuple[str, str, Action | None]] = [
    ("Start", "home", None),
    ("Personen", "people:list", Action.PERSON_VIEW),
    ("Regio en organisaties", "organisations:chart", Action.REGION_VIEW),
    ("Cliënten", "client_direction:clients", Action.CLIENT_VIEW),
    ("Opdrachten", "client_direction:orders", Action.ORDER_VIEW),
    ("Maandoverzicht", "client_direction:statement", Action.STATEMENT_VIEW),
    ("Producten", "client_direction:catalogue", Action.CATALOGUE_VIEW),
    ("Werkgevers", "employer_services:employers", Action.EMPLOYER_VIEW),
    ("Vacatures", "employer_services:vacancies", Action.EMPLOYER_VIEW),
    ("Kandidaten", "employer_services:profiles", Action.CANDIDATE_VIEW),
    ("Detacheringen", "secondments:contracts", Action.SECONDMENT_VIEW),
    ("Facturen", "secondments:invoices", Action.INVOICE_VIEW),
    ("Opbrengst", "secondments:revenue", Action.REVENUE_VIEW),
    ("Mutaties", "hr:changes", Action.PAYROLL_EXPORT),
    ("Indexatie", "hr:indexations", Action.INDEXATION_PREPARE),
    ("Salarisbestanden", "hr:payroll", Action.PAYROLL_EXPORT),
    ("Loonkosten", "hr:costs", Action.HR_REPORT_VIEW),
    ("Wsw-statistiek", "hr:statistics", Action.HR_REPORT_VIEW),
    ("Rijksbijdrage", "hr:contribution", Action.HR_REPORT_VIEW),
    ("Loontabellen", "hr:wage_tables", Action.WAGE_TABLE_VIEW),
    ("Prestatieafspraken", "planning:agreements", Action.PLANNING_VIEW),
    ("Rapportage", "planning:report", Action.PLANNING_VIEW),
    ("Prognose", "planning:forecast", Action.PLANNING_VIEW),
    ("Scenario's", "planning:scenarios", Action.PLANNING_VIEW),
    ("Vastgoed", "planning:real_estate", Action.PLANNING_VIEW),
    ("Roadmap", "planning:roadmap", Action.ROADMAP_VIEW),
    ("Transitieplan", "transition:plan", Action.TRANSITION_PLAN),
    ("Import", "transition:import", Action.TRANSITION_IMPORT),
    ("Goedkeuring", "transition:approval", Action.TRANSITION_APPROVE),
    ("Aansluiting", "transition:report", Action.TRANSITION_REPORT),
    ("Auditlog", "core:audit", Action.AUDIT_VIEW),
    ("Gebruikers", "accounts:users", Action.USER_MANAGE),
    ("Mijn API-sleutels", "accounts:api_tokens", None),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    """The menu for the logged-in user's role: only what the role table allows."""
    user = getattr(request, "user", None)
    role = role_of(user)
    if role is None:
        return {"nav_items": [], "user_role_label": ""}
    items: list[NavItem] = [
        {"label": label, "url": reverse(name), "name": name}
        for label, name, action in _MENU
        if action is None or has_permission(user, action)
    ]
    return {"nav_items": items, "user_role_label": role.label}
