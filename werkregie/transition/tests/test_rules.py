from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from werkregie.transition.rules import (
    GUARANTEED,
    Policy,
    Situation,
    guarantee_violations,
    propose,
    team_split_flags,
)

POLICY = Policy.load()
SIX = sorted(POLICY.employers)
BASE = Situation(
    personnel_number="1",
    contract_kind="wsw",
    work_form="beschut_binnen",
    residence="GM0141",
    work_municipality="GM0141",
    site_organisation="nuo",
    site_municipality="GM0141",
    team="Montage 1",
    hirer_kvk="",
)


def _codes(s: Situation) -> set[str]:
    return {f.code for f in propose(s, POLICY).flags}


def test_plain_case_is_decided_by_rules_1_and_3_without_flags() -> None:
    proposal = propose(BASE, POLICY)
    assert (proposal.employer, proposal.organisation, proposal.flags) == (
        "gemeente-almelo",
        "nuo",
        (),
    )
    assert any(r.startswith("Regel 1") for r in proposal.rules)


def test_green_worker_living_elsewhere_is_flagged() -> None:
    s = replace(
        BASE,
        work_form="groen",
        residence="GM0141",
        work_municipality="GM0189",
        site_organisation=None,
    )
    proposal = propose(s, POLICY)
    assert (proposal.employer, proposal.organisation) == ("gemeente-almelo", "buitendienst-wierden")
    assert "green_residence_differs" in _codes(s)


def test_hellendoorn_resident_at_the_almelo_site_is_flagged() -> None:
    s = replace(BASE, residence="GM0163")
    assert propose(s, POLICY).organisation == "multipack-nijverdal"
    assert "site_differs_from_rule" in _codes(s)


def test_resident_outside_the_six_is_flagged_with_work_municipality_as_proposal() -> None:
    s = replace(BASE, residence="GM0153", work_municipality="GM0189")
    assert propose(s, POLICY).employer == "gemeente-wierden"
    assert "residence_outside_region" in _codes(s)


def test_staff_always_needs_confirmation() -> None:
    assert "staff_proposal" in _codes(replace(BASE, contract_kind="staf", work_form="staf"))


def test_secondment_to_the_old_company_itself_is_flagged() -> None:
    s = replace(
        BASE, work_form="individuele_detachering", hirer_kvk=next(iter(POLICY.old_company_kvk))
    )
    assert "hirer_is_old_company" in _codes(s)


def test_missing_destination_is_flagged_not_guessed() -> None:
    s = replace(
        BASE,
        residence="GM0153",
        work_municipality=None,
        site_organisation=None,
        site_municipality=None,
    )
    proposal = propose(s, POLICY)
    assert proposal.employer is None and proposal.organisation is None
    assert {"missing_employer", "missing_site"} <= _codes(s)


def test_team_going_to_two_organisations_flags_every_member() -> None:
    flags = team_split_flags(
        [("1", "A", "nuo"), ("2", "A", "multipack-nijverdal"), ("3", "B", "nuo")]
    )
    assert set(flags) == {"1", "2"} and flags["1"].code == "team_split"


situations = st.builds(
    Situation,
    personnel_number=st.just("1"),
    contract_kind=st.sampled_from(["wsw", "beschut", "staf"]),
    work_form=st.sampled_from(
        [
            "beschut_binnen",
            "groepsdetachering",
            "individuele_detachering",
            "begeleid_werken",
            "groen",
            "staf",
        ]
    ),
    residence=st.sampled_from([*SIX, "GM0153", "GM1774"]),
    work_municipality=st.sampled_from([*SIX, "GM0153", None]),
    site_organisation=st.sampled_from(["nuo", "multipack-nijverdal", "de-sterkerij", None]),
    site_municipality=st.sampled_from([*SIX, None]),
    team=st.just("T"),
    hirer_kvk=st.sampled_from(["", "12345678", "06050613"]),
)


@given(situations)
def test_every_proposal_has_a_destination_or_a_flag_that_says_why_not(s: Situation) -> None:
    proposal = propose(s, POLICY)
    codes = {f.code for f in proposal.flags}
    # Equivalences, not implications: a flag is raised exactly when its reason holds, so
    # every example checks all three (and a flag without its reason fails too).
    assert (proposal.employer is None) == ("missing_employer" in codes)
    assert (proposal.organisation is None) == bool(
        codes & {"missing_site", "missing_work_municipality"}
    )
    outside = s.residence not in POLICY.employers and s.contract_kind != "staf"
    assert outside == ("residence_outside_region" in codes)


def test_guarantees_name_every_changed_field() -> None:
    old = {
        "contract_kind": "wsw",
        "indication": "matig",
        "scale": "3",
        "step": 4,
        "hours_per_week": Decimal("36.00"),
        "gross_monthly_wage": Decimal("2612.40"),
    }
    assert guarantee_violations(old, {**old, "employer": 1, "organisation": 2}) == []
    problems = guarantee_violations(
        old, {**old, "gross_monthly_wage": Decimal("2600.00"), "employer": None, "organisation": 2}
    )
    assert any("bruto maandloon" in p for p in problems)
    assert any("geen werkgever" in p for p in problems)
    assert set(GUARANTEED) == set(old)
