"""Write the old company's three export files in the format of ROSTER_FORMAT.md."""

import csv
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from werkregie.demo.generator import Client, Contract, Employee
from werkregie.transition.roster_format import (
    CONTRACT_COLUMNS,
    EMPLOYEE_COLUMNS,
    TRAJECTORY_COLUMNS,
)

# UTF-8 with BOM, as Excel writes it: Turkish names (ş, ı) do not fit Windows-1252.
ENCODING = "utf-8-sig"
_CONTRACT = {"WSW": "WSW", "BESCHUT": "BESCHUT", "STAF": "STAF"}


def dutch_date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def dutch_decimal(value: Decimal | None) -> str:
    return f"{value:.2f}".replace(".", ",") if value is not None else ""


def _write(path: Path, columns: list[str], rows: Iterable[list[object]]) -> int:
    """Write one `;`-separated file with a header row; returns the number of data rows."""
    count = 0
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_employees(path: Path, employees: Iterable[Employee]) -> int:
    return _write(
        path,
        EMPLOYEE_COLUMNS,
        (
            [
                e.personnel_number,
                e.bsn,
                e.surname,
                e.surname_prefix,
                e.initials,
                e.given_name,
                dutch_date(e.birth_date),
                e.sex,
                e.postcode,
                e.house_number,
                e.residence,
                _CONTRACT[e.contract],
                e.indication,
                e.work_form,
                e.department,
                e.team,
                e.leader,
                e.site,
                e.work_municipality,
                e.hirer_kvk,
                e.hirer_name,
                e.collective_agreement,
                e.scale,
                e.step,
                dutch_decimal(e.hours),
                dutch_decimal(e.wage),
                dutch_date(e.start),
                e.job_title,
            ]
            for e in employees
        ),
    )


def _trajectory_row(c: Client) -> list[object]:
    t = c.trajectory
    assert t is not None
    assert isinstance(t["start"], date) and isinstance(t["end"], date)
    assert isinstance(t["price"], Decimal)
    return [
        t["number"],
        c.bsn,
        f"{c.surname_prefix} {c.surname}".strip(),
        c.initials,
        dutch_date(c.birth_date),
        c.residence,
        t["owner"],
        t["product"],
        dutch_date(t["start"]),
        dutch_date(t["end"]),
        dutch_decimal(t["price"]),
    ]


def write_trajectories(path: Path, clients: Iterable[Client]) -> int:
    return _write(path, TRAJECTORY_COLUMNS, (_trajectory_row(c) for c in clients if c.trajectory))


def write_contracts(path: Path, contracts: Iterable[Contract]) -> int:
    return _write(
        path,
        CONTRACT_COLUMNS,
        (
            [
                c.number,
                c.kind,
                c.customer_kvk,
                c.customer_name,
                dutch_date(c.start),
                dutch_date(c.end),
                dutch_decimal(c.hourly_rate),
                ",".join(c.personnel_numbers),
            ]
            for c in contracts
        ),
    )
