"""Demo data for employer services: invented employers around the region, account holders,
a shared contact log, vacancies, candidate profiles for clients and Wsw employees with
consents, and some outcomes. Deterministic; made through the services."""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from werkregie.accounts.models import User
from werkregie.client_direction.models import Client
from werkregie.employer_services import services
from werkregie.employer_services.evaluation import TYPICAL_SKILLS
from werkregie.employer_services.match_queries import rank_candidates
from werkregie.employer_services.models import CandidateProfile, Employer, Vacancy
from werkregie.employer_services.vocabulary import DEMANDS, OCCUPATIONS, SKILLS
from werkregie.organisations.models import Organisation, PostcodeArea
from werkregie.people.models import Employment

# Invented names: a place word, a trade, and a legal form.
PLACES = ["Twentse", "Almelose", "Vechtdal", "Regge", "Sallandse", "Dinkel", "Hof", "Noord"]
TRADES = [
    ("Metaalbewerking", "2562", "metal"),
    ("Verpakkingen", "1721", "packaging"),
    ("Logistiek", "5210", "logistics"),
    ("Schoonmaakdiensten", "8121", "cleaning"),
    ("Hoveniers", "8130", "green"),
    ("Eetcafé", "5610", "catering"),
    ("Supermarkt", "4711", "retail"),
    ("Zorggroep", "8710", "care"),
    ("Bouwbedrijf", "4120", "construction"),
    ("Textielfabriek", "1392", "textile"),
    ("Transport", "4941", "transport"),
    ("Facilitair", "8110", "facility"),
]
TITLES = {
    "metal": "Medewerker metaalbewerking",
    "packaging": "Inpakker",
    "logistics": "Orderpicker",
    "cleaning": "Schoonmaker",
    "green": "Medewerker groen",
    "catering": "Keukenhulp",
    "retail": "Vakkenvuller",
    "care": "Facilitair medewerker zorg",
    "construction": "Bouwplaatsmedewerker",
    "textile": "Productiemedewerker textiel",
    "transport": "Bijrijder",
    "facility": "Medewerker facilitaire dienst",
}
TODAY = date(2026, 11, 23)
SUBJECTS = ["Kennismaking", "Vacature besproken", "Evaluatie plaatsing", "Werkgeversontbijt"]


def _postcode(rng: random.Random, cbs: str) -> str:
    area = rng.choice(list(PostcodeArea.objects.filter(municipality__cbs_code=cbs)))
    letters = "".join(rng.choice("ABCDEGHJKLMNPRST") for _ in range(2))
    return f"{rng.randint(area.pc4_from, area.pc4_to)}{letters}"


@transaction.atomic
def load_demo_employer_services(*, seed: int = 2026) -> dict[str, int]:
    """Employers, vacancies, profiles and outcomes for the demo; a second run adds nothing."""
    if Vacancy.objects.exists():
        return {}
    rng = random.Random(seed)
    adviser = User.objects.get(username="werkgeversadviseur")
    coach = User.objects.get(username="jobcoach.nuo")
    # One klantregisseur per municipality keeps that municipality's clients' profiles.
    directors = {
        u.organisation.municipality_id: u
        for u in User.objects.filter(role="client_director").select_related("organisation")
        if u.organisation and u.organisation.municipality_id
    }
    towns = {
        "GM0141": "Almelo",
        "GM1700": "Vriezenveen",
        "GM0183": "Tubbergen",
        "GM0189": "Wierden",
        "GM0163": "Nijverdal",
        "GM1742": "Rijssen",
    }
    employers: list[tuple[Employer, str]] = []
    for index in range(120):
        trade, sbi, occupation = TRADES[index % len(TRADES)]
        cbs = rng.choice(list(towns))
        employer = services.create_employer(
            actor=adviser,
            confirmed=True,
            kvk_number=f"{70000000 + index * 7919:08d}",
            name=f"{rng.choice(PLACES)} {trade} {index + 1}",
            sbi_code=sbi,
            street=rng.choice(["Industrieweg", "Havenstraat", "Bedrijvenpark", "Marktstraat"]),
            house_number=str(rng.randint(1, 120)),
            postcode=_postcode(rng, cbs),
            city=towns[cbs],
            staff_count=rng.choice([8, 15, 40, 90, 250]),
        )
        employers.append((employer, occupation))
    holders = [adviser, coach, *directors.values()]
    for employer, _ in employers[:80]:
        holder = rng.choice(holders)
        services.assign_account_holder(
            actor=adviser, employer=employer, user=holder, started_on=date(2025, 1, 1)
        )
        for _ in range(rng.randint(1, 3)):
            services.record_contact_moment(
                actor=rng.choice(holders),
                employer=employer,
                occurred_on=TODAY - timedelta(days=rng.randint(1, 300)),
                channel=rng.choice(["visit", "phone", "email", "event"]),
                subject=rng.choice(
                    [
                        "Kennismaking",
                        "Vacature besproken",
                        "Evaluatie plaatsing",
                        "Werkgeversontbijt",
                    ]
                ),
            )
        services.save_contact(
            actor=adviser,
            employer=employer,
            name=rng.choice(["M. Nijhuis", "A. de Vries", "R. Kamphuis", "S. Öztürk"]),
            function=rng.choice(["HR-adviseur", "Directeur", "Teamleider productie"]),
            email="",
        )
    nuo = Organisation.objects.get(code="nuo")
    for employer, _ in employers[:20]:
        services.record_agreement(
            actor=adviser,
            employer=employer,
            kind=rng.choice(["job_agreement", "work_trial", "training", "social_return"]),
            description="Afspraak uit het werkgeversgesprek.",
            party=nuo,
            valid_from=date(2026, 1, 1),
        )
    vacancies = []
    for employer, occupation in employers[:40]:
        skills = rng.sample(TYPICAL_SKILLS[occupation], k=min(2, len(TYPICAL_SKILLS[occupation])))
        vacancies.append(
            services.save_vacancy(
                actor=adviser,
                employer=employer,
                title=TITLES[occupation],
                occupation=occupation,
                hours_per_week=Decimal(rng.choice([16, 20, 24, 32])),
                required_skills=SKILLS.mask(skills),
                demands=DEMANDS.mask(rng.sample(DEMANDS.codes, k=rng.randint(0, 2))),
                start_date=TODAY + timedelta(days=rng.randint(14, 90)),
                positions=rng.choice([1, 1, 2]),
            )
        )
    profiles = _profiles(rng, directors, coach)
    outcomes = _outcomes(rng, adviser, vacancies[:10])
    return {
        "employers": len(employers),
        "vacancies": len(vacancies),
        "profiles": profiles,
        "outcomes": outcomes,
    }


def _profile_values(rng: random.Random) -> dict[str, Any]:
    occupations = rng.sample(OCCUPATIONS.codes, k=rng.choice([1, 2]))
    skills = {s for o in occupations for s in TYPICAL_SKILLS[o] if rng.random() < 0.7}
    low = Decimal(rng.choice([12, 16, 20, 24]))
    return {
        "experience": [
            {"occupation": o, "description": "", "years": rng.randint(1, 10)} for o in occupations
        ],
        "skills": SKILLS.mask(skills),
        "wished_occupations": OCCUPATIONS.mask(rng.sample(OCCUPATIONS.codes, k=1)),
        "hours_min": low,
        "hours_max": low + Decimal(rng.choice([8, 12])),
        "max_travel_km": rng.choice([10, 15, 20, 30]),
        "available_from": TODAY - timedelta(days=rng.randint(0, 60)),
        "restrictions": DEMANDS.mask(rng.sample(DEMANDS.codes, k=rng.choice([0, 0, 1, 2]))),
    }


def _profiles(rng: random.Random, directors: dict[int, User], coach: User) -> int:
    made = 0
    clients = Client.objects.filter(ended_on__isnull=True).select_related("person").order_by("pk")
    for client in clients[:160]:
        director = next(
            (
                u
                for u in directors.values()
                if u.organisation
                and u.organisation.municipality_id == client.client_owner.municipality_id
            ),
            None,
        )
        if director is None:
            continue
        profile = services.save_profile(
            actor=director, person=client.person, today=TODAY, **_profile_values(rng)
        )
        made += 1
        if rng.random() < 0.6:
            _consent(profile, director)
    workers = (
        Employment.objects.active_on(TODAY)
        .filter(kind="wsw", team__organisation__code="nuo")
        .select_related("person")
        .order_by("person_id")
    )
    for employment in workers[:80]:
        if CandidateProfile.objects.filter(person=employment.person).exists():
            continue
        profile = services.save_profile(
            actor=coach, person=employment.person, today=TODAY, **_profile_values(rng)
        )
        made += 1
        if rng.random() < 0.5:
            _consent(profile, coach)
    return made


def _consent(profile: CandidateProfile, guide: User) -> None:
    for party in ("candidate", "professional"):
        services.record_profile_consent(
            actor=guide, profile=profile, party=party, given_on=TODAY - timedelta(days=10)
        )


def _outcomes(rng: random.Random, adviser: User, vacancies: list[Vacancy]) -> int:
    recorded = 0
    for vacancy in vacancies:
        ranked = [
            r
            for r in rank_candidates(vacancy, CandidateProfile.objects.all(), limit=10)
            if r.profile.shareable
        ]
        for r in ranked[:2]:
            services.record_match(
                actor=adviser,
                vacancy=vacancy,
                profile=r.profile,
                status="proposed",
                recorded_on=TODAY - timedelta(days=20),
            )
            final = rng.choice(["interview", "rejected", "placed"])
            services.record_match(
                actor=adviser,
                vacancy=vacancy,
                profile=r.profile,
                status=final,
                reason="employer_declined" if final == "rejected" else "",
                recorded_on=TODAY - timedelta(days=5),
            )
            recorded += 1
            if final == "placed":
                break
    return recorded
