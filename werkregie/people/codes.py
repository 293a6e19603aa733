"""The old company's export codes (ROSTER_FORMAT.md) mapped to this registry's choices."""

from werkregie.people.models import Employment

KIND = {
    "wsw": Employment.Kind.WSW,
    "beschut": Employment.Kind.SHELTERED_WORK,
    "staf": Employment.Kind.STAFF,
}
INDICATION = {
    "matig": Employment.Indication.MODERATE,
    "ernstig": Employment.Indication.SEVERE,
    "": "",
}
WORK_FORM = {
    "beschut_binnen": Employment.WorkForm.SHELTERED_INSIDE,
    "groepsdetachering": Employment.WorkForm.GROUP_SECONDMENT,
    "individuele_detachering": Employment.WorkForm.INDIVIDUAL_SECONDMENT,
    "begeleid_werken": Employment.WorkForm.SUPPORTED_EMPLOYMENT,
    "groen": Employment.WorkForm.GREEN,
    "staf": Employment.WorkForm.STAFF,
}
