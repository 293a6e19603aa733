"""Employer services' write API: employers, account holders, the shared contact log,
agreements, vacancies, candidate profiles with their consents, and match outcomes. Every
change is audited in its own transaction (DOMAIN.md: employer services of NUO and werkplein).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any, TypedDict, TypeVar, Unpack

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.access import Role, role_of
from werkregie.core.errors import DomainError
from werkregie.employer_services import matching
from werkregie.employer_services.events import EmployerServicesEvent
from werkregie.employer_services.match_queries import (
    candidate_facts,
    distances_from,
    job_facts,
)
from werkregie.employer_services.models import (
    AccountHolder,
    Agreement,
    CandidateProfile,
    ContactMoment,
    Employer,
    EmployerContact,
    Match,
    Vacancy,
    normalise_employer_name,
    normalise_postcode,
)
from werkregie.employer_services.vocabulary import OCCUPATIONS
from werkregie.organisations.models import Municipality, Organisation, PostcodeArea
from werkregie.people.models import Employment, Person

M = TypeVar("M", bound=models.Model)

# Names this alike (difflib ratio) at the same postcode are probably the same employer.
SIMILAR_NAME = 0.85


class EmployerFields(TypedDict, total=False):
    """What a screen, the API or an import may set on an employer (the municipality follows
    from the postcode; merging is `merge_employers`)."""

    kvk_number: str
    establishment_number: str
    name: str
    sbi_code: str
    sector: str
    street: str
    house_number: str
    postcode: str
    city: str
    staff_count: int | None


class ContactFields(TypedDict, total=False):
    name: str
    function: str
    email: str
    phone: str
    active: bool


class ContactMomentFields(TypedDict, total=False):
    occurred_on: date
    channel: str
    subject: str
    notes: str
    follow_up_on: date | None


class AgreementFields(TypedDict, total=False):
    kind: str
    description: str
    party: Organisation
    valid_from: date
    valid_to: date | None


class VacancyFields(TypedDict, total=False):
    employer: Employer
    title: str
    occupation: str
    hours_per_week: Decimal
    municipality: Municipality | None
    location: str
    required_skills: int
    demands: int
    requirements: str
    start_date: date
    positions: int
    status: str


class ProfileFields(TypedDict, total=False):
    """What a candidate offers and cannot do (person, owner and kind: `save_profile`)."""

    status: str
    experience: list[dict[str, Any]]
    skills: int
    wished_occupations: int
    wished_sectors: int
    hours_min: Decimal
    hours_max: Decimal
    max_travel_km: int
    available_from: date
    restrictions: int
    restricted_hours: Decimal | None
    candidate_consent_on: date | None
    professional_consent_on: date | None
    consent_withdrawn_on: date | None


EMPLOYER_FIELDS = [
    "kvk_number",
    "establishment_number",
    "name",
    "sbi_code",
    "street",
    "house_number",
    "postcode",
    "city",
    "staff_count",
]


def municipality_of_postcode(postcode: str) -> Municipality | None:
    """The municipality whose PC4 range holds this postcode (the region's table)."""
    digits = normalise_postcode(postcode)[:4]
    if not digits.isdigit():
        return None
    area = (
        PostcodeArea.objects.filter(pc4_from__lte=int(digits), pc4_to__gte=int(digits))
        .select_related("municipality")
        .first()
    )
    return area.municipality if area else None


def names_alike(a: str, b: str) -> bool:
    """Two normalised employer names that are nearly the same."""
    return SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAME


def similar_employers(name: str, postcode: str, *, exclude: int | None = None) -> list[Employer]:
    """Current employers at the same postcode whose name is nearly the same."""
    wanted = normalise_employer_name(name)
    found = []
    for employer in Employer.objects.current().filter(postcode=normalise_postcode(postcode)):
        if employer.pk == exclude:
            continue
        if names_alike(wanted, employer.search_name):
            found.append(employer)
    return found


def _describe(employer: Employer) -> str:
    return f"{employer.name} (KvK {employer.kvk_number}, {employer.postcode} {employer.city})"


def check_duplicates(
    *, kvk_number: str, name: str, postcode: str, exclude: int | None = None, confirmed: bool
) -> None:
    """Refuse a second record for a KvK number, and a similar name at the same postcode
    unless the user confirmed it is another employer."""
    same = Employer.objects.current().filter(kvk_number=kvk_number).exclude(pk=exclude or 0).first()
    if same is not None:
        raise DomainError(
            f"Er is al een werkgever met KvK-nummer {kvk_number}: {_describe(same)}.",
            field="kvk_number",
        )
    if not confirmed:
        similar = similar_employers(name, postcode, exclude=exclude)
        if similar:
            raise DomainError(
                "Mogelijk dubbel: " + "; ".join(_describe(e) for e in similar) + ". Bevestig "
                "dat het een andere werkgever is, of voeg de records samen.",
                field="name",
            )


@transaction.atomic
def create_employer(
    *, actor: User | None, confirmed: bool = False, **values: Unpack[EmployerFields]
) -> Employer:
    """One shared record per employer: a second record for its KvK number is refused."""
    employer = Employer(**values)
    employer.clean()
    check_duplicates(
        kvk_number=employer.kvk_number,
        name=employer.name,
        postcode=employer.postcode,
        confirmed=confirmed,
    )
    employer.municipality = municipality_of_postcode(employer.postcode)
    return audit.save_audited(
        actor, EmployerServicesEvent.EMPLOYER_CREATED, employer, EMPLOYER_FIELDS, {}
    )


@transaction.atomic
def update_employer(
    *,
    actor: User | None,
    employer: Employer,
    confirmed: bool = False,
    **values: Unpack[EmployerFields],
) -> Employer:
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if employer.merged_into_id:
        raise DomainError(f"Dit record is samengevoegd met {employer.merged_into}.")
    old = audit.snapshot(employer, EMPLOYER_FIELDS)
    for name, value in values.items():
        setattr(employer, name, value)
    employer.clean()
    check_duplicates(
        kvk_number=employer.kvk_number,
        name=employer.name,
        postcode=employer.postcode,
        exclude=employer.pk,
        confirmed=confirmed or employer.search_name == normalise_employer_name(old["name"]),
    )
    employer.municipality = municipality_of_postcode(employer.postcode)
    return audit.save_audited(
        actor, EmployerServicesEvent.EMPLOYER_CHANGED, employer, EMPLOYER_FIELDS, old
    )


@transaction.atomic
def merge_employers(
    *, actor: User | None, survivor: Employer, duplicate: Employer, on: date
) -> Employer:
    """Fold a duplicate record into the survivor: every record that points to the duplicate
    (contacts, contact log, agreements, vacancies, account history, secondment contracts,
    what other apps keep per employer) moves over, except sent documents such as invoices;
    the duplicate stays, marked as merged, so its history and old references remain
    readable."""
    if survivor.pk == duplicate.pk:
        raise DomainError("Kies twee verschillende werkgevers.", field="duplicate")
    locked = {
        e.pk: e
        for e in Employer.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])
    }
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    for employer in (survivor, duplicate):
        if employer.merged_into_id:
            raise DomainError(f"{employer} is al samengevoegd met {employer.merged_into}.")
    active = AccountHolder.objects.filter(employer=duplicate, ended_on__isnull=True)
    if AccountHolder.objects.filter(employer=survivor, ended_on__isnull=True).exists():
        # One account holder: the survivor's stays, the duplicate's ends with the merge.
        active.update(ended_on=on)
    moved: dict[str, int] = {}
    for relation in Employer._meta.related_objects:
        related: Any = relation.related_model
        # Sent documents (invoices) keep the record they were addressed to.
        if related is Employer or not relation.one_to_many:
            continue
        if getattr(related, "KEEPS_EMPLOYER_ON_MERGE", False):
            continue
        count = related._default_manager.filter(**{relation.field.name: duplicate}).update(
            **{relation.field.name: survivor}
        )
        if count:
            moved[related._meta.verbose_name_plural] = count
    duplicate.merged_into, duplicate.merged_on = survivor, on
    duplicate.save(update_fields=["merged_into", "merged_on"])
    for obj, other in ((survivor, duplicate), (duplicate, survivor)):
        audit.record_change(
            actor=actor,
            action=EmployerServicesEvent.EMPLOYER_MERGED,
            obj=obj,
            changes={
                "merged": {
                    "old": None,
                    "new": {"survivor": survivor.pk, "duplicate": duplicate.pk},
                },
                "with": {"old": None, "new": _describe(other)},
                "moved": {"old": None, "new": moved},
            },
        )
    return survivor


# -- account holder, contacts, contact log, agreements ------------------------------------

ACCOUNT_ORGANISATIONS = (
    Organisation.Kind.FOUNDATION,
    Organisation.Kind.WERKPLEIN,
    Organisation.Kind.REGIONAL_WERKPLEIN,
)
ACCOUNT_ROLES = (Role.EMPLOYER_ADVISER, Role.JOB_COACH, Role.CLIENT_DIRECTOR)


def current_account_holder(employer: Employer) -> AccountHolder | None:
    return (
        employer.accounts.filter(ended_on__isnull=True)
        .select_related("user", "organisation")
        .first()
    )


@transaction.atomic
def assign_account_holder(
    *, actor: User | None, employer: Employer, user: User, started_on: date
) -> AccountHolder:
    """One account holder per employer, from the NUO or a werkplein: a second one is refused
    with the name of the current one (end that first)."""
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if employer.merged_into_id:
        raise DomainError(f"Dit record is samengevoegd met {employer.merged_into}.")
    current = current_account_holder(employer)
    if current is not None:
        raise DomainError(
            f"{employer.name} heeft al een accounthouder: {current} sinds "
            f"{current.started_on:%d-%m-%Y}. Beëindig dat eerst.",
            field="user",
        )
    org: Organisation | None = user.organisation
    if (
        role_of(user) not in ACCOUNT_ROLES
        or not user.is_active
        or org is None
        or org.kind not in ACCOUNT_ORGANISATIONS
    ):
        raise DomainError(
            f"{user} kan geen accounthouder zijn: dat is een actieve medewerker van de NUO of "
            "een werkplein (werkgeversadviseur, jobcoach of klantregisseur).",
            field="user",
        )
    holder = AccountHolder(employer=employer, user=user, organisation=org, started_on=started_on)
    return audit.save_audited(
        actor,
        EmployerServicesEvent.ACCOUNT_HOLDER_ASSIGNED,
        holder,
        ["user", "organisation", "started_on"],
        {},
    )


@transaction.atomic
def release_account_holder(
    *, actor: User | None, employer: Employer, ended_on: date
) -> AccountHolder:
    current = current_account_holder(employer)
    if current is None:
        raise DomainError(f"{employer.name} heeft geen accounthouder.")
    if ended_on < current.started_on:
        raise DomainError("De einddatum ligt vóór de begindatum.", field="ended_on")
    current.ended_on = ended_on
    return audit.save_audited(
        actor,
        EmployerServicesEvent.ACCOUNT_HOLDER_RELEASED,
        current,
        ["ended_on"],
        {"ended_on": None},
    )


def _live(employer: Employer) -> Employer:
    if employer.merged_into_id:
        raise DomainError(f"Dit record is samengevoegd met {employer.merged_into}; werk daar.")
    return employer


@transaction.atomic
def save_contact(
    *,
    actor: User | None,
    employer: Employer,
    contact: EmployerContact | None = None,
    **values: Unpack[ContactFields],
) -> EmployerContact:
    fields = ["name", "function", "email", "phone", "active"]
    old = audit.snapshot(contact, fields) if contact else {}
    contact = contact or EmployerContact(employer=_live(employer))
    for name, value in values.items():
        setattr(contact, name, value)
    return audit.save_audited(
        actor, EmployerServicesEvent.EMPLOYER_CONTACT_SAVED, contact, fields, old
    )


@transaction.atomic
def record_contact_moment(
    *, actor: User | None, employer: Employer, **values: Unpack[ContactMomentFields]
) -> ContactMoment:
    """A contact with the employer, in the log all organisations share."""
    moment = ContactMoment(
        employer=_live(employer),
        author=actor,
        organisation=getattr(actor, "organisation", None),
        **values,
    )
    if moment.follow_up_on and moment.follow_up_on < moment.occurred_on:
        raise DomainError("De vervolgdatum ligt vóór het contact.", field="follow_up_on")
    return audit.save_audited(
        actor,
        EmployerServicesEvent.CONTACT_MOMENT_RECORDED,
        moment,
        ["occurred_on", "channel", "subject"],
        {},
    )


@transaction.atomic
def record_agreement(
    *, actor: User | None, employer: Employer, **values: Unpack[AgreementFields]
) -> Agreement:
    agreement = Agreement(employer=_live(employer), recorded_by=actor, **values)
    return audit.save_audited(
        actor,
        EmployerServicesEvent.AGREEMENT_RECORDED,
        agreement,
        ["kind", "party", "valid_from", "valid_to"],
        {},
    )


# -- vacancies ---------------------------------------------------------------------------

VACANCY_FIELDS = [
    "employer",
    "title",
    "occupation",
    "hours_per_week",
    "municipality",
    "location",
    "required_skills",
    "demands",
    "requirements",
    "start_date",
    "positions",
    "status",
]


@transaction.atomic
def save_vacancy(
    *, actor: User | None, vacancy: Vacancy | None = None, **values: Unpack[VacancyFields]
) -> Vacancy:
    """Record or change a vacancy; its location defaults to the employer's municipality."""
    old = audit.snapshot(vacancy, VACANCY_FIELDS) if vacancy else {}
    vacancy = vacancy or Vacancy(created_by=actor)
    for name, value in values.items():
        setattr(vacancy, name, value)
    if vacancy.employer_id and vacancy.employer.merged_into_id:
        raise DomainError(
            f"{vacancy.employer} is samengevoegd met {vacancy.employer.merged_into}.",
            field="employer",
        )
    if not vacancy.municipality_id:
        if vacancy.employer_id is None or vacancy.employer.municipality_id is None:
            raise DomainError("Geef de gemeente van de werklocatie.", field="municipality")
        vacancy.municipality_id = vacancy.employer.municipality_id
    return audit.save_audited(
        actor, EmployerServicesEvent.VACANCY_SAVED, vacancy, VACANCY_FIELDS, old
    )


# -- candidate profiles ------------------------------------------------------------------

PROFILE_FIELDS = [
    "kind",
    "owner",
    "status",
    "experience",
    "skills",
    "wished_occupations",
    "wished_sectors",
    "hours_min",
    "hours_max",
    "max_travel_km",
    "available_from",
]
# Special-category data: the log says that they changed, never what they are.
SENSITIVE_FIELDS = ["restrictions", "restricted_hours"]
NOT_LOGGED = "(bijzonder persoonsgegeven, niet in het log)"


def kind_of_candidate(person: Person, day: date) -> str:
    """Wsw or nieuw beschut werk by the person's employment on `day`, else a client."""
    kinds = set(
        Employment.objects.active_on(day).filter(person=person).values_list("kind", flat=True)
    )
    if Employment.Kind.WSW in kinds:
        return CandidateProfile.Kind.WSW
    if Employment.Kind.SHELTERED_WORK in kinds:
        return CandidateProfile.Kind.SHELTERED_WORK
    return CandidateProfile.Kind.CLIENT


def _check_experience(experience: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for index, row in enumerate(experience, start=1):
        code = row.get("occupation")
        if code not in OCCUPATIONS.codes:
            raise DomainError(
                f"Werkervaring {index}: onbekend beroepsveld {code!r}.", field="experience"
            )
        years = row.get("years", 0)
        if not isinstance(years, int) or not 0 <= years <= 60:
            raise DomainError(
                f"Werkervaring {index}: jaren is een getal van 0 tot 60.", field="experience"
            )
        rows.append(
            {
                "occupation": code,
                "description": str(row.get("description", ""))[:200],
                "years": years,
            }
        )
    return rows


@transaction.atomic
def save_profile(
    *,
    actor: User | None,
    person: Person,
    today: date,
    profile: CandidateProfile | None = None,
    owner: Organisation | None = None,
    **values: Unpack[ProfileFields],
) -> CandidateProfile:
    """Record or change what a candidate offers and cannot do. The guiding organisation is
    the actor's (or `owner`); restrictions are logged as changed, never with their content."""
    if profile is None and CandidateProfile.objects.filter(person=person).exists():
        raise DomainError("Deze persoon heeft al een kandidaatprofiel.", field="person")
    old = audit.snapshot(profile, PROFILE_FIELDS) if profile else {}
    old_sensitive = audit.snapshot(profile, SENSITIVE_FIELDS) if profile else {}
    if profile is None:
        owner = owner or getattr(actor, "organisation", None)
        if owner is None:
            raise DomainError("Alleen een medewerker van een organisatie legt een profiel vast.")
        profile = CandidateProfile(
            person=person, owner=owner, kind=kind_of_candidate(person, today)
        )
    if "experience" in values:
        values["experience"] = _check_experience(values["experience"])
    for name, value in values.items():
        setattr(profile, name, value)
    profile.experience_mask = OCCUPATIONS.mask(row["occupation"] for row in profile.experience)
    profile.updated_at = timezone.now()
    if (
        profile.hours_min is not None
        and profile.hours_max is not None
        and profile.hours_max < profile.hours_min
    ):
        raise DomainError("Het maximum aantal uren is kleiner dan het minimum.", field="hours_max")
    profile.full_clean()
    profile.save()
    changes = audit.diff(old, audit.snapshot(profile, PROFILE_FIELDS))
    new_sensitive = audit.snapshot(profile, SENSITIVE_FIELDS)
    for name in SENSITIVE_FIELDS:
        if old_sensitive.get(name) != new_sensitive[name]:
            changes[name] = {"old": NOT_LOGGED if old_sensitive else None, "new": NOT_LOGGED}
    audit.record_change(
        actor=actor, action=EmployerServicesEvent.PROFILE_SAVED, obj=profile, changes=changes
    )
    return profile


class ConsentParty:
    CANDIDATE = "candidate"
    PROFESSIONAL = "professional"


@transaction.atomic
def record_profile_consent(
    *, actor: User | None, profile: CandidateProfile, party: str, given_on: date
) -> CandidateProfile:
    """The candidate, or their klantregisseur/jobcoach, agrees that the profile may be shown to
    employers. Both are needed; after a withdrawal both are asked anew."""
    profile = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.consent_withdrawn_on is not None:
        profile.candidate_consent_on = profile.professional_consent_on = None
        profile.professional_consent_by = None
        profile.consent_withdrawn_on = None
    if party == ConsentParty.CANDIDATE:
        field, old = "candidate_consent_on", profile.candidate_consent_on
        profile.candidate_consent_on = given_on
    elif party == ConsentParty.PROFESSIONAL:
        if role_of(actor) not in (Role.CLIENT_DIRECTOR, Role.JOB_COACH):
            raise DomainError(
                "Alleen de klantregisseur of jobcoach stemt in namens de begeleiding."
            )
        field, old = "professional_consent_on", profile.professional_consent_on
        profile.professional_consent_on, profile.professional_consent_by = given_on, actor
    else:
        raise DomainError("Kies wie instemt: de kandidaat of de begeleider.", field="party")
    profile.save(
        update_fields=[
            "candidate_consent_on",
            "professional_consent_on",
            "professional_consent_by",
            "consent_withdrawn_on",
        ]
    )
    audit.record_change(
        actor=actor,
        action=EmployerServicesEvent.PROFILE_CONSENT,
        obj=profile,
        changes={field: {"old": audit.json_value(old), "new": given_on.isoformat()}},
    )
    return profile


@transaction.atomic
def withdraw_profile_consent(
    *, actor: User | None, profile: CandidateProfile, withdrawn_on: date
) -> CandidateProfile:
    """Either side withdraws: employers no longer see the profile."""
    profile = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.consent_withdrawn_on is not None or not (
        profile.candidate_consent_on or profile.professional_consent_on
    ):
        raise DomainError("Er is geen toestemming om in te trekken.")
    profile.consent_withdrawn_on = withdrawn_on
    profile.save(update_fields=["consent_withdrawn_on"])
    audit.record_change(
        actor=actor,
        action=EmployerServicesEvent.PROFILE_CONSENT,
        obj=profile,
        changes={"consent_withdrawn_on": {"old": None, "new": withdrawn_on.isoformat()}},
    )
    return profile


# -- match outcomes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Explained:
    excluded: bool
    distance_km: int | None
    result: matching.MatchScore


def explain(vacancy: Vacancy, profile: CandidateProfile) -> Explained:
    """The hard rules and the score of one candidate for one vacancy."""
    distance = distances_from(vacancy.municipality_id).get(profile.person.residence_municipality_id)
    job, candidate = job_facts(vacancy), candidate_facts(profile)
    return Explained(
        excluded=matching.excluded(job, candidate, distance),
        distance_km=distance,
        result=matching.score(job, candidate, distance),
    )


@transaction.atomic
def record_match(
    *,
    actor: User | None,
    vacancy: Vacancy,
    profile: CandidateProfile,
    status: str,
    recorded_on: date,
    reason: str = "",
    note: str = "",
) -> Match:
    """Put a candidate forward for a vacancy, or record how it went (interview, placed,
    rejected with a reason). Putting forward shows the profile to the employer, so it needs
    both consents; a candidate whose restrictions conflict with the job is never proposed."""
    if status not in Match.Status.values:
        raise DomainError("Kies een uitkomst.", field="status")
    if status == Match.Status.REJECTED and not reason:
        raise DomainError("Geef de reden van de afwijzing.", field="reason")
    match = Match.objects.select_for_update().filter(vacancy=vacancy, profile=profile).first()
    if match is None:
        if vacancy.status != Vacancy.Status.OPEN:
            raise DomainError("Deze vacature is niet meer open.", field="vacancy")
        if not profile.shareable:
            raise DomainError(
                "De kandidaat en de klantregisseur/jobcoach moeten allebei instemmen met "
                "delen met werkgevers voordat de kandidaat wordt voorgesteld.",
                field="profile",
            )
        explained = explain(vacancy, profile)
        if explained.excluded:
            raise DomainError(
                "Dit werk past niet bij de beperkingen of reisafstand van de kandidaat; "
                "voorstellen kan niet.",
                field="profile",
            )
        match = Match(
            vacancy=vacancy,
            profile=profile,
            score=explained.result.score,
            criteria=explained.result.as_json(),
        )
    old = audit.snapshot(match, ["status", "reason"]) if match.pk else {}
    match.status, match.reason, match.note = (
        status,
        reason if status == Match.Status.REJECTED else "",
        note.strip(),
    )
    match.recorded_by, match.recorded_on = actor, recorded_on
    match = audit.save_audited(
        actor, EmployerServicesEvent.MATCH_RECORDED, match, ["status", "reason"], old
    )
    if status == Match.Status.PLACED:
        _fill(actor, vacancy, profile)
    return match


def _fill(actor: User | None, vacancy: Vacancy, profile: CandidateProfile) -> None:
    """A placement takes the candidate off the market; the last free place fills the vacancy."""
    CandidateProfile.objects.filter(pk=profile.pk).update(status=CandidateProfile.Status.PLACED)
    audit.record_change(
        actor=actor,
        action=EmployerServicesEvent.PROFILE_SAVED,
        obj=profile,
        changes={"status": {"old": profile.status, "new": CandidateProfile.Status.PLACED}},
    )
    placed = vacancy.matches.filter(status=Match.Status.PLACED).count()
    if placed >= vacancy.positions and vacancy.status == Vacancy.Status.OPEN:
        save_vacancy(actor=actor, vacancy=vacancy, status=Vacancy.Status.FILLED)


def employer_search(query: str) -> Q:
    """Search by name, KvK number or postcode."""
    text = query.strip()
    if text.isdigit() and len(text) == 8:
        return Q(kvk_number=text)
    compact = normalise_postcode(text)
    if len(compact) in (4, 6) and compact[:4].isdigit():
        return Q(postcode__startswith=compact)
    return Q(search_name__contains=normalise_employer_name(text))
