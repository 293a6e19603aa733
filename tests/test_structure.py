"""The structure issue 15 aims at: screens and API (views.py, api.py) neither record audit
reads nor filter visibility themselves — each app's `access.py` does, for both (and
core.api.RecordsListedReads for paginated API lists). Direct audit reads: none are left, and
none may come back. Direct visibility filters: what is left is counted per module, as a
ratchet — a count may only go down (moving one into an access helper fails this test until
the figure below is lowered, so the figures always say what remains)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "werkregie"
READS = re.compile(r"audit\.record_(read|reads|listed|rows)\(")
VISIBILITY = re.compile(r"\.visible_to\(")

# module: (direct audit reads — always 0 now, direct visibility filters left).
REMAINING: dict[str, tuple[int, int]] = {
    "accounts/views.py": (0, 0),
    "client_direction/api.py": (0, 4),
    "client_direction/views.py": (0, 3),
    "dashboard/views.py": (0, 1),
    "employer_services/api.py": (0, 8),
    "employer_services/views.py": (0, 11),
    "hr/api.py": (0, 4),
    "hr/views.py": (0, 7),
    "organisations/api.py": (0, 0),
    "organisations/views.py": (0, 0),
    "people/api.py": (0, 2),
    "people/views.py": (0, 1),
    "planning/api.py": (0, 3),
    "planning/views.py": (0, 4),
    "secondments/api.py": (0, 2),
    "secondments/views.py": (0, 4),
    "transition/api.py": (0, 2),
    "transition/views.py": (0, 1),
    "core/views.py": (0, 0),
    "core/job_api.py": (0, 0),
    "core/report_api.py": (0, 0),
}


def _modules() -> list[str]:
    found = [*ROOT.glob("*/views.py"), *ROOT.glob("*/api.py"), *ROOT.glob("*/*_api.py")]
    # core/api.py is the mechanism itself (RecordsListedReads), not a resource.
    return sorted(str(p.relative_to(ROOT)) for p in found if p != ROOT / "core" / "api.py")


def test_every_screen_and_api_module_is_counted() -> None:
    assert _modules() == sorted(REMAINING), "a new views/api module: add it with (0, 0)"


@pytest.mark.parametrize("module", sorted(REMAINING))
def test_screens_and_api_do_not_add_direct_reads_or_visibility_filters(module: str) -> None:
    text = (ROOT / module).read_text(encoding="utf-8")
    counted = (len(READS.findall(text)), len(VISIBILITY.findall(text)))
    assert counted == REMAINING[module], (
        f"{module}: {counted} direct (audit reads, visibility filters), {REMAINING[module]} "
        "allowed. A new one belongs in the app's access helper; fewer: lower the figure."
    )
