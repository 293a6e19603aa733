from datetime import date

from werkregie.organisations.models import Membership, Municipality, Organisation
from werkregie.organisations.region import load_region, municipality_for_postcode


def test_loads_six_municipalities_and_the_new_organisations(db: None) -> None:
    load_region()
    assert Municipality.objects.filter(in_region=True).count() == 6
    nuo = Organisation.objects.get(code="nuo")
    assert sorted(nuo.members.values_list("cbs_code", flat=True)) == [
        "GM0141",
        "GM0183",
        "GM0189",
        "GM1700",
    ]
    assert set(
        Membership.objects.filter(organisation=nuo).values_list("board_seat", flat=True)
    ) == {"gemeentesecretaris"}
    assert nuo.hr_for.count() == 6
    assert Organisation.objects.filter(kind=Organisation.Kind.WERKPLEIN).count() == 6
    assert Organisation.objects.filter(kind=Organisation.Kind.OUTDOOR_SERVICE).count() == 6


def test_loading_twice_changes_nothing(db: None) -> None:
    load_region()
    counts = (Organisation.objects.count(), Membership.objects.count())
    result = load_region()
    assert (result.created, result.updated) == (0, 0)
    assert (Organisation.objects.count(), Membership.objects.count()) == counts


def test_shows_the_old_company_before_and_the_nuo_after_the_transition(db: None) -> None:
    load_region()
    before = set(Organisation.objects.active_on(date(2020, 12, 31)).values_list("code", flat=True))
    after = set(Organisation.objects.active_on(date(2021, 1, 1)).values_list("code", flat=True))
    assert {"gr-soweco", "soweco-nv"} <= before
    assert "nuo" not in before
    assert {"nuo", "multipack-nijverdal", "de-sterkerij"} <= after
    assert not {"gr-soweco", "soweco-nv"} & after


def test_derives_municipality_from_postcode(db: None) -> None:
    load_region()
    almelo = municipality_for_postcode("7607 AB")
    assert almelo is not None and almelo.cbs_code == "GM0141"
    nijverdal = municipality_for_postcode("7442XX")
    assert nijverdal is not None and nijverdal.cbs_code == "GM0163"
    assert municipality_for_postcode("1012AB") is None
