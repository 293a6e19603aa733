from pathlib import Path

import pytest

from werkregie.demo.generator import Generator, Scale
from werkregie.demo.roster_export import write_contracts, write_employees, write_trajectories

SMALL = Scale("small", wsw=40, sheltered=5, staff=3, clients=12, trajectories=10, hirers=5)
Files = list[tuple[str, bytes]]


@pytest.fixture
def export(tmp_path: Path) -> Files:
    """The three export files of a small generated roster, as (name, bytes)."""
    generator = Generator(SMALL, seed=11)
    employees = list(generator.employees())
    write_employees(tmp_path / "medewerkers.csv", employees)
    write_trajectories(tmp_path / "trajecten.csv", generator.clients())
    write_contracts(tmp_path / "contracten.csv", generator.contracts(employees))
    return [(p.name, p.read_bytes()) for p in sorted(tmp_path.glob("*.csv"))]
