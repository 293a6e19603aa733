"""Small builders for employer-services tests: an employer, a vacancy, a candidate profile."""

from datetime import date
from decimal import Decimal
from typing import Any

from werkregie.employer_services import services
from werkregie.employer_services.models import CandidateProfile, Employer, Vacancy
from werkregie.employer_services.vocabulary import DEMANDS, SKILLS
from werkregie.organisations.models import Organisation
from werkregie.people.models import Person
from werkregie.testing import make_person

TODAY = date(2026, 11, 23)


def make_employer(
    kvk: str = "12345678", name: str = "Twentse Metaal BV", postcode: str = "7601AB", **extra: Any
) -> Employer:
    values: dict[str, Any] = {
        "kvk_number": kvk,
        "name": name,
        "postcode": postcode,
        "city": "Almelo",
        "sbi_code": "2562",
        **extra,
    }
    return services.create_employer(actor=None, **values)


def make_vacancy(employer: Employer | None = None, **extra: Any) -> Vacancy:
    values: dict[str, Any] = {
        "employer": employer or make_employer(),
        "title": "Productiemedewerker",
        "occupation": "production",
        "hours_per_week": Decimal(32),
        "required_skills": SKILLS.mask(["accurate", "teamwork"]),
        "demands": DEMANDS.mask(["standing"]),
        "start_date": date(2027, 1, 4),
        **extra,
    }
    return services.save_vacancy(actor=None, **values)


def make_profile(
    person: Person | None = None,
    *,
    owner: str = "werkplein-almelo",
    shareable: bool = False,
    **extra: Any,
) -> CandidateProfile:
    values: dict[str, Any] = {
        "experience": [{"occupation": "production", "description": "Inpakken", "years": 3}],
        "skills": SKILLS.mask(["accurate", "teamwork"]),
        "hours_min": Decimal(24),
        "hours_max": Decimal(36),
        "max_travel_km": 20,
        "available_from": date(2026, 12, 1),
        **extra,
    }
    profile = services.save_profile(
        actor=None,
        person=person or make_person(),
        today=TODAY,
        owner=Organisation.objects.get(code=owner),
        **values,
    )
    if shareable:
        CandidateProfile.objects.filter(pk=profile.pk).update(
            candidate_consent_on=TODAY, professional_consent_on=TODAY
        )
        profile.refresh_from_db()
    return profile
