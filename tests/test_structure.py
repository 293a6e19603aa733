"""The structure issue 15 asked for: screens and API (views.py, api.py, *_api.py) neither
record audit reads nor filter visibility themselves. Each app's `access.py` does both, one
place per object type (`<objects>_for(user)` for the scope, `record_…` for the read), and
core.api.RecordsListedReads records the pages of paginated API lists."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "werkregie"
READS = re.compile(r"audit\.record_(read|reads|listed|rows)\(")
VISIBILITY = re.compile(r"\.visible_to\(")

# The screen and API modules: a new one must be added here, so none escapes the check.
MODULES = {
    "accounts/views.py",
    "client_direction/api/clients.py",
    "client_direction/api/orders.py",
    "client_direction/api/products.py",
    "client_direction/api/statements.py",
    "client_direction/views.py",
    "core/job_api.py",
    "core/report_api.py",
    "core/views.py",
    "dashboard/views.py",
    "employer_services/api/employers.py",
    "employer_services/api/fields.py",
    "employer_services/api/matches.py",
    "employer_services/api/profiles.py",
    "employer_services/api/vacancies.py",
    "employer_services/views.py",
    "hr/api/changes.py",
    "hr/api/charges.py",
    "hr/api/contribution.py",
    "hr/api/costs.py",
    "hr/api/indexation.py",
    "hr/api/payroll.py",
    "hr/api/statistics.py",
    "hr/api/wages.py",
    "hr/views.py",
    "organisations/api.py",
    "organisations/views.py",
    "people/api.py",
    "people/views.py",
    "planning/api/agreements.py",
    "planning/api/common.py",
    "planning/api/forecast.py",
    "planning/api/real_estate.py",
    "planning/api/reports.py",
    "planning/api/roadmap.py",
    "planning/api/scenarios.py",
    "planning/views.py",
    "secondments/api.py",
    "secondments/views.py",
    "transition/api/entries.py",
    "transition/api/imports.py",
    "transition/api/plans.py",
    "transition/views.py",
}


def _modules() -> list[str]:
    found = [
        *ROOT.glob("*/views.py"),
        *ROOT.glob("*/api.py"),
        *ROOT.glob("*/*_api.py"),
        *(p for p in ROOT.glob("*/api/*.py") if p.name != "__init__.py"),
    ]
    # core/api.py is the mechanism itself (RecordsListedReads), not a resource.
    return sorted(str(p.relative_to(ROOT)) for p in found if p != ROOT / "core" / "api.py")


def test_every_screen_and_api_module_is_counted() -> None:
    assert _modules() == sorted(MODULES), "a new views/api module: add it to MODULES"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_screens_and_api_neither_record_reads_nor_filter_visibility(module: str) -> None:
    text = (ROOT / module).read_text(encoding="utf-8")
    found = [m.group(0) for m in (*READS.finditer(text), *VISIBILITY.finditer(text))]
    assert not found, f"{module}: {found} belong in the app's access.py"
