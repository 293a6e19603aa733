"""The audit event names of employer services: each app declares its own (issue 15);
core.audit_events registers them for the audit log."""

from django.db import models

from werkregie.core.audit_events import register


@register
class EmployerServicesEvent(models.TextChoices):
    EMPLOYER_CREATED = "employer.created", "Werkgever vastgelegd"
    EMPLOYER_CHANGED = "employer.changed", "Werkgever gewijzigd"
    EMPLOYER_MERGED = "employer.merged", "Werkgevers samengevoegd"
    ACCOUNT_HOLDER_ASSIGNED = "employer.account_assigned", "Accounthouder toegewezen"
    ACCOUNT_HOLDER_RELEASED = "employer.account_released", "Accounthouder beëindigd"
    EMPLOYER_CONTACT_SAVED = "employer.contact_saved", "Contactpersoon van werkgever vastgelegd"
    CONTACT_MOMENT_RECORDED = "employer.contact_recorded", "Contactmoment vastgelegd"
    AGREEMENT_RECORDED = "employer.agreement_recorded", "Afspraak met werkgever vastgelegd"
    VACANCY_SAVED = "vacancy.saved", "Vacature vastgelegd of gewijzigd"
    PROFILE_SAVED = "candidate.saved", "Kandidaatprofiel vastgelegd of gewijzigd"
    PROFILE_VIEWED = "candidate.viewed", "Kandidaatprofiel ingezien"
    PROFILE_CONSENT = "candidate.consent", "Toestemming delen met werkgevers gewijzigd"
    PROFILE_SHARED = "candidate.shared", "Kandidaatprofiel voor werkgever opgemaakt"
    CANDIDATES_MATCHED = "candidate.matched", "Kandidaat in matchresultaat getoond"
    MATCH_RECORDED = "match.recorded", "Uitkomst van match vastgelegd"
