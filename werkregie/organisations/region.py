"""Loading the regional model (organisations, municipalities, sites) from region.yaml."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from werkregie.core import audit
from werkregie.core.errors import DomainError
from werkregie.organisations.events import OrganisationsEvent
from werkregie.organisations.models import (
    Membership,
    Municipality,
    Organisation,
    PostcodeArea,
    Site,
    SiteOccupancy,
)

REGION_FILE = Path(__file__).parent / "data" / "region.yaml"


@dataclass(frozen=True)
class LoadResult:
    version: str
    created: int
    updated: int


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def yaml_date(value: Any, *, where: str = "het regiobestand") -> datetime.date | None:
    """A date from a YAML data file (YAML reads 2021-01-01 as a date), or None."""
    if value is None or isinstance(value, datetime.date):
        return value
    raise DomainError(f"Ongeldige datum in {where}: {value!r}")


def _coordinate(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.00001"))


def upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Any, bool, bool]:
    """Create or update one row of a data file; report (obj, created, changed) so reloading
    changes nothing. Shared by the loaders of versioned data (region, catalogue)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, True, False
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj, False, bool(changed)


@transaction.atomic
def load_region(*, path: Path = REGION_FILE, actor: AbstractBaseUser | None = None) -> LoadResult:
    """Load the region file; idempotent, keyed on CBS code and organisation/site code."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = updated = 0

    def count(result: tuple[Any, bool, bool]) -> Any:
        nonlocal created, updated
        created += result[1]
        updated += result[2]
        return result[0]

    municipalities: dict[str, Municipality] = {}
    for row in data["municipalities"]:
        municipalities[row["cbs_code"]] = count(
            upsert(
                Municipality,
                {"cbs_code": row["cbs_code"]},
                {
                    "name": row["name"],
                    "in_region": bool(row.get("in_region", False)),
                    "role_in_model": row.get("role_in_model", ""),
                    "latitude": _coordinate(row.get("lat")),
                    "longitude": _coordinate(row.get("lon")),
                },
            )
        )

    wanted_areas = {(r["from"], r["to"], r["cbs_code"]) for r in data["postcode_areas"]}
    existing_areas = {
        (a.pc4_from, a.pc4_to, a.municipality.cbs_code): a
        for a in PostcodeArea.objects.select_related("municipality")
    }
    for key, area in existing_areas.items():
        if key not in wanted_areas:
            area.delete()
            updated += 1
    for pc_from, pc_to, code in sorted(wanted_areas - set(existing_areas)):
        PostcodeArea.objects.create(
            pc4_from=pc_from, pc4_to=pc_to, municipality=municipalities[code]
        )
        created += 1

    rows = list(data["organisations"])
    for code in [c for c, m in municipalities.items() if m.in_region]:
        name = municipalities[code].name
        for template in data["per_municipality"]:
            row = {
                k: v.format(slug=_slug(name), name=name) if isinstance(v, str) else v
                for k, v in template.items()
            }
            row["municipality"] = code
            rows.append(row)

    organisations: dict[str, Organisation] = {}
    for row in rows:
        organisations[row["code"]] = count(
            upsert(
                Organisation,
                {"code": row["code"]},
                {
                    "name": row["name"],
                    "kind": row["kind"],
                    "municipality": municipalities[row["municipality"]]
                    if row.get("municipality")
                    else None,
                    "description": row.get("description", ""),
                    "valid_from": yaml_date(row.get("valid_from")),
                    "valid_to": yaml_date(row.get("valid_to")),
                },
            )
        )
    for row in rows:
        org = organisations[row["code"]]
        parent = organisations[row["parent"]] if row.get("parent") else None
        if org.parent_id != (parent.pk if parent else None):
            org.parent = parent
            org.save(update_fields=["parent"])
            updated += 1
        for cbs in row.get("members", []):
            count(
                upsert(
                    Membership,
                    {"organisation": org, "municipality": municipalities[cbs]},
                    {"board_seat": row.get("board_seat", "")},
                )
            )
        wanted_hr = {organisations[c].pk for c in row.get("hr_for", [])}
        if set(org.hr_for.values_list("pk", flat=True)) != wanted_hr:
            org.hr_for.set(wanted_hr)
            updated += 1

    for row in data["sites"]:
        site = count(
            upsert(
                Site,
                {"code": row["code"]},
                {
                    "name": row["name"],
                    "municipality": municipalities[row["municipality"]],
                    "address": row.get("address", ""),
                    "aliases": list(row.get("aliases", [])),
                    "capacity_workplaces": row.get("capacity_workplaces", 0),
                    "floor_area_m2": row.get("floor_area_m2", 0),
                },
            )
        )
        for occ in row.get("occupancy", []):
            count(
                upsert(
                    SiteOccupancy,
                    {
                        "site": site,
                        "organisation": organisations[occ["organisation"]],
                        "valid_from": yaml_date(occ.get("valid_from")),
                    },
                    {"valid_to": yaml_date(occ.get("valid_to"))},
                )
            )

    version = str(data["version"])
    if created or updated:
        audit.record_change(
            actor=actor,
            action=OrganisationsEvent.REGION_LOADED,
            obj=organisations["nuo"],
            changes={"version": version, "created": created, "updated": updated},
        )
    return LoadResult(version=version, created=created, updated=updated)


def municipality_for_postcode(postcode: str) -> Municipality | None:
    """The municipality whose PC4 range holds this postcode, or None when unknown."""
    digits = postcode.strip()[:4]
    if not digits.isdigit():
        return None
    pc4 = int(digits)
    area = (
        PostcodeArea.objects.select_related("municipality")
        .filter(pc4_from__lte=pc4, pc4_to__gte=pc4)
        .first()
    )
    return area.municipality if area else None
