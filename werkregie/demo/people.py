"""Load generated people into the database as they stand today (a factory, like a fixture).

Each employee gets two employment versions: at Soweco NV until 31-12-2020, and from
1-1-2021 with the municipality of residence as employer, in the same team name, site and
wage (DOMAIN.md rules 1, 3, 4, 5). This shortcut fills the registry at national scale for
the benchmarks; the demo of `make run` makes its present through the real transition
(werkregie.demo.transition) and takes only the clients from here (`load_clients`).
"""

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TypeVar

from django.db import transaction

from werkregie.core import audit
from werkregie.demo.events import DemoEvent
from werkregie.demo.generator import SCALES, Employee, Generator, PersonalData
from werkregie.demo.generator import Client as GeneratedClient
from werkregie.demo.roster_export import write_contracts, write_employees, write_trajectories
from werkregie.organisations.models import Municipality, Organisation, Site, Team
from werkregie.people import codes
from werkregie.people.models import Employment, Person, normalise_name

TRANSITION = date(2021, 1, 1)
GR_END = date(2020, 12, 31)
BATCH = 5000
_SITE_ORG = {
    "almelo-hoofdlocatie": "nuo",
    "vriezenveen": "nuo",
    "nijverdal": "multipack-nijverdal",
    "rijssen": "de-sterkerij",
}
T = TypeVar("T")


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Lookup:
    def __init__(self) -> None:
        self.municipalities: dict[str, Municipality] = {
            m.cbs_code: m for m in Municipality.objects.all()
        }
        self.orgs: dict[str, Organisation] = {o.code: o for o in Organisation.objects.all()}
        self.sites = {s.code: s for s in Site.objects.all()}
        self.employer_by_cbs = {
            o.municipality.cbs_code: o
            # Only the six employ Wsw staff; someone living elsewhere goes by work municipality.
            for o in Organisation.objects.filter(
                kind=Organisation.Kind.MUNICIPALITY, municipality__in_region=True
            ).select_related("municipality")
            if o.municipality
        }
        self.teams: dict[tuple[int, str], Team] = {
            (t.organisation_id, t.name): t for t in Team.objects.all()
        }

    def team(
        self,
        org: Organisation,
        name: str,
        site: Site | None,
        valid_from: date | None,
        valid_to: date | None,
    ) -> Team:
        key = (org.pk, name)
        if key not in self.teams:
            self.teams[key] = Team.objects.create(
                organisation=org, name=name, site=site, valid_from=valid_from, valid_to=valid_to
            )
        return self.teams[key]

    def destination(self, e: Employee) -> Organisation:
        """Where the employee's team sits after 1-1-2021 (DOMAIN.md rules 2 and 3)."""
        if e.work_form == "groen":
            slug = self.municipalities[e.work_municipality].name.lower().replace(" ", "-")
            return self.orgs[f"buitendienst-{slug}"]
        return self.orgs[_SITE_ORG.get(e.site, "nuo")]


def _person(record: PersonalData, lookup: _Lookup, personnel_number: str | None) -> Person:
    person = Person(
        bsn=record.bsn,
        personnel_number=personnel_number,
        surname=record.surname,
        surname_prefix=record.surname_prefix,
        initials=record.initials,
        given_name=record.given_name,
        birth_date=record.birth_date,
        sex=record.sex,
        postcode=record.postcode,
        house_number=record.house_number,
        residence_municipality=lookup.municipalities[record.residence],
    )
    # bulk_create skips full_clean(), which normally fills search_name.
    person.search_name = normalise_name(person.surname)
    return person


def _employments(e: Employee, person: Person, lookup: _Lookup) -> list[Employment]:
    site = lookup.sites.get(e.site) if e.site else None
    work = lookup.municipalities[e.work_municipality]
    home = e.residence if e.residence in lookup.employer_by_cbs else e.work_municipality
    new_org = lookup.destination(e)
    common = {
        "person": person,
        "kind": codes.KIND[e.contract.lower()],
        "indication": codes.INDICATION[e.indication],
        "work_form": codes.WORK_FORM[e.work_form],
        "collective_agreement": e.collective_agreement,
        "scale": e.scale,
        "step": e.step,
        "hours_per_week": e.hours,
        "gross_monthly_wage": e.wage,
        "job_title": e.job_title,
        "site": site,
        "work_municipality": work,
    }
    old_team = lookup.team(lookup.orgs["soweco-nv"], e.team, site, None, GR_END)
    new_team = lookup.team(new_org, e.team, site, TRANSITION, None)
    return [
        Employment(
            **common,
            employer=lookup.orgs["soweco-nv"],
            team=old_team,
            valid_from=min(e.start, GR_END),
            valid_to=GR_END,
        ),
        Employment(
            **common,
            employer=lookup.employer_by_cbs[home],
            team=new_team,
            valid_from=TRANSITION,
            valid_to=None,
        ),
    ]


def _insert_clients(clients: Iterable[PersonalData], lookup: _Lookup) -> int:
    count = 0
    for chunk in _chunks(clients, BATCH):
        Person.objects.bulk_create([_person(c, lookup, None) for c in chunk], batch_size=BATCH)
        count += len(chunk)
    return count


def generated_clients(*, scale: str, seed: int = 2021) -> list[GeneratedClient]:
    """The clients of a data set as `load_demo` makes them: they follow the employees in the
    generator's stream, so the employees are drawn (and dropped) first."""
    generator = Generator(SCALES[scale], seed)
    for _ in generator.employees():
        pass
    return list(generator.clients())


@transaction.atomic
def load_clients(*, scale: str, seed: int = 2021) -> int:
    """Only the generated clients (Participatiewet, UWV) of a data set; once."""
    clients = generated_clients(scale=scale, seed=seed)
    known = set(Person.objects.filter(bsn__isnull=False).values_list("bsn", flat=True))
    return _insert_clients([c for c in clients if c.bsn not in known], _Lookup())


def already_loaded(scale: str, seed: int) -> bool:
    first = next(Generator(SCALES[scale], seed).employees())
    return Person.objects.filter(personnel_number=first.personnel_number).exists()


@transaction.atomic
def load_demo(*, scale: str, seed: int = 2021, export_dir: Path | None = None) -> dict[str, int]:
    """Generate and insert the data set; optionally also write the old company's exports."""
    generator = Generator(SCALES[scale], seed)
    lookup = _Lookup()
    employees = list(generator.employees())
    counts = {"persons": 0, "employments": 0}
    by_number: dict[str, Person] = {}
    for chunk in _chunks(employees, BATCH):
        persons = [_person(e, lookup, e.personnel_number) for e in chunk]
        Person.objects.bulk_create(persons, batch_size=BATCH)
        by_number.update({p.personnel_number or "": p for p in persons})
        rows = [
            emp for e, p in zip(chunk, persons, strict=True) for emp in _employments(e, p, lookup)
        ]
        Employment.objects.bulk_create(rows, batch_size=BATCH)
        counts["persons"] += len(persons)
        counts["employments"] += len(rows)
    leader_of_team = {e.team: e.leader for e in employees if e.leader}
    for (_org_id, name), team in lookup.teams.items():
        leader_number = leader_of_team.get(name)
        if leader_number and team.leader_id is None:
            team.leader = by_number[leader_number]
            team.save(update_fields=["leader"])
    clients = list(generator.clients())
    counts["persons"] += _insert_clients(clients, lookup)
    if export_dir is not None:
        export_dir.mkdir(parents=True, exist_ok=True)
        counts["export_employees"] = write_employees(export_dir / "medewerkers.csv", employees)
        counts["export_trajectories"] = write_trajectories(export_dir / "trajecten.csv", clients)
        counts["export_contracts"] = write_contracts(
            export_dir / "contracten.csv", generator.contracts(employees)
        )
    audit.record_change(
        actor=None,
        action=DemoEvent.DEMO_GENERATED,
        obj=lookup.orgs["nuo"],
        changes={
            "scale": {"old": None, "new": scale},
            "persons": {"old": None, "new": counts["persons"]},
        },
    )
    return counts
