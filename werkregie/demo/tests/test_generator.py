import csv
from collections import Counter
from pathlib import Path

from werkregie.core.bsn import passes_eleven_test
from werkregie.demo.generator import SCALES, Generator, Scale
from werkregie.demo.people import already_loaded, load_demo
from werkregie.people.models import Employment, Person
from werkregie.transition.roster_format import EMPLOYEE_COLUMNS

SMALL = Scale("small", wsw=120, sheltered=10, staff=5, clients=40, trajectories=20, hirers=8)


def _people(seed: int) -> list[tuple[str, str, str]]:
    generator = Generator(SMALL, seed)
    employees = [(e.personnel_number, e.bsn, e.surname) for e in generator.employees()]
    return employees + [("", c.bsn, c.surname) for c in generator.clients()]


def test_same_seed_gives_the_same_people_and_another_seed_does_not() -> None:
    assert _people(7) == _people(7)
    assert _people(7) != _people(8)


def test_every_bsn_passes_the_eleven_test_and_is_unique() -> None:
    bsns = [bsn for _, bsn, _ in _people(7)]
    assert all(passes_eleven_test(bsn) for bsn in bsns)
    assert len(set(bsns)) == len(bsns)


def test_sizes_follow_the_scale_with_a_leader_for_every_team() -> None:
    employees = list(Generator(SMALL, 7).employees())
    kinds = Counter(e.contract for e in employees)
    assert (kinds["WSW"], kinds["BESCHUT"]) == (120, 10)
    numbers = {e.personnel_number for e in employees}
    assert len(numbers) == len(employees)
    assert all(e.leader in numbers for e in employees if e.contract != "STAF")


def test_region_scale_matches_soweco(cast: object, tmp_path: Path) -> None:
    counts = load_demo(scale="region", export_dir=tmp_path)
    assert SCALES["region"].wsw == 1150
    assert counts["persons"] == Person.objects.count() >= 2100
    assert Employment.objects.filter(kind=Employment.Kind.WSW, valid_to=None).count() == 1150
    assert already_loaded("region", 2021)
    with (tmp_path / "medewerkers.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == EMPLOYEE_COLUMNS
    assert len(rows) - 1 == counts["export_employees"]
    assert rows[1][EMPLOYEE_COLUMNS.index("uren_per_week")].count(",") == 1  # decimal comma


def test_every_current_employment_keeps_the_wage_of_the_old_company(cast: object) -> None:
    load_demo(scale="region")
    old = dict(
        Employment.objects.filter(valid_to__isnull=False).values_list(
            "person", "gross_monthly_wage"
        )
    )
    new = dict(
        Employment.objects.filter(valid_to__isnull=True).values_list("person", "gross_monthly_wage")
    )
    assert old == new
    assert not Employment.objects.filter(
        valid_to=None, employer__code="gemeente-dinkelland"
    ).exists()
