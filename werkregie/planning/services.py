"""Changes in planning & control, each validated, saved and audited: agreements and their
targets, scenarios, real-estate figures, the roadmap, decisions and their documents."""

import datetime as dt
import hashlib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict, Unpack

import yaml
from django.db import transaction

from werkregie.accounts.models import User
from werkregie.client_direction.models import Product
from werkregie.core import audit
from werkregie.core.errors import DomainError
from werkregie.organisations.models import Municipality, Organisation, Site
from werkregie.planning.events import PlanningEvent
from werkregie.planning.models import (
    Activity,
    AgreementTarget,
    Decision,
    DecisionDocument,
    PerformanceAgreement,
    Scenario,
    SiteCost,
)

AGREEMENT_FIELDS = ["municipality", "provider", "year", "budget", "mandate", "status"]
TARGET_FIELDS = ["agreement", "indicator", "product", "target", "budget"]
SCENARIO_FIELDS = [
    "name",
    "execution_model",
    "description",
    "until_year",
    "indexation_pct",
    "contribution_growth_pct",
    "overhead_per_work_year",
    "fixed_costs_per_organisation",
    "hazard_factor",
]
SITE_COST_FIELDS = ["site", "yearly_cost", "book_value", "m2_per_workplace", "note"]
ACTIVITY_FIELDS = ["what", "who", "date", "time", "place", "status", "source"]
DECISION_FIELDS = ["body", "municipality", "kind", "subject", "date", "outcome", "activity", "note"]
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
}
CENT = Decimal("0.01")
ROADMAP_FILE = Path(__file__).parent / "data" / "roadmap.yaml"


# What the screens, the API and the demo data may set (the rest is the service's own).
class PerformanceAgreementFields(TypedDict, total=False):
    municipality: Municipality
    provider: Organisation
    year: int
    budget: Decimal
    mandate: str
    status: str


class ScenarioFields(TypedDict, total=False):
    name: str
    execution_model: str
    description: str
    until_year: int
    indexation_pct: Decimal
    contribution_growth_pct: Decimal
    overhead_per_work_year: Decimal
    fixed_costs_per_organisation: Decimal
    hazard_factor: Decimal


class SiteCostFields(TypedDict, total=False):
    yearly_cost: Decimal
    book_value: Decimal
    m2_per_workplace: Decimal
    note: str


class ActivityFields(TypedDict, total=False):
    what: str
    who: str
    date: dt.date
    time: str
    place: str
    status: str
    source: str


class DecisionFields(TypedDict, total=False):
    body: str
    municipality: Municipality | None
    kind: str
    subject: str
    date: dt.date
    outcome: str
    activity: Activity | None
    note: str


def _set(obj: Any, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


@transaction.atomic
def save_agreement(
    *,
    actor: User | None,
    agreement: PerformanceAgreement | None = None,
    **values: Unpack[PerformanceAgreementFields],
) -> PerformanceAgreement:
    """Create or change an agreement. A vastgestelde agreement keeps its figures."""
    if (
        agreement is not None
        and agreement.status == PerformanceAgreement.Status.AGREED
        and any(getattr(agreement, k) != v for k, v in values.items() if k != "status")
    ):
        raise DomainError("Een vastgestelde prestatieafspraak wijzigt niet meer.")
    old = audit.snapshot(agreement, AGREEMENT_FIELDS) if agreement else {}
    agreement = agreement or PerformanceAgreement(created_by=actor)
    _set(agreement, values)
    if (
        PerformanceAgreement.objects.filter(
            municipality=agreement.municipality, provider=agreement.provider, year=agreement.year
        )
        .exclude(pk=agreement.pk)
        .exists()
    ):
        raise DomainError(
            f"Er is al een prestatieafspraak {agreement.year} van {agreement.municipality} "
            f"met {agreement.provider}.",
            field="year",
        )
    return audit.save_audited(
        actor, PlanningEvent.AGREEMENT_SAVED, agreement, AGREEMENT_FIELDS, old
    )


@transaction.atomic
def save_target(
    *,
    actor: User | None,
    agreement: PerformanceAgreement,
    indicator: str,
    product: Product | None,
    target: Decimal,
    budget: Decimal | None = None,
) -> AgreementTarget:
    """Set one agreed figure (the same indicator and product again: changed)."""
    if agreement.status == PerformanceAgreement.Status.AGREED:
        raise DomainError("Een vastgestelde prestatieafspraak wijzigt niet meer.")
    volume = indicator == AgreementTarget.Indicator.PRODUCT_VOLUME
    if volume and product is None:
        raise DomainError("Kies het product van deze afspraak.", field="product")
    if not volume:
        product = None
    if product is not None and product.provider_id != agreement.provider_id:
        raise DomainError(
            f"{product.name} is geen product van {agreement.provider}.", field="product"
        )
    existing = AgreementTarget.objects.filter(
        agreement=agreement, indicator=indicator, product=product
    ).first()
    old = audit.snapshot(existing, TARGET_FIELDS) if existing else {}
    row = existing or AgreementTarget(agreement=agreement, indicator=indicator, product=product)
    row.target, row.budget = target, budget if volume else None
    return audit.save_audited(actor, PlanningEvent.AGREEMENT_SAVED, row, TARGET_FIELDS, old)


@transaction.atomic
def remove_target(*, actor: User | None, target: AgreementTarget) -> None:
    if target.agreement.status == PerformanceAgreement.Status.AGREED:
        raise DomainError("Een vastgestelde prestatieafspraak wijzigt niet meer.")
    audit.record_change(
        actor=actor,
        action=PlanningEvent.AGREEMENT_SAVED,
        obj=target.agreement,
        changes={"target_removed": {"old": str(target), "new": None}},
    )
    target.delete()


@transaction.atomic
def save_scenario(
    *, actor: User | None, scenario: Scenario | None = None, **values: Unpack[ScenarioFields]
) -> Scenario:
    old = audit.snapshot(scenario, SCENARIO_FIELDS) if scenario else {}
    same_name = Scenario.objects.filter(name=values.get("name", scenario.name if scenario else ""))
    if same_name.exclude(pk=scenario.pk).exists() if scenario else same_name.exists():
        raise DomainError(f"Er is al een scenario {values.get('name')!r}.", field="name")
    scenario = scenario or Scenario(created_by=actor)
    _set(scenario, values)
    return audit.save_audited(actor, PlanningEvent.SCENARIO_SAVED, scenario, SCENARIO_FIELDS, old)


@transaction.atomic
def save_site_cost(*, actor: User | None, site: Site, **values: Unpack[SiteCostFields]) -> SiteCost:
    existing = SiteCost.objects.filter(site=site).first()
    old = audit.snapshot(existing, SITE_COST_FIELDS) if existing else {}
    cost = existing or SiteCost(site=site)
    _set(cost, values)
    return audit.save_audited(actor, PlanningEvent.REAL_ESTATE_SAVED, cost, SITE_COST_FIELDS, old)


@transaction.atomic
def save_activity(
    *, actor: User | None, activity: Activity | None = None, **values: Unpack[ActivityFields]
) -> Activity:
    old = audit.snapshot(activity, ACTIVITY_FIELDS) if activity else {}
    activity = activity or Activity()
    _set(activity, values)
    if (
        Activity.objects.filter(what=activity.what, date=activity.date)
        .exclude(pk=activity.pk)
        .exists()
    ):
        raise DomainError("Deze activiteit staat op die datum al in de roadmap.", field="what")
    return audit.save_audited(actor, PlanningEvent.ROADMAP_SAVED, activity, ACTIVITY_FIELDS, old)


@transaction.atomic
def save_decision(
    *, actor: User | None, decision: Decision | None = None, **values: Unpack[DecisionFields]
) -> Decision:
    body = values.get("body", decision.body if decision else "")
    if body in (Decision.Body.COLLEGE, Decision.Body.COUNCIL) and not values.get(
        "municipality", decision.municipality if decision else None
    ):
        raise DomainError("Bij college en raad hoort de gemeente.", field="municipality")
    old = audit.snapshot(decision, DECISION_FIELDS) if decision else {}
    decision = decision or Decision()
    _set(decision, values)
    return audit.save_audited(actor, PlanningEvent.DECISION_SAVED, decision, DECISION_FIELDS, old)


@transaction.atomic
def attach_document(
    *, actor: User | None, decision: Decision, name: str, content: bytes
) -> DecisionDocument:
    """Attach a document (pdf, docx, xlsx, odt, txt; at most 10 MB) to a decision."""
    name = Path(name).name.strip()
    suffix = Path(name).suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise DomainError(
            f"{name}: alleen {', '.join(sorted(DOCUMENT_TYPES))} kunnen worden toegevoegd.",
            field="document",
        )
    if not content:
        raise DomainError(f"{name} is leeg.", field="document")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DomainError(f"{name} is groter dan 10 MB.", field="document")
    document = DecisionDocument.objects.create(
        decision=decision,
        name=name[:200],
        content_type=DOCUMENT_TYPES[suffix],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    audit.record_change(
        actor=actor,
        action=PlanningEvent.DOCUMENT_ATTACHED,
        obj=decision,
        changes={"document": {"old": None, "new": f"{document.name} ({document.sha256[:12]})"}},
    )
    return document


@transaction.atomic
def load_roadmap(data: dict[str, Any] | None = None) -> dict[str, int]:
    """Load the seeds' roadmap and decision trail (idempotent)."""
    data = data or yaml.safe_load(ROADMAP_FILE.read_text(encoding="utf-8"))
    created = {"activities": 0, "decisions": 0}
    activities: dict[str, Activity] = {}
    for row in data["activities"]:
        activity, new = Activity.objects.get_or_create(
            what=row["what"],
            date=row["date"],
            defaults={
                "who": row.get("who", ""),
                "time": row.get("time", ""),
                "place": row.get("place", ""),
                "status": row.get("status", Activity.Status.PLANNED),
                "source": data.get("source", "")[:120],
            },
        )
        activities[activity.what] = activity
        created["activities"] += new
    for row in data["decisions"]:
        codes = row.get("municipalities") or [None]
        for code in codes:
            municipality = Municipality.objects.get(cbs_code=code) if code else None
            _, new = Decision.objects.get_or_create(
                body=row["body"],
                municipality=municipality,
                subject=row["subject"],
                date=row["date"],
                defaults={
                    "kind": row["kind"],
                    "outcome": row.get("outcome", Decision.Outcome.PENDING),
                    "activity": activities.get(row.get("activity", "")),
                    "note": row.get("note", ""),
                },
            )
            created["decisions"] += new
    return created


def providers() -> "Any":
    """The execution organisations agreements are made with: the NUO and local beschut werk."""
    return Organisation.objects.filter(
        kind__in=[Organisation.Kind.FOUNDATION, Organisation.Kind.SHELTERED_WORK]
    ).order_by("name")


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1
