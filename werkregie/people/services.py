"""The people registry's write API: every change is atomic and writes its audit row."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.bsn import mask_bsn, normalise_bsn
from werkregie.core.db import filter_in
from werkregie.core.errors import DomainError
from werkregie.core.money import cents
from werkregie.organisations.models import Municipality, Organisation, Site, Team
from werkregie.organisations.region import municipality_for_postcode
from werkregie.people.events import PeopleEvent
from werkregie.people.models import Employment, Person

# In the order a Dutch form asks them: initials, prefix, surname.
PERSON_FIELDS = (
    "bsn",
    "personnel_number",
    "initials",
    "given_name",
    "surname_prefix",
    "surname",
    "birth_date",
    "sex",
    "postcode",
    "house_number",
    "residence_municipality",
)
EMPLOYMENT_FIELDS = (
    "kind",
    "employer",
    "indication",
    "work_form",
    "collective_agreement",
    "scale",
    "step",
    "hours_per_week",
    "gross_monthly_wage",
    "job_title",
    "team",
    "site",
    "work_municipality",
    "valid_from",
    "valid_to",
)


class EmploymentFields(TypedDict, total=False):
    """The fields of an employment (`EMPLOYMENT_FIELDS`) as `create_employment` takes them."""

    kind: str
    employer: Organisation
    indication: str
    work_form: str
    collective_agreement: str
    scale: str
    step: int | None
    hours_per_week: Decimal
    gross_monthly_wage: Decimal
    job_title: str
    team: Team | None
    site: Site | None
    work_municipality: Municipality | None
    valid_from: date
    valid_to: date | None


# What a new version may change; kind and period belong to the version itself.
CHANGEABLE_EMPLOYMENT_FIELDS = tuple(
    name for name in EMPLOYMENT_FIELDS if name not in {"kind", "valid_from", "valid_to"}
)


def _person_snapshot(person: Person) -> dict[str, Any]:
    # The audit trail proves that a BSN changed without copying the number itself.
    values = audit.snapshot(person, PERSON_FIELDS)
    values["bsn"] = mask_bsn(values["bsn"])
    return values


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    if cleaned.get("bsn"):
        cleaned["bsn"] = normalise_bsn(cleaned["bsn"])
    elif "bsn" in cleaned:
        cleaned["bsn"] = None
    if "personnel_number" in cleaned and not cleaned["personnel_number"]:
        cleaned["personnel_number"] = None
    if cleaned.get("postcode"):
        cleaned["postcode"] = cleaned["postcode"].replace(" ", "").upper()
    return cleaned


def _residence(postcode: str, explicit: Municipality | None) -> Municipality:
    """Residence from the explicit choice, else from the postcode (DOMAIN.md: residence decides)."""
    if explicit is not None:
        return explicit
    found = municipality_for_postcode(postcode) if postcode else None
    if found is None:
        raise DomainError(
            "De woongemeente is niet af te leiden uit de postcode: kies de woongemeente.",
            field="residence_municipality",
        )
    return found


@transaction.atomic
def create_person(
    *,
    actor: User | None,
    surname: str,
    birth_date: date,
    sex: str,
    bsn: str | None = None,
    personnel_number: str | None = None,
    surname_prefix: str = "",
    initials: str = "",
    given_name: str = "",
    postcode: str = "",
    house_number: str = "",
    residence_municipality: Municipality | None = None,
) -> Person:
    """Register a person; the BSN must pass the 11-proef (DOMAIN.md, facts: BSN)."""
    values = _normalise(
        {
            "bsn": bsn,
            "personnel_number": personnel_number,
            "surname": surname,
            "surname_prefix": surname_prefix,
            "initials": initials,
            "given_name": given_name,
            "birth_date": birth_date,
            "sex": sex,
            "postcode": postcode,
            "house_number": house_number,
        }
    )
    person = Person(
        **values,
        residence_municipality=_residence(values["postcode"], residence_municipality),
    )
    person.full_clean()
    person.save()
    audit.record_change(
        actor=actor,
        action=PeopleEvent.PERSON_CREATED,
        obj=person,
        changes=audit.diff({}, _person_snapshot(person)),
    )
    return person


@transaction.atomic
def update_person(*, actor: User | None, person: Person, changes: dict[str, Any]) -> Person:
    """Change a person's attributes; a new postcode re-derives residence unless one is given."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Not person fields: {sorted(unknown)}")
    before = _person_snapshot(person)
    values = _normalise(changes)
    if "postcode" in values and "residence_municipality" not in values:
        values["residence_municipality"] = _residence(values["postcode"], None)
    for key, value in values.items():
        setattr(person, key, value)
    person.full_clean()
    person.save()
    changed = audit.diff(before, _person_snapshot(person))
    if changed:
        audit.record_change(
            actor=actor, action=PeopleEvent.PERSON_CHANGED, obj=person, changes=changed
        )
    return person


@transaction.atomic
def create_employment(
    *, actor: User | None, person: Person, **fields: Unpack[EmploymentFields]
) -> Employment:
    """Record an employment of `person`; fields are those of `Employment`."""
    unknown = set(fields) - set(EMPLOYMENT_FIELDS)
    if unknown:
        raise ValueError(f"Not employment fields: {sorted(unknown)}")
    employment = Employment(person=person, **fields)
    employment.full_clean()
    employment.save()
    audit.record_change(
        actor=actor,
        action=PeopleEvent.EMPLOYMENT_CREATED,
        obj=employment,
        changes=audit.diff({}, audit.snapshot(employment, EMPLOYMENT_FIELDS)),
    )
    return employment


@transaction.atomic
def change_employment(
    *, actor: User | None, employment: Employment, effective_date: date, changes: dict[str, Any]
) -> Employment:
    """Change an employment from `effective_date` on, keeping history (DOMAIN.md rule 5).

    The running version ends the day before and a new version starts with the changes;
    nothing is overwritten. One audit event carries the old and new values.
    """
    forbidden = set(changes) - set(CHANGEABLE_EMPLOYMENT_FIELDS)
    if forbidden:
        raise ValueError(f"Cannot change through a new version: {sorted(forbidden)}")
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    if employment.valid_to is not None and employment.valid_to < effective_date:
        raise DomainError(
            "Dit dienstverband is al beëindigd vóór de ingangsdatum van de wijziging.",
            field="effective_date",
        )
    if effective_date <= employment.valid_from:
        raise DomainError(
            "De ingangsdatum moet na de begindatum van het huidige dienstverband liggen "
            f"({employment.valid_from:%d-%m-%Y}).",
            field="effective_date",
        )
    before = audit.snapshot(employment, EMPLOYMENT_FIELDS)
    successor = Employment(
        person_id=employment.person_id,
        **{name: getattr(employment, name) for name in EMPLOYMENT_FIELDS},
    )
    for key, value in changes.items():
        setattr(successor, key, value)
    successor.valid_from = effective_date
    successor.valid_to = employment.valid_to
    employment.valid_to = effective_date - timedelta(days=1)
    employment.full_clean()
    employment.save(update_fields=["valid_to"])
    successor.full_clean()
    successor.save()
    changed = audit.diff(before, audit.snapshot(successor, EMPLOYMENT_FIELDS))
    changed.pop("valid_from", None)
    changed.pop("valid_to", None)
    audit.record_change(
        actor=actor,
        action=PeopleEvent.EMPLOYMENT_CHANGED,
        obj=successor,
        changes={
            **changed,
            "effective_date": {"old": None, "new": effective_date.isoformat()},
            "previous_version": {"old": employment.pk, "new": successor.pk},
        },
    )
    return successor


def later_versions(employment: Employment) -> list[Employment]:
    """The versions of the same employment kind that start after this one, in order."""
    return list(
        Employment.objects.filter(
            person_id=employment.person_id,
            kind=employment.kind,
            valid_from__gt=employment.valid_from,
        ).order_by("valid_from")
    )


_WAGE = "gross_monthly_wage"


def _carry(
    later: Employment, changes: dict[str, Any], old: dict[str, Any], base_hours: Decimal
) -> dict[str, Any]:
    """What a change from an earlier date means for a later version: a field that still had
    the old value gets the new one; a wage change follows the hours of the later version."""
    carried = {n: v for n, v in changes.items() if n != _WAGE and getattr(later, n) == old[n]}
    if _WAGE not in changes or not (carried or set(changes) == {_WAGE}):
        return carried
    if "hours_per_week" in carried and old["hours_per_week"]:
        carried[_WAGE] = cents(
            later.gross_monthly_wage * changes["hours_per_week"] / old["hours_per_week"]
        )
    else:
        ratio = later.hours_per_week / base_hours if base_hours else Decimal(1)
        delta = cents((changes[_WAGE] - old[_WAGE]) * ratio)
        carried[_WAGE] = max(Decimal(0), later.gross_monthly_wage + delta)
    return carried


def _save_changed(
    *, actor: User | None, employment: Employment, changes: dict[str, Any], **noted: Any
) -> None:
    """Change a version in place (a correction from its own start, or a carried change),
    audited with the old and new values and what `noted` adds."""
    before = audit.snapshot(employment, EMPLOYMENT_FIELDS)
    for name, value in changes.items():
        setattr(employment, name, value)
    employment.full_clean()
    employment.save()
    audit.record_change(
        actor=actor,
        action=PeopleEvent.EMPLOYMENT_CHANGED,
        obj=employment,
        changes={
            **audit.diff(before, audit.snapshot(employment, EMPLOYMENT_FIELDS)),
            **{name: {"old": None, "new": value} for name, value in noted.items()},
        },
    )


@transaction.atomic
def revise_employment(
    *, actor: User | None, employment: Employment, effective_date: date, changes: dict[str, Any]
) -> Employment:
    """A change as HR records it (a mutatie, an indexation): from the version's own start it
    corrects that version, from a later date a new version starts (`change_employment`); and
    versions that already start after the date follow (`_carry`), so a change effective in
    the past carries through to today. Returns the version valid on `effective_date`."""
    old = {name: getattr(employment, name) for name in changes}
    base_hours = employment.hours_per_week
    if effective_date == employment.valid_from:
        _save_changed(actor=actor, employment=employment, changes=changes)
        current = employment
    else:
        current = change_employment(
            actor=actor, employment=employment, effective_date=effective_date, changes=changes
        )
    for later in later_versions(current):
        carried = _carry(later, changes, old, base_hours)
        if carried:
            _save_changed(
                actor=actor,
                employment=later,
                changes=carried,
                carried_from=effective_date.isoformat(),
            )
    return current


@transaction.atomic
def end_employment(
    *, actor: User | None, employment: Employment, last_day: date, reason: str
) -> None:
    """The employment ends after `last_day` (uitdiensttreding). Refused while versions start
    after it: they would be left without their history."""
    if later_versions(employment):
        raise DomainError(
            "Na deze datum staan al wijzigingen in het dienstverband; beëindig het op of na "
            "de laatste wijziging.",
            field="effective_date",
        )
    change = {
        "valid_to": {"old": audit.json_value(employment.valid_to), "new": last_day.isoformat()}
    }
    employment.valid_to = last_day
    employment.full_clean()
    employment.save(update_fields=["valid_to"])
    audit.record_change(
        actor=actor,
        action=PeopleEvent.EMPLOYMENT_CHANGED,
        obj=employment,
        changes={**change, "end_reason": {"old": None, "new": reason}},
    )


# -- Bulk entry points (plan execution): people owns every Person and Employment write --------


def register_persons(
    *, actor: User | None, persons: list[Person], reason: dict[str, Any]
) -> list[Person]:
    """Many new registry persons at once (unsaved, validated by the caller's import): one
    bulk insert, each creation audited with `reason` (e.g. the plan that registered them)."""
    created = Person.objects.bulk_create(persons, batch_size=2000)
    audit.record_changes(
        actor=actor, action=PeopleEvent.PERSON_CREATED, changes=((p, reason) for p in created)
    )
    return created


def transfer_employments(
    *,
    actor: User | None,
    from_employer: Organisation,
    day: date,
    new: list[Employment],
    started: dict[int, date],
    reason: dict[str, Any],
) -> list[Employment]:
    """Every person of `new` leaves `from_employer` at the end of the day before `day` and
    starts the new employment (unsaved, valid from `day`) — the history is kept as in
    `change_employment`: a running employment there is ended; a person never registered
    there gets the old employment as history (the new one's terms, from `started[person]`).
    One bulk write each; every change audited with `reason`. Returns the new employments,
    saved, in the order given."""
    day_before = day - timedelta(days=1)
    at_old = Employment.objects.filter(employer=from_employer, valid_from__lt=day).exclude(
        valid_to__lt=day
    )
    running = {e.person_id: e for e in filter_in(at_old, "person_id", [e.person_id for e in new])}
    ended = []
    for employment in running.values():
        before = employment.valid_to
        employment.valid_to = day_before
        ended.append(
            (
                employment,
                {"valid_to": {"old": audit.json_value(before), "new": day_before.isoformat()}},
            )
        )
    Employment.objects.bulk_update([e for e, _ in ended], ["valid_to"], batch_size=2000)
    history = [
        _copy(
            e,
            employer_id=from_employer.pk,
            team_id=None,
            valid_from=min(started[e.person_id], day_before),
            valid_to=day_before,
        )
        for e in new
        if e.person_id not in running
    ]
    Employment.objects.bulk_create(history, batch_size=2000)
    created = Employment.objects.bulk_create(new, batch_size=2000)
    audit.record_changes(actor=actor, action=PeopleEvent.EMPLOYMENT_CHANGED, changes=ended)
    audit.record_changes(
        actor=actor,
        action=PeopleEvent.EMPLOYMENT_CREATED,
        changes=((e, reason) for e in [*history, *created]),
    )
    return created


def _copy(employment: Employment, **overrides: Any) -> Employment:
    values = {
        f.attname: getattr(employment, f.attname)
        for f in Employment._meta.concrete_fields
        if not f.primary_key
    }
    return Employment(**{**values, **overrides})
