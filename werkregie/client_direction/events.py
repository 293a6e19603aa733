"""The audit event names of klantregie: each app declares its own (issue 15); core.audit_events
registers them for the audit log."""

from django.db import models

from werkregie.core.audit_events import register


@register
class ClientDirectionEvent(models.TextChoices):
    CATALOGUE_LOADED = "catalogue.loaded", "Productcatalogus geladen"
    CLIENT_REGISTERED = "client.registered", "Cliënt in regie genomen"
    CLIENT_VIEWED = "client.viewed", "Cliënt ingezien"
    CONSENT_RECORDED = "client.consent_recorded", "Toestemming vastgelegd"
    CONSENT_WITHDRAWN = "client.consent_withdrawn", "Toestemming ingetrokken"
    RESTRICTION_RECORDED = "client.restriction_recorded", "Beperking vastgelegd"
    ORDER_PLACED = "order.placed", "Opdracht geplaatst"
    ORDER_CHANGED = "order.changed", "Opdracht gewijzigd"
    ORDER_VIEWED = "order.viewed", "Opdracht ingezien"
    PROGRESS_REPORTED = "order.progress_reported", "Voortgang gerapporteerd"
    ORDER_TAKEN_OVER = "order.taken_over", "Traject uit oud bestand als opdracht overgenomen"
    CASELOAD_HANDED_OVER = "client.handed_over", "Caseload overgedragen"
    ORDERS_LISTED = "order.listed", "Opdracht in werkvoorraad getoond"
    STATEMENT_VIEWED = "statement.viewed", "Opdracht op maandoverzicht ingezien"
