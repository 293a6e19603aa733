from datetime import date

from werkregie.accounts.models import User
from werkregie.organisations.models import Municipality, Organisation, Site, SiteOccupancy, Team
from werkregie.people.models import Person
from werkregie.testing import make_employment, make_person


def test_client_director_sees_only_residents_of_own_municipality(cast: dict[str, User]) -> None:
    almelo, wierden = make_person(residence="GM0141"), make_person(residence="GM0189")
    visible = set(Person.objects.visible_to(cast["client_director_almelo"]))
    assert almelo in visible and wierden not in visible


def test_hr_of_nuo_sees_employees_of_all_six_employers_not_clients(cast: dict[str, User]) -> None:
    employee = make_person(residence="GM0163")
    make_employment(employee, employer="gemeente-hellendoorn")
    client = make_person(residence="GM0141")
    visible = set(Person.objects.visible_to(cast["hr_nuo"]))
    assert employee in visible and client not in visible


def test_jobcoach_sees_people_in_teams_of_own_organisation(cast: dict[str, User]) -> None:
    nuo = Organisation.objects.get(code="nuo")
    team = Team.objects.create(name="Montage 1", organisation=nuo, site=Site.objects.first())
    coached, other = make_person(), make_person()
    make_employment(coached, team=team)
    make_employment(other)
    visible = set(Person.objects.visible_to(cast["jobcoach_nuo"]))
    assert coached in visible and other not in visible


def test_jobcoach_sees_people_at_a_site_only_while_the_organisation_uses_it(
    cast: dict[str, User],
) -> None:
    nuo = Organisation.objects.get(code="nuo")
    almelo = Municipality.objects.get(cbs_code="GM0141")
    current = Site.objects.create(code="nu", name="Nu", municipality=almelo)
    former = Site.objects.create(code="vroeger", name="Vroeger", municipality=almelo)
    SiteOccupancy.objects.create(site=current, organisation=nuo)
    SiteOccupancy.objects.create(site=former, organisation=nuo, valid_to=date(2021, 12, 31))
    here, gone = make_person(), make_person()
    make_employment(here, site=current)
    make_employment(gone, site=former)
    visible = set(Person.objects.visible_to(cast["jobcoach_nuo"]))
    assert here in visible and gone not in visible


def test_aggregate_roles_and_outsider_see_no_person(cast: dict[str, User]) -> None:
    make_employment(make_person())
    for name in (
        "controller_wierden",
        "board_nuo",
        "employer_adviser",
        "functional_admin",
        "outsider",
    ):
        assert not Person.objects.visible_to(cast[name]).exists(), name
