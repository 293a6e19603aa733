"""The transition rules as pure functions (DOMAIN.md, "The transition rules", 1–9).

`propose` turns one employee's old situation and the policy into a proposal with the rules
that decided it, and flags every case where rules conflict or data is missing: it never
decides such a case silently. Nothing here touches the database.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

POLICY_FILE = Path(__file__).parent / "data" / "policy.yaml"

GREEN = "groen"
STAFF = "staf"
SECONDMENTS = ("groepsdetachering", "individuele_detachering", "begeleid_werken")


@dataclass(frozen=True)
class Policy:
    version: str
    effective_date: datetime.date
    employers: dict[str, str]
    outdoor_services: dict[str, str]
    sheltered_work: dict[str, str]
    staff_needs_confirmation: bool
    old_company_kvk: frozenset[str]
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, path: Path = POLICY_FILE) -> "Policy":
        return cls.from_data(yaml.safe_load(path.read_text(encoding="utf-8")))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Policy":
        """From the YAML file's contents, or from the copy a plan recorded (dates as text)."""
        day = data["effective_date"]
        return cls(
            version=str(data["version"]),
            effective_date=day
            if isinstance(day, datetime.date)
            else datetime.date.fromisoformat(day),
            employers=dict(data["employers"]),
            outdoor_services=dict(data["outdoor_services"]),
            sheltered_work=dict(data["sheltered_work"]),
            staff_needs_confirmation=bool(data["staff"]["needs_confirmation"]),
            old_company_kvk=frozenset(str(k) for k in data["old_company_kvk"]),
            raw=data,
        )

    def with_effective_date(self, day: datetime.date) -> "Policy":
        return Policy(**{**self.__dict__, "effective_date": day})


@dataclass(frozen=True)
class Situation:
    """What the old company's export says about one employee, as plain values."""

    personnel_number: str
    contract_kind: str  # wsw / beschut / staf
    work_form: str
    residence: str  # CBS code
    work_municipality: str | None  # CBS code
    site_organisation: str | None  # organisation code using the site after the transition
    site_municipality: str | None  # CBS code of the site
    team: str
    hirer_kvk: str
    site: str = ""  # the workplace as the export writes it
    site_found: bool = True  # whether that spelling is a site of the region


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str


@dataclass(frozen=True)
class Proposal:
    employer: str | None  # organisation code
    organisation: str | None  # where the person works and the team sits
    rules: tuple[str, ...]
    flags: tuple[Flag, ...]


def propose(s: Situation, p: Policy) -> Proposal:
    rules: list[str] = []
    flags: list[Flag] = []
    in_region = s.residence in p.employers

    # Employer (rules 1 and 6).
    if s.contract_kind == STAFF:
        basis = s.site_municipality or s.work_municipality
        employer = p.employers.get(basis or "")
        rules.append("Regel 6: staf komt op voorstel in dienst van de gemeente van de werkplek")
        if p.staff_needs_confirmation:
            flags.append(
                Flag(
                    "staff_proposal", "Staf: het voorstel voor de werkgever moet worden bevestigd."
                )
            )
    elif in_region:
        employer = p.employers[s.residence]
        rules.append("Regel 1: de woongemeente wordt werkgever")
    else:
        employer = p.employers.get(s.work_municipality or "")
        rules.append("Regel 1: woont buiten de zes; voorstel: de gemeente waar hij of zij werkt")
        flags.append(
            Flag(
                "residence_outside_region",
                f"Woont buiten de zes gemeenten ({s.residence}); kies de werkgever.",
            )
        )
    if employer is None:
        flags.append(
            Flag(
                "missing_employer",
                "Geen werkgever af te leiden: woon- en werkgemeente ontbreken of vallen "
                "buiten de regio.",
            )
        )

    # Where the work continues (rules 2, 3, 4).
    if s.work_form == GREEN:
        organisation = p.outdoor_services.get(s.work_municipality or "")
        rules.append("Regel 2: groen gaat naar de buitendienst van de werkgemeente")
        if organisation is None:
            flags.append(
                Flag(
                    "missing_work_municipality", "Groenmedewerker zonder werkgemeente in de regio."
                )
            )
        elif in_region and s.work_municipality != s.residence and s.contract_kind != STAFF:
            flags.append(
                Flag(
                    "green_residence_differs",
                    f"Woont in {s.residence} maar werkt in het groen van {s.work_municipality}: "
                    "werkgever (regel 1) en buitendienst (regel 2) verschillen.",
                )
            )
    elif s.contract_kind == STAFF:
        organisation = s.site_organisation or p.sheltered_work.get(s.site_municipality or "")
        rules.append("Regel 4: staf werkt door op de eigen locatie")
    else:
        by_residence = p.sheltered_work.get(s.residence)
        organisation = by_residence or s.site_organisation
        rules.append(
            "Regel 3: uitvoering volgt de woongemeente"
            if by_residence
            else "Regel 4: de werkplek blijft"
        )
        if by_residence and s.site_organisation and s.site_organisation != by_residence:
            flags.append(
                Flag(
                    "site_differs_from_rule",
                    f"Woont in {s.residence} ({by_residence} volgens regel 3) maar werkt op een "
                    f"locatie van {s.site_organisation} (regel 4).",
                )
            )
    if organisation is None and not any(f.code == "missing_work_municipality" for f in flags):
        flags.append(
            Flag("missing_site", "Geen organisatie af te leiden uit woongemeente of locatie.")
        )

    if s.site and not s.site_found:
        flags.append(
            Flag(
                "unknown_site",
                f"Locatie '{s.site}' uit het oude bestand is geen bekende locatie of "
                "schrijfwijze daarvan: kies de werkplek of leg vast waarom die niet doorloopt "
                "(regel 4).",
            )
        )

    if s.work_form in SECONDMENTS and s.hirer_kvk:
        rules.append("Regel 4: de detachering loopt door bij dezelfde inlener")
        if s.hirer_kvk in p.old_company_kvk:
            flags.append(
                Flag(
                    "hirer_is_old_company",
                    "De inlener is het oude SW-bedrijf zelf; die detachering kan niet doorlopen.",
                )
            )
    rules.append("Regel 5: loon, schaal, trede, uren, rechten en plichten blijven gelijk")
    return Proposal(employer, organisation, tuple(rules), tuple(flags))


def team_split_flags(
    members: Iterable[tuple[str, str, str | None]],
) -> dict[str, Flag]:
    """Rule 4: teams stay together. (personnel number, team, destination) → flag per member
    of a team whose members would go to different organisations."""
    destinations: dict[str, set[str | None]] = defaultdict(set)
    people: dict[str, list[str]] = defaultdict(list)
    for number, team, destination in members:
        if team:
            destinations[team].add(destination)
            people[team].append(number)
    flags: dict[str, Flag] = {}
    for team, targets in destinations.items():
        if len(targets) > 1:
            names = ", ".join(sorted(t or "onbekend" for t in targets))
            for number in people[team]:
                flags[number] = Flag(
                    "team_split", f"Team '{team}' zou verdeeld worden over: {names}."
                )
    return flags


def duplicate_flags(employees: Iterable[tuple[str, str]]) -> dict[str, Flag]:
    """(personnel number, BSN) → a "dubbele medewerker" flag for every number whose BSN
    another number shares: the same person twice in the export, or two records to merge;
    the import already refused a shared BSN with another name or birth date."""
    numbers: dict[str, list[str]] = defaultdict(list)
    for number, bsn in employees:
        numbers[bsn].append(number)
    flags: dict[str, Flag] = {}
    for group in numbers.values():
        if len(group) > 1:
            for number in group:
                others = ", ".join(n for n in group if n != number)
                flags[number] = Flag(
                    "duplicate_employee",
                    f"Hetzelfde BSN staat ook bij personeelsnummer {others}: kies welk record "
                    "doorgaat; het andere wordt als dubbel record niet uitgevoerd.",
                )
    return flags


GUARANTEED = {
    "contract_kind": "soort dienstverband (Wsw-status)",
    "indication": "indicatie",
    "scale": "schaal",
    "step": "trede",
    "hours_per_week": "uren per week",
    "gross_monthly_wage": "bruto maandloon",
}


# Rule 4 may give way where a person decided so: the flags whose resolution covers it.
SITE_DECISIONS = frozenset({"unknown_site", "site_differs_from_rule"})
TEAM_DECISIONS = frozenset({"team_split"})


def guarantee_violations(
    old: dict[str, Any], new: dict[str, Any], decided: frozenset[str] = frozenset()
) -> list[str]:
    """Rules 5, 9 and 4 for one person: what the plan would change that must not change,
    a destination that is missing, and a workplace or team that does not continue without a
    person's decision (`decided`: the codes of the person's resolved flags). Empty means
    every guarantee holds."""
    problems = [
        f"{label} wijzigt van {old[name]!s} naar {new[name]!s}"
        for name, label in GUARANTEED.items()
        if old[name] != new[name]
    ]
    if old.get("site") and new.get("site") is None and not decided & SITE_DECISIONS:
        problems.append(
            f"werkplek '{old['site']}' loopt niet door (regel 4) en daarover is niet besloten"
        )
    if old.get("team", "") != new.get("team", "") and not decided & TEAM_DECISIONS:
        problems.append(
            f"team wijzigt van '{old.get('team', '')}' naar '{new.get('team', '')}' (regel 4) "
            "zonder besluit"
        )
    if not new.get("employer"):
        problems.append("geen werkgever: niemand mag zonder dienstverband eindigen")
    if not new.get("organisation"):
        problems.append("geen organisatie waar het werk doorgaat")
    return problems
