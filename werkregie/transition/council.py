"""The council report per municipality, built from the reconciliation (no personal data)."""

from collections import Counter
from typing import Any

from werkregie.organisations.models import Municipality
from werkregie.transition.models import PlanFlag, Transfer, TransitionPlan
from werkregie.transition.reconciliation import movements, reconcile
from werkregie.transition.report_export import as_pdf


def council_pdf(plan: TransitionPlan, cbs_codes: list[str] | None = None) -> bytes:
    """One PDF with a section per municipality (all six unless `cbs_codes` narrows it)."""
    report = reconcile(plan)
    report["contracts_to_review"] = plan.transfers.filter(
        kind=Transfer.Kind.CONTRACT, needs_review=True
    ).count()
    municipalities = Municipality.objects.filter(in_region=True).order_by("name")
    if cbs_codes:
        municipalities = municipalities.filter(cbs_code__in=cbs_codes)
    sections: list[dict[str, Any]] = []
    for municipality in municipalities:
        open_flags = Counter(
            PlanFlag.objects.filter(
                entry__plan=plan,
                resolved=False,
                entry__employer__municipality=municipality,
            ).values_list("code", flat=True)
        )
        sections.append(
            {
                "name": municipality.name,
                "totals": report["by_municipality"].get(municipality.cbs_code, {}),
                "movements": movements(plan, municipality.cbs_code),
                "open_points": sorted(
                    (PlanFlag.label(code), count) for code, count in open_flags.items()
                ),
            }
        )
    report["effective_date_nl"] = f"{plan.effective_date:%d-%m-%Y}"
    report["status_label"] = plan.get_status_display()
    return as_pdf(report, sections)
