from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werkregie.accounts.models import User
from werkregie.core.access import Role
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.core.reports import Column, Persons, Table, Unit, UnitError, WorkYears
from werkregie.hr import contribution, payroll, payroll_file, services, statistics
from werkregie.hr.models import (
    Absence,
    EmploymentChange,
    IndexationLine,
    PayrollExport,
    PayrollLine,
)
from werkregie.hr.wages import WageTables, indexed_wage, pension_date
from werkregie.organisations.models import Municipality, Organisation
from werkregie.people.models import Employment
from werkregie.testing import login_client, make_employment, make_person, make_user

ALMELO = "gemeente-almelo"


def _employee(number: str = "1001", **extra: Any) -> Employment:
    person = make_person(personnel_number=number, surname=f"Medewerker{number}")
    return make_employment(person, **extra)


# --- Persons and arbeidsjaren --------------------------------------------------------------


def test_persons_and_work_years_refuse_to_be_added() -> None:
    with pytest.raises(UnitError):
        Persons(3) + WorkYears("2.5")
    with pytest.raises(UnitError):
        WorkYears("2.5") + Persons(3)
    with pytest.raises(UnitError):
        sum([WorkYears(1), Persons(1)], WorkYears(0))  # type: ignore[type-var]
    assert Persons(2) + Persons(3) == 5 and isinstance(Persons(2) + 3, Persons)
    assert isinstance(sum([WorkYears("0.5"), WorkYears("0.25")], WorkYears(0)), WorkYears)


def test_a_table_refuses_a_cell_of_another_unit() -> None:
    table = Table("t", [Column("p", "Personen", Unit.PERSONS)], [{"p": WorkYears(1)}])
    with pytest.raises(UnitError):
        table.check()


@pytest.mark.django_db
def test_every_report_column_holds_one_unit_and_never_both(region: None) -> None:
    """Over all HR reports: every column is persons, arbeidsjaren or an amount, each cell
    (totals included) has exactly that type, and no column is persons plus arbeidsjaren."""
    employment = _employee()
    _employee("1002", work_form="group_secondment", hours_per_week=Decimal(20))
    services.record_employment_change(
        actor=None, person=employment.person, kind="secondment_start",
        effective_date=date(2026, 3, 1), work_form="individual_secondment",
    )  # fmt: skip
    almelo = Municipality.objects.get(cbs_code="GM0141")
    employer = Organisation.objects.get(code=ALMELO)
    rows = statistics.person_rows(almelo, 2026, 1)
    tables = [
        payroll.cost_report([employer.pk], date(2026, 1, 1), date(2026, 6, 1)),
        contribution.contribution_table(Municipality.objects.filter(in_region=True), 2026),
        payroll_file.preview_file(employer, date(2026, 3, 1)).table,
        *statistics.check_tables(rows, []),
    ]
    for table in tables:
        table.check()
        units = {c.key: c.unit for c in table.columns}
        assert not any("person" in c.key and "year" in c.key for c in table.columns)
        for row in [*table.rows, *([table.total] if table.total else [])]:
            for key, unit in units.items():
                value = row.get(key)
                if unit == Unit.PERSONS and value is not None:
                    assert type(value) is Persons, (table.title, key)
                if unit == Unit.WORK_YEARS and value is not None:
                    assert type(value) is WorkYears, (table.title, key)
                if unit in (Unit.MONEY, Unit.HOURS) and value is not None:
                    assert not isinstance(value, Persons | WorkYears), (table.title, key)
    cost = tables[0]
    assert cost.total is not None and cost.total["persons"] == 2  # one changed work form
    assert sum(row["persons"] for row in cost.rows) == 3


# --- Wage tables and indexation ------------------------------------------------------------


@pytest.mark.django_db
def test_the_cao_never_pays_below_the_minimum_wage(region: None) -> None:
    tables = WageTables.load()
    for day in (date(2025, 1, 1), date(2025, 7, 1), date(2026, 1, 1), date(2026, 7, 1)):
        floor = tables.minimum_hourly(day)
        assert floor is not None
        for scale, step in tables.scales:
            hourly = tables.hourly(scale, step, day)
            assert hourly is not None and hourly >= floor
    assert tables.minimum_hourly(date(2026, 3, 1)) == Decimal("14.71")
    assert tables.minimum_hourly(date(2025, 8, 1)) == Decimal("14.40")


TABLES = WageTables.from_data()


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(["wsw", "sheltered_work", "staff"]),
    scale=st.sampled_from(["1", "3", "6", "10", "99", ""]),
    step=st.one_of(st.none(), st.integers(0, 12)),
    hours=st.decimals(0, 40, places=2),
    wage=st.decimals(0, 6000, places=2),
    day=st.dates(date(2021, 1, 1), date(2027, 12, 31)),
)
def test_indexation_never_lowers_a_wage(
    kind: str, scale: str, step: int | None, hours: Decimal, wage: Decimal, day: date
) -> None:
    proposal = indexed_wage(
        TABLES, kind=kind, scale=scale, step=step, hours_per_week=hours, wage=wage, day=day
    )
    assert proposal.new_wage >= wage


@pytest.mark.django_db
def test_indexation_is_approved_by_a_second_person_and_applied(
    region: None, cast: dict[str, User]
) -> None:
    employment = _employee(gross_monthly_wage=Decimal("2700.00"))  # above the table
    low = _employee("1002", gross_monthly_wage=Decimal("100.00"))  # below: raised to table
    hr, second = cast["hr_nuo"], make_user("hr2", Role.HR_PAYROLL, "nuo")
    run = services.propose_indexation(actor=hr, effective_date=date(2026, 7, 1))
    line = IndexationLine.objects.get(run=run, employment=employment)
    assert line.new_wage > line.old_wage == Decimal("2700.00")
    with pytest.raises(DomainError, match="Vier ogen"):
        services.approve_indexation(actor=hr, run=run)
    applied = services.approve_indexation(actor=second, run=run)
    assert applied == 2
    current = Employment.objects.filter(person=employment.person).active_on(date(2026, 7, 1)).get()
    assert current.gross_monthly_wage == line.new_wage
    before = Employment.objects.filter(person=low.person).active_on(date(2026, 6, 30)).get()
    assert before.gross_monthly_wage == Decimal("100.00")
    assert EmploymentChange.objects.filter(kind="indexation").count() == 2
    assert AuditEvent.objects.filter(action="hr.indexation_approved").exists()
    with pytest.raises(DomainError):
        services.approve_indexation(actor=second, run=run)


# --- Changes (mutaties) ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_change_in_the_past_recomputes_the_months_after_it(
    region: None, cast: dict[str, User]
) -> None:
    hr = cast["hr_nuo"]
    employment = _employee()
    employer = employment.employer
    services.finalise_payroll(actor=hr, employer=employer, month=date(2026, 3, 1))
    services.finalise_payroll(actor=hr, employer=employer, month=date(2026, 4, 1))
    # Later version first (from 15 April), then a change from 1 March, recorded in May.
    services.record_employment_change(
        actor=hr, person=employment.person, kind="hours", effective_date=date(2026, 4, 15),
        hours_per_week=Decimal(32),
    )  # fmt: skip
    services.record_employment_change(
        actor=hr, person=employment.person, kind="scale_step", effective_date=date(2026, 3, 1),
        scale="4", step=4,
    )  # fmt: skip
    later = Employment.objects.filter(person=employment.person).active_on(date(2026, 5, 1)).get()
    assert later.scale == "4" and later.hours_per_week == Decimal(32)  # carried through
    may = payroll_file.preview_file(employer, date(2026, 5, 1))
    corrections = [r for r in may.table.rows if r["line"] == "correctie"]
    assert [r["period"] for r in corrections] == ["2026-03", "2026-04"]
    recomputed = payroll.compute_month(payroll.employer_employments(employer.pk), date(2026, 4, 1))
    reported = sum(
        PayrollLine.objects.filter(person=employment.person, period=date(2026, 4, 1)).values_list(
            "gross_wage", flat=True
        ),
        Decimal(0),
    )
    april = next(r for r in corrections if r["period"] == "2026-04")
    assert (
        reported + april["gross_wage"] == recomputed[(employer.pk, employment.person_id)].gross_wage
    )
    mutations = [r for r in may.table.rows if r["line"] == "mutatie"]
    assert len(mutations) == 2
    export = services.finalise_payroll(actor=hr, employer=employer, month=date(2026, 5, 1))
    assert payroll_file.preview_file(employer, date(2026, 6, 1)).changes == 0
    assert (
        payroll_file.stored_file(export).csv_bytes() == payroll_file.stored_file(export).csv_bytes()
    )
    with pytest.raises(DomainError):
        services.finalise_payroll(actor=hr, employer=employer, month=date(2026, 4, 1))


@pytest.mark.django_db
def test_changes_each_keep_their_history(region: None, cast: dict[str, User]) -> None:
    hr = cast["hr_nuo"]
    employment = _employee(step=4)
    person = employment.person
    record = services.record_employment_change
    record(actor=hr, person=person, kind="periodic_increase", effective_date=date(2026, 1, 1))
    record(actor=hr, person=person, kind="secondment_start", effective_date=date(2026, 2, 1),
           work_form="individual_secondment")  # fmt: skip
    record(actor=hr, person=person, kind="secondment_end", effective_date=date(2026, 3, 1))
    record(actor=hr, person=person, kind="sickness_start", effective_date=date(2026, 3, 5))
    with pytest.raises(DomainError):
        record(actor=hr, person=person, kind="sickness_start", effective_date=date(2026, 3, 6))
    record(actor=hr, person=person, kind="recovery", effective_date=date(2026, 3, 20))
    record(actor=hr, person=person, kind="leave_start", effective_date=date(2026, 4, 1),
           leave_type="ouderschapsverlof")  # fmt: skip
    record(actor=hr, person=person, kind="leave_end", effective_date=date(2026, 5, 1))
    versions = list(Employment.objects.filter(person=person).order_by("valid_from"))
    assert [v.work_form for v in versions] == [
        "sheltered_inside", "sheltered_inside", "individual_secondment", "sheltered_inside",
    ]  # fmt: skip
    assert versions[1].step == 5 and versions[1].gross_monthly_wage > versions[0].gross_monthly_wage
    assert Absence.objects.get(person=person, kind="sickness").end_date == date(2026, 3, 19)
    ended = record(actor=hr, person=person, kind="end", effective_date=date(2026, 9, 30),
                   end_reason="death")  # fmt: skip
    assert ended.employment.valid_to == date(2026, 9, 30)
    assert EmploymentChange.objects.filter(person=person).count() == 8
    with pytest.raises(DomainError, match="geen dienstverband"):
        record(actor=hr, person=person, kind="hours", effective_date=date(2026, 10, 1),
               hours_per_week=Decimal(20))  # fmt: skip


@pytest.mark.django_db
def test_retirement_ends_the_day_before_the_aow_age(region: None, cast: dict[str, User]) -> None:
    person = make_person(personnel_number="1003", birth_date=date(1959, 6, 15))
    make_employment(person)
    change = services.record_employment_change(
        actor=cast["hr_nuo"], person=person, kind="end", effective_date=date(2026, 1, 1),
        end_reason="retirement",
    )  # fmt: skip
    assert pension_date(date(1959, 6, 15)) == date(2026, 6, 15)
    assert change.employment.valid_to == date(2026, 6, 14)
    assert pension_date(date(1961, 1, 31)) == date(2028, 5, 1)  # 67y3m: 31 April → 1 May


@pytest.mark.django_db
def test_periodic_increases_on_the_anniversary(region: None, cast: dict[str, User]) -> None:
    employment = _employee(step=9, valid_from=date(2018, 5, 20))
    top = _employee("1002", step=10, valid_from=date(2018, 5, 3))
    ids = [employment.employer_id]
    assert [v.pk for v, _ in services.anniversaries(ids, date(2026, 5, 1))] == [employment.pk]
    done = services.apply_periodic_increases(
        actor=cast["hr_nuo"], employer_ids=ids, month=date(2026, 5, 1)
    )
    assert done == 1
    assert (
        services.apply_periodic_increases(actor=None, employer_ids=ids, month=date(2026, 5, 1)) == 0
    )
    new = Employment.objects.filter(person=employment.person).active_on(date(2026, 5, 20)).get()
    assert new.step == 10 and new.valid_from == date(2026, 5, 20)
    assert Employment.objects.filter(person=top.person).count() == 1


# --- Statistiek and rijksbijdrage -----------------------------------------------------------


@pytest.mark.django_db
def test_statistics_delivery_keeps_the_file_and_the_check_shows_differences(
    region: None, cast: dict[str, User]
) -> None:
    _employee(valid_from=date(2020, 1, 1), valid_to=date(2025, 12, 31))
    _employee("1002", valid_from=date(2026, 1, 1))
    almelo = Municipality.objects.get(cbs_code="GM0141")
    now, before = statistics.person_rows(almelo, 2026, 1), statistics.person_rows(almelo, 2025, 2)
    table = statistics.check_tables(now, before)[0]
    assert table.total is not None
    assert (table.total["persons"], table.total["persons_before"]) == (1, 1)
    delivery = services.deliver_statistics(
        actor=cast["hr_nuo"], municipality=almelo, year=2026, half=1
    )
    assert delivery.content == statistics.file_text(now, almelo, 2026, 1)
    assert statistics.due_date(2026, 1) == date(2026, 8, 11)
    # Opening the delivered file again records each person in it, as the live file does.
    from django.urls import reverse

    hr = cast["hr_nuo"]
    download = login_client(hr).get(reverse("hr:statistics_delivered", args=[delivery.pk]))
    assert download.status_code == 200 and b"1002" in download.content
    seen = AuditEvent.objects.filter(action="hr.statistics_viewed", actor=hr)
    assert list(seen.values_list("person_id", flat=True)) == [r.person_id for r in now] != []


@pytest.mark.django_db
def test_contribution_against_costs(region: None) -> None:
    _employee(valid_from=date(2020, 1, 1))
    table = contribution.contribution_table(Municipality.objects.filter(cbs_code="GM0141"), 2026)
    row = table.rows[0]
    assert row["se"] == WorkYears("1.0000")
    assert row["contribution"] == Decimal("27900.00")
    assert row["wages"] == Decimal("2612.40") * 12
    assert row["gap"] == row["costs"] - row["contribution"]
    assert row["charges"] > 0


# --- Screens and API -----------------------------------------------------------------------


@pytest.mark.django_db
def test_payroll_end_to_end_on_screen_and_api(region: None, cast: dict[str, User]) -> None:
    employment = _employee()
    hr = login_client(cast["hr_nuo"])
    response = hr.post(
        "/mutaties/",
        {
            "personnel_number": "1001",
            "kind": "hours",
            "effective_date": "2026-03-01",
            "hours_per_week": "30",
        },
    )
    assert response.status_code == 302
    bad = hr.post(
        "/mutaties/", {"personnel_number": "9999", "kind": "hours", "effective_date": "2026-03-01"}
    )
    assert "Geen medewerker met dit personeelsnummer" in bad.content.decode()
    employer = employment.employer
    before = AuditEvent.objects.filter(action="hr.payroll_viewed").count()
    started = hr.post("/salarisbestanden/", {"employer": employer.pk, "month": "2026-03"})
    assert started.status_code == 302 and "/taken/" in started["Location"]
    page = hr.get(started["Location"]).content.decode()
    assert "Uren" in page and "Definitief maken" in page
    # Every showing of the preview records the wages shown, like the page made in the request.
    shown = AuditEvent.objects.filter(action="hr.payroll_viewed")
    assert shown.count() > before
    assert set(shown.values_list("person_id", flat=True)) == {employment.person_id}
    hr.get(started["Location"])
    assert shown.count() == before + 2
    assert (
        hr.post(
            "/salarisbestanden/definitief/", {"employer": employer.pk, "month": "2026-03"}
        ).status_code
        == 302
    )
    export = PayrollExport.objects.get()
    csv_text = hr.get(f"/salarisbestanden/{export.pk}/csv/").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("soort_regel;werkgever;loonperiode")
    assert hr.get(f"/salarisbestanden/{export.pk}/xlsx/")["Content-Type"].startswith(
        "application/vnd"
    )
    api = login_client(cast["hr_nuo"])
    listed = api.get("/api/v1/payroll-exports").json()
    assert listed["results"][0]["employer"] == ALMELO
    job = api.post(
        "/api/v1/payroll-exports/preview",
        {"employer": ALMELO, "month": "2026-04"},
        content_type="application/json",
    )
    assert job.status_code == 202, job.content
    preview = api.get(job["Location"]).json()["result"]["data"]
    assert preview["rows"][0]["line"] == "loon"
    created = api.post(
        "/api/v1/employment-changes",
        {
            "person": employment.person_id,
            "kind": "hours",
            "effectiveDate": "2026-05-01",
            "hoursPerWeek": "24",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    refused = api.post(
        "/api/v1/employment-changes",
        {"person": employment.person_id, "kind": "hours", "effectiveDate": "2026-05-01"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "uren" in refused.content.decode()
    assert AuditEvent.objects.filter(action="hr.payroll_viewed").exists()


@pytest.mark.django_db
def test_a_controller_sees_only_aggregates_of_their_own(
    region: None, cast: dict[str, User]
) -> None:
    _employee()
    make_employment(
        make_person(personnel_number="2001", residence="GM0189"), employer="gemeente-wierden"
    )
    controller = login_client(cast["controller_wierden"])
    report = controller.get("/api/v1/cost-report?start=2026-01&end=2026-01").json()
    assert report["total"]["persons"] == 1  # Wierden's employee, not Almelo's
    assert controller.get("/api/v1/payroll-exports").status_code == 403
    assert controller.get("/api/v1/employment-changes").status_code == 403
    assert (
        controller.get(
            "/api/v1/wsw-statistics/file?municipality=GM0189&year=2026&half=1"
        ).status_code
        == 403
    )
    own = controller.get("/api/v1/wsw-statistics?municipality=GM0189&year=2026&half=1").json()
    assert own["tables"][0]["total"]["persons"] == 1
    assert "bsn" not in str(own)
    contribution_rows = controller.get("/api/v1/state-contributions?year=2026").json()["rows"]
    assert [r["municipality"] for r in contribution_rows] == ["Wierden"]


def test_statistics_totals_add_unrounded_work_years_and_round_once() -> None:
    """Issue 14, finding 7: per person the file carries 4 decimals (half up); totals add the
    unrounded values and round once, so many small roundings cannot add up."""
    from werkregie.core.reports import WorkYears
    from werkregie.hr.statistics import PersonRow, check_tables, total_work_years

    def row(exact: str) -> PersonRow:
        return PersonRow(
            municipality_code="GM0141", bsn="", personnel_number="", sex="man",
            age_band="45-54", indication="matig", work_form="beschut binnen",
            employer_code="", hours_per_week=Decimal(0),
            work_years=WorkYears(Decimal(exact).quantize(Decimal("0.0001"), "ROUND_HALF_UP")),
            employed_at_end=True, work_years_exact=Decimal(exact),
        )  # fmt: skip

    rows = [row("0.00005")] * 3
    assert sum(r.work_years for r in rows) == Decimal("0.0003")  # rounded per person
    assert total_work_years(rows) == Decimal("0.0002")  # 0.00015, rounded once
    total = check_tables(rows, [])[0].total
    assert total is not None and total["work_years"] == Decimal("0.0002")
