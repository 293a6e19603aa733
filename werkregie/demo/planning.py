"""Demo planning & control for `make run`: agreements 2026 of the six municipalities (Wierden's
still a draft, for controller.wierden to complete), two scenarios to compare, the sites'
real-estate figures, and the seeds' roadmap with its decisions."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from werkregie.accounts.models import User
from werkregie.client_direction.models import Product
from werkregie.organisations.models import Municipality, Organisation, Site
from werkregie.planning import realisation, services
from werkregie.planning.models import AgreementTarget, PerformanceAgreement, Scenario
from werkregie.planning.realisation import Period

YEAR = 2026
LOCAL = {"GM0163": "multipack-nijverdal", "GM1742": "de-sterkerij"}
# Per municipality: outflow goal and sheltered places (the quotum; Almelo's is DOMAIN.md's).
FIGURES = {
    "GM0141": (6, 52),
    "GM1700": (2, 18),
    "GM0183": (1, 10),
    "GM0189": (2, 12),
    "GM0163": (2, 15),
    "GM1742": (2, 14),
}
SITE_FIGURES = {
    "almelo-hoofdlocatie": ("640000", "5200000"),
    "almelo-groen": ("95000", "850000"),
    "vriezenveen": ("120000", "1100000"),
    "nijverdal": ("180000", "1600000"),
    "rijssen": ("170000", "1500000"),
}


def _hundreds(amount: Decimal) -> Decimal:
    return (amount / 100).quantize(Decimal(1)) * 100


@transaction.atomic
def load_demo_planning() -> dict[str, int]:
    created = services.load_roadmap()
    if PerformanceAgreement.objects.exists():
        return {"agreements": 0, **created}
    actor = User.objects.filter(username="bestuur.nuo").first()
    indicators = AgreementTarget.Indicator
    count = 0
    year = Period(YEAR, 4)
    for code, (outflow, places) in FIGURES.items():
        municipality = Municipality.objects.get(cbs_code=code)
        provider = Organisation.objects.get(code=LOCAL.get(code, "nuo"))
        # Targets near what the demo's own orders deliver, so the report reads like a year
        # that is mostly on course.
        deliveries = realisation.product_deliveries(municipality, provider, year)
        products = list(
            Product.objects.active_on(date(YEAR, 1, 1))
            .filter(provider=provider)
            .order_by("name")[:4]
        )
        budgets = {
            p.pk: _hundreds(max(Decimal(5000), deliveries.get(p.pk, (0, Decimal(0)))[1] * 11 / 10))
            for p in products
        }
        agreement = services.save_agreement(
            actor=actor,
            municipality=municipality,
            provider=provider,
            year=YEAR,
            budget=sum(budgets.values(), Decimal(0)) * Decimal("1.25"),
            mandate="Uitvoering beschut werk, training en begeleiding binnen het kader van de "
            "programmabegroting; bijsturen na elke tussenrapportage.",
            status=PerformanceAgreement.Status.DRAFT,
        )
        for product in products:
            services.save_target(
                actor=actor,
                agreement=agreement,
                indicator=indicators.PRODUCT_VOLUME,
                product=product,
                target=Decimal(max(2, deliveries.get(product.pk, (0, 0))[0] + 1)),
                budget=budgets[product.pk],
            )
        work_years = realisation.wsw_work_years(municipality, year.first, year.last)
        revenue = realisation.secondment_revenue(municipality, year)
        for indicator, target in (
            (indicators.OUTFLOW_REGULAR_WORK, Decimal(outflow)),
            (indicators.SHELTERED_PLACES, Decimal(places)),
            (indicators.WSW_WORK_YEARS, Decimal(round(work_years))),
            (indicators.SECONDMENT_REVENUE, max(Decimal(10000), revenue.quantize(Decimal(1000)))),
        ):
            services.save_target(
                actor=actor,
                agreement=agreement,
                indicator=indicator,
                product=None,
                target=target,
            )
        if code != "GM0189":
            services.save_agreement(
                actor=actor, agreement=agreement, status=PerformanceAgreement.Status.AGREED
            )
        count += 1
    common: dict[str, Any] = {
        "until_year": 2040,
        "indexation_pct": Decimal("2.50"),
        "contribution_growth_pct": Decimal("1.50"),
        "overhead_per_work_year": Decimal("6500.00"),
        "fixed_costs_per_organisation": Decimal("750000.00"),
    }
    if not Scenario.objects.exists():
        services.save_scenario(
            actor=actor,
            name="Akkoord: NUO en lokaal beschut werk",
            execution_model=Scenario.ExecutionModel.SPLIT,
            description="De verdeling uit het akkoord van 2020.",
            **common,
        )
        services.save_scenario(
            actor=actor,
            name="Eén organisatie voor zes gemeenten",
            execution_model=Scenario.ExecutionModel.JOINT,
            description="Ter vergelijking: de infrastructuur van Soweco behouden.",
            **common,
        )
    for code, (cost, value) in SITE_FIGURES.items():
        site = Site.objects.filter(code=code).first()
        if site is not None:
            services.save_site_cost(
                actor=actor,
                site=site,
                yearly_cost=Decimal(cost),
                book_value=Decimal(value),
                m2_per_workplace=Decimal(25),
                note="",
            )
    return {"agreements": count, **created}
