"""Demo HR for `make run`: a few changes of each kind, the payroll files of September 2026
made final for all employers, and an indexation proposal for 1 July 2026 that the second
HR user (hr2.nuo) can approve; the October files then show the corrections."""

from datetime import date

from django.db import transaction

from werkregie.accounts.models import User
from werkregie.hr import services
from werkregie.hr.models import EmploymentChange, IndexationRun, hr_employers
from werkregie.people.models import Employment

MONTH = date(2026, 9, 1)


@transaction.atomic
def load_demo_hr() -> dict[str, int]:
    if EmploymentChange.objects.exists() or IndexationRun.objects.exists():
        return {}
    hr = User.objects.get(username="hr.nuo")
    employers = list(hr_employers(hr).order_by("name"))
    wsw = list(
        Employment.objects.filter(kind=Employment.Kind.WSW, employer__in=employers)
        .active_on(MONTH)
        .select_related("person")
        .order_by("person__personnel_number")[:12]
    )
    record = services.record_employment_change
    for index, version in enumerate(wsw):
        person = version.person
        if index % 4 == 0 and version.hours_per_week > 20:
            record(actor=hr, person=person, kind="hours", effective_date=date(2026, 8, 1),
                   hours_per_week=version.hours_per_week - 4)  # fmt: skip
        elif index % 4 == 1:
            record(actor=hr, person=person, kind="sickness_start", effective_date=date(2026, 8, 17))
        elif index % 4 == 2 and version.work_form == Employment.WorkForm.SHELTERED_INSIDE:
            record(
                actor=hr, person=person, kind="secondment_start",
                effective_date=date(2026, 9, 1),
                work_form=Employment.WorkForm.INDIVIDUAL_SECONDMENT,
            )  # fmt: skip
        elif version.step is not None and version.step < 10:
            record(actor=hr, person=person, kind="scale_step", effective_date=date(2026, 6, 1),
                   scale=version.scale, step=version.step + 1)  # fmt: skip
    files = 0
    for employer in employers:
        if Employment.objects.filter(employer=employer).active_on(MONTH).exists():
            services.finalise_payroll(actor=hr, employer=employer, month=MONTH)
            files += 1
    services.propose_indexation(actor=hr, effective_date=date(2026, 7, 1))
    return {"changes": EmploymentChange.objects.count(), "files": files}
