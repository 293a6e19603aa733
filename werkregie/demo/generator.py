"""Deterministic invented people for the demo and for benchmarks.

`generate(scale, seed)` yields plain records of the old company (Soweco) as it stood on
31-12-2020: the same records feed the export files of ROSTER_FORMAT.md and the demo database.
Names, addresses, hirers and BSNs are invented; every BSN passes the 11-proef.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

import yaml

from werkregie.organisations.region import REGION_FILE
from werkregie.people.queries import FULL_TIME_HOURS

SURNAMES = [
    "Jansen",
    "Nijhuis",
    "Kamphuis",
    "Bosch",
    "Wolters",
    "Oude Booijink",
    "Huls",
    "Morsink",
    "Smit",
    "Koster",
    "Brink",
    "Haverkate",
    "Kuipers",
    "Leferink",
    "Ottens",
    "Pieters",
    "Schuurman",
    "Tijhuis",
    "Veldhuis",
    "Weusthof",
    "Zwienink",
    "Çelik",
    "Öztürk",
    "Yılmaz",
    "Demir",
    "Kaya",
    "Şahin",
    "Bakker",
    "Meijer",
    "Mulder",
    "Hendriks",
    "Dijkstra",
    "Visser",
    "Groot Nibbelink",
    "Lammertink",
    "Reinders",
    "Scholten",
    "Wessels",
    "Zwiers",
    "Aydın",
]
PREFIXES = ["", "", "", "", "", "van", "de", "van der", "ter", "ten", "van den"]
GIVEN_M = [
    "Jan",
    "Gerrit",
    "Henk",
    "Bennie",
    "Erik",
    "Mehmet",
    "Johan",
    "Marco",
    "Ali",
    "René",
    "Harm",
    "Tom",
    "Sander",
    "Dennis",
    "Hüseyin",
    "Bart",
    "Wim",
    "Kees",
    "Jeroen",
    "Ruud",
]
GIVEN_V = [
    "Anna",
    "Maria",
    "Gerda",
    "Ingrid",
    "Fatma",
    "Linda",
    "Marloes",
    "Ayşe",
    "Ellen",
    "Sandra",
    "Hennie",
    "Yvonne",
    "Chantal",
    "Petra",
    "Emine",
    "Ria",
    "José",
    "Daniëlle",
]
HIRER_WORDS = ["Twentse", "Almelose", "Vechtdal", "Regge", "Noordoost", "Salland", "Dinkel"]
HIRER_KINDS = ["Metaal", "Verpakking", "Logistiek", "Textiel", "Zorg", "Bouw", "Schoonmaak", "Food"]
PRODUCTS = ["jobcoaching", "re-integratie", "diagnose", "training"]
WORK_FORMS = [
    ("beschut_binnen", 45),
    ("groepsdetachering", 20),
    ("individuele_detachering", 15),
    ("begeleid_werken", 5),
    ("groen", 15),
]
HOURS = [(Decimal(36), 60), (Decimal(32), 20), (Decimal(28), 8), (Decimal(24), 8), (Decimal(20), 4)]
GR_END = date(2020, 12, 31)


@dataclass(frozen=True)
class Scale:
    name: str
    wsw: int
    sheltered: int
    staff: int
    clients: int
    trajectories: int
    hirers: int


SCALES = {
    "region": Scale(
        "region", wsw=1150, sheltered=100, staff=80, clients=770, trajectories=770, hirers=60
    ),
    "national": Scale(
        "national",
        wsw=63000,
        sheltered=7000,
        staff=4000,
        clients=400000,
        trajectories=30000,
        hirers=3000,
    ),
}


@dataclass
class PersonalData:
    """What both exports say about a person."""

    bsn: str
    surname: str
    surname_prefix: str
    initials: str
    given_name: str
    birth_date: date
    sex: str
    postcode: str
    house_number: str
    residence: str  # CBS code


@dataclass
class Employee(PersonalData):
    """One row of the old company's `medewerkers` export."""

    personnel_number: str
    contract: str  # WSW / BESCHUT / STAF
    indication: str  # matig / ernstig / ""
    work_form: str
    department: str
    team: str
    leader: str  # personnel number of the team leader
    site: str  # site code of region.yaml
    work_municipality: str  # CBS code
    hirer_kvk: str
    hirer_name: str
    collective_agreement: str
    scale: str
    step: int
    hours: Decimal
    wage: Decimal
    start: date
    job_title: str


@dataclass
class Client(PersonalData):
    """A Participatiewet/UWV client; `trajectory` is set when running at the company."""

    trajectory: dict[str, object] | None = None


@dataclass
class Contract:
    number: str
    kind: str
    customer_kvk: str
    customer_name: str
    start: date
    end: date | None
    hourly_rate: Decimal | None
    personnel_numbers: list[str] = field(default_factory=list)


def bsn_from(rng: random.Random, used: set[str]) -> str:
    """A random number that passes the 11-proef and was not handed out before."""
    while True:
        digits = [rng.randint(1, 6)] + [rng.randint(0, 9) for _ in range(7)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check == 10:
            continue
        value = "".join(map(str, digits)) + str(check)
        if value not in used:
            used.add(value)
            return value


class Region:
    """The bits of region.yaml the generator needs: residence weights and PC4 ranges."""

    WEIGHTS = {
        "GM0141": 30,
        "GM1700": 14,
        "GM0183": 9,
        "GM0189": 10,
        "GM0163": 15,
        "GM1742": 16,
        "GM0153": 2,
        "GM0164": 1,
        "GM0147": 1,
        "GM1774": 2,
    }

    @cached_property
    def postcodes(self) -> dict[str, list[tuple[int, int]]]:
        data = yaml.safe_load(REGION_FILE.read_text(encoding="utf-8"))
        ranges: dict[str, list[tuple[int, int]]] = {}
        for row in data["postcode_areas"]:
            ranges.setdefault(row["cbs_code"], []).append((row["from"], row["to"]))
        return ranges

    def residence(self, rng: random.Random) -> str:
        codes = list(self.WEIGHTS)
        return rng.choices(codes, weights=[self.WEIGHTS[c] for c in codes])[0]

    def postcode(self, rng: random.Random, cbs: str) -> str:
        low, high = rng.choice(self.postcodes[cbs])
        letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
        return f"{rng.randint(low, high)}{letters}"


_SIX = ["GM0141", "GM1700", "GM0183", "GM0189", "GM0163", "GM1742"]
_NAMES = dict(
    zip(
        _SIX,
        ["Almelo", "Twenterand", "Tubbergen", "Wierden", "Hellendoorn", "Rijssen-Holten"],
        strict=True,
    )
)
_WORK_MUNICIPALITY_OF_SITE = {
    "almelo-hoofdlocatie": "GM0141",
    "almelo-groen": "GM0141",
    "vriezenveen": "GM1700",
    "nijverdal": "GM0163",
    "rijssen": "GM1742",
}


def _site_for(residence: str, rng: random.Random) -> str:
    if residence == "GM0163":
        return "nijverdal"
    if residence == "GM1742":
        return "rijssen"
    return "vriezenveen" if residence == "GM1700" and rng.random() < 0.6 else "almelo-hoofdlocatie"


def _wage(scale: int, step: int, hours: Decimal) -> Decimal:
    full_time = Decimal(2295) + Decimal(95) * scale + Decimal(28) * step
    return (full_time * hours / FULL_TIME_HOURS).quantize(Decimal("0.01"))


class Generator:
    def __init__(self, scale: Scale, seed: int = 2021) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.region = Region()
        self.used_bsn: set[str] = set()
        self.hirers = [
            (
                f"{self.rng.randint(10000000, 99999999)}",
                f"{self.rng.choice(HIRER_WORDS)} {self.rng.choice(HIRER_KINDS)} {i + 1} BV",
            )
            for i in range(scale.hirers)
        ]

    def _name(self, sex: str) -> tuple[str, str, str, str]:
        rng = self.rng
        given = rng.choice(GIVEN_M if sex == "M" else GIVEN_V)
        second = rng.choice(GIVEN_M if sex == "M" else GIVEN_V)
        initials = f"{given[0]}.{second[0]}." if rng.random() < 0.5 else f"{given[0]}."
        return rng.choice(SURNAMES), rng.choice(PREFIXES), initials, given

    def _birth(self, youngest: int, oldest: int) -> date:
        return GR_END - timedelta(days=self.rng.randint(youngest * 365, oldest * 365))

    def _personal(self, *, male_share: float, youngest: int, oldest: int) -> PersonalData:
        rng = self.rng
        sex = "M" if rng.random() < male_share else "V"
        surname, prefix, initials, given = self._name(sex)
        residence = self.region.residence(rng)
        return PersonalData(
            bsn=bsn_from(rng, self.used_bsn),
            surname=surname,
            surname_prefix=prefix,
            initials=initials,
            given_name=given,
            birth_date=self._birth(youngest, oldest),
            sex=sex,
            postcode=self.region.postcode(rng, residence),
            house_number=str(rng.randint(1, 250)),
            residence=residence,
        )

    def employees(self) -> Iterator[Employee]:
        """Staff first (team leaders among them), then Wsw and nieuw beschut employees."""
        rng = self.rng
        number = 100000
        members_per_team = 15
        leaders: dict[tuple[str, str], str] = {}
        staff_left = self.scale.staff
        kinds = ["WSW"] * self.scale.wsw + ["BESCHUT"] * self.scale.sheltered
        rng.shuffle(kinds)
        team_counts: dict[tuple[str, str], int] = {}
        pending_staff: list[Employee] = []
        workers: list[Employee] = []
        for kind in kinds:
            number += 1
            own_number = str(number)
            if kind == "WSW":
                # No Wsw inflow since 2015: the youngest were about 18 then.
                personal = self._personal(male_share=0.6, youngest=24, oldest=66)
                forms, weights = zip(*WORK_FORMS, strict=True)
                form = rng.choices(forms, weights=weights)[0]
                indication = "ernstig" if rng.random() < 0.2 else "matig"
                start = date(rng.randint(1985, 2014), rng.randint(1, 12), 1)
            else:
                personal = self._personal(male_share=0.6, youngest=18, oldest=60)
                form, indication = "beschut_binnen", ""
                start = date(rng.randint(2015, 2020), rng.randint(1, 12), 1)
            residence = personal.residence
            home = residence if residence in _SIX else rng.choice(_SIX[:4])
            hirer_kvk = hirer_name = ""
            if form == "groen":
                work = home if rng.random() < 0.8 else rng.choice(_SIX)
                site = "almelo-groen" if work == "GM0141" else ""
                department = "Groen"
            else:
                site = _site_for(home, rng)
                work = _WORK_MUNICIPALITY_OF_SITE[site]
                department = {
                    "beschut_binnen": "Productie",
                    "begeleid_werken": "Begeleid werken",
                }.get(form, "Detachering")
                if form in ("groepsdetachering", "individuele_detachering"):
                    hirer_kvk, hirer_name = rng.choice(self.hirers)
                    work = rng.choice(_SIX)
                if form == "begeleid_werken":
                    hirer_kvk, hirer_name = rng.choice(self.hirers)
            team_key = (department, site or work)
            index = team_counts.get(team_key, 0)
            team_counts[team_key] = index + 1
            team = f"{department} {site or work} {index // members_per_team + 1}"
            leader_key = (team, site)
            if leader_key not in leaders:
                number += 1
                leaders[leader_key] = str(number)
                if staff_left > 0:
                    staff_left -= 1
                pending_staff.append(self._staff(str(number), team, site, work))
            scale_no, step = rng.randint(1, 6), rng.randint(0, 10)
            hours = rng.choices([h for h, _ in HOURS], weights=[w for _, w in HOURS])[0]
            workers.append(
                Employee(
                    **vars(personal),
                    personnel_number=own_number,
                    contract=kind,
                    indication=indication,
                    work_form=form,
                    department=department,
                    team=team,
                    leader=leaders[leader_key],
                    site=site,
                    work_municipality=work,
                    hirer_kvk=hirer_kvk,
                    hirer_name=hirer_name,
                    collective_agreement="CAO SW",
                    scale=str(scale_no),
                    step=step,
                    hours=hours,
                    wage=_wage(scale_no, step, hours),
                    start=start,
                    job_title={"groen": "Medewerker groen"}.get(form, "Medewerker"),
                )
            )
        while staff_left > 0:
            number += 1
            staff_left -= 1
            pending_staff.append(self._staff(str(number), "Staf", "almelo-hoofdlocatie", "GM0141"))
        yield from pending_staff
        yield from workers

    def _staff(self, number: str, team: str, site: str, work: str) -> Employee:
        rng = self.rng
        personal = self._personal(male_share=0.5, youngest=25, oldest=64)
        hours = Decimal(36) if rng.random() < 0.7 else Decimal(32)
        scale_no, step = rng.randint(7, 10), rng.randint(0, 10)
        return Employee(
            **vars(personal),
            personnel_number=number,
            contract="STAF",
            indication="",
            work_form="staf",
            department="Staf",
            team=team,
            leader="",
            site=site,
            work_municipality=work,
            hirer_kvk="",
            hirer_name="",
            collective_agreement="Cao Soweco staf",
            scale=str(scale_no),
            step=step,
            hours=hours,
            wage=_wage(scale_no, step, hours) + Decimal(600),
            start=date(rng.randint(1995, 2019), rng.randint(1, 12), 1),
            job_title="Teamleider" if team != "Staf" else "Medewerker staf",
        )

    def clients(self) -> Iterator[Client]:
        rng = self.rng
        for index in range(self.scale.clients):
            client = Client(**vars(self._personal(male_share=0.55, youngest=18, oldest=66)))
            residence = client.residence
            if index < self.scale.trajectories:
                start = date(2020, rng.randint(1, 12), 1)
                client.trajectory = {
                    "number": f"T{index + 1:06d}",
                    "owner": "UWV" if rng.random() < 0.2 else residence,
                    "product": rng.choice(PRODUCTS),
                    "start": start,
                    "end": start + timedelta(days=rng.choice([180, 270, 365, 540])),
                    "price": Decimal(rng.choice([1800, 2450, 3600, 5200])),
                }
            yield client

    def contracts(self, employees: list[Employee]) -> list[Contract]:
        """One secondment contract per hirer with the people seconded there, plus services."""
        by_hirer: dict[str, list[Employee]] = {}
        for emp in employees:
            if emp.hirer_kvk:
                by_hirer.setdefault(emp.hirer_kvk, []).append(emp)
        contracts: list[Contract] = []
        for index, (kvk, name) in enumerate(self.hirers):
            people = by_hirer.get(kvk, [])
            if not people:
                continue
            contracts.append(
                Contract(
                    number=f"C{index + 1:05d}",
                    kind="detachering",
                    customer_kvk=kvk,
                    customer_name=name,
                    start=date(2019, 1, 1),
                    end=date(2022, 12, 31),
                    hourly_rate=Decimal(self.rng.choice([24, 26, 28, 31])),
                    personnel_numbers=[e.personnel_number for e in people],
                )
            )
        for index, cbs in enumerate(_SIX):
            contracts.append(
                Contract(
                    number=f"G{index + 1:05d}",
                    kind="dienstverlening",
                    customer_kvk="",
                    customer_name=f"Gemeente {_NAMES[cbs]} (groenonderhoud)",
                    start=date(2018, 1, 1),
                    end=None,
                    hourly_rate=None,
                )
            )
        return contracts
