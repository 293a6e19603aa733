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
    "client_direction/api.py",
    "client_direction/views.py",
    "dashboard/views.py",
    "employer_services/api.py",
    "employer_services/views.py",
    "hr/api.py",
    "hr/views.py",
    "organisations/api.py",
    "organisations/views.py",
    "people/api.py",
    "people/views.py",
    "planning/api.py",
    "planning/views.py",
    "secondments/api.py",
    "secondments/views.py",
    "transition/api.py",
    "transition/views.py",
    "core/views.py",
    "core/job_api.py",
    "core/report_api.py",
}


def _modules() -> list[str]:
    found = [*ROOT.glob("*/views.py"), *ROOT.glob("*/api.py"), *ROOT.glob("*/*_api.py")]
    # core/api.py is the mechanism itself (RecordsListedReads), not a resource.
    return sorted(str(p.relative_to(ROOT)) for p in found if p != ROOT / "core" / "api.py")


def test_every_screen_and_api_module_is_counted() -> None:
    assert _modules() == sorted(MODULES), "a new views/api module: add it to MODULES"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_screens_and_api_neither_record_reads_nor_filter_visibility(module: str) -> None:
    text = (ROOT / module).read_text(encoding="utf-8")
    found = [m.group(0) for m in (*READS.finditer(text), *VISIBILITY.finditer(text))]
    assert not found, f"{module}: {found} belong in the app's access.py"
