"""Klantregie's access helpers (issue 15): each object type's lookup within the user's scope
(404 outside it: existence is personal data) and what showing it records in the audit log.
Screens and API call these, so the decision is made in one place per object type."""

from collections.abc import Iterable
from typing import Any

from django.http import Http404

from werkregie.client_direction.models import Client, Order
from werkregie.client_direction.statements import StatementLine
from werkregie.core import audit
from werkregie.core.models import AuditAction


def record_client_shown(*, user: Any, client: Client) -> None:
    """A client's card or restrictions shown (special-category data)."""
    audit.record_read(actor=user, action=AuditAction.CLIENT_VIEWED, obj=client)


def record_clients_listed(*, user: Any, clients: Iterable[Client]) -> None:
    """A page of the client list: each client's person shown."""
    audit.record_listed(actor=user, rows=clients)


def record_order_shown(*, user: Any, order: Order) -> None:
    audit.record_read(actor=user, action=AuditAction.ORDER_VIEWED, obj=order)


def record_orders_listed(*, user: Any, orders: Iterable[Order]) -> None:
    """A work queue's page: each order (and so its client) shown."""
    audit.record_reads(actor=user, action=AuditAction.ORDERS_LISTED, objects=orders)


def record_statement_lines_shown(*, user: Any, lines: Iterable[StatementLine]) -> None:
    """Lines of a monthly statement shown (each names a client)."""
    audit.record_rows(
        actor=user,
        action=AuditAction.STATEMENT_VIEWED,
        entries=(line.audit_entry() for line in lines),
    )


def get_client_for(user: Any, pk: int, *, shown: bool) -> Client:
    """The client within the user's scope, or 404. `shown`: the page shows the client's data
    (recorded); a step that only changes it and redirects passes False."""
    client = (
        Client.objects.visible_to(user)
        .select_related("person__residence_municipality", "client_owner")
        .filter(pk=pk)
        .first()
    )
    if client is None:
        raise Http404("Cliënt niet gevonden.")
    if shown:
        record_client_shown(user=user, client=client)
    return client


def get_order_for(user: Any, pk: int, *, shown: bool) -> Order:
    """The order within the user's scope, or 404; `shown` as for get_client_for."""
    order = (
        Order.objects.visible_to(user)
        .select_related(
            "client__person", "product__provider", "client_owner", "jobcoach", "team", "ordered_by"
        )
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404("Opdracht niet gevonden.")
    if shown:
        record_order_shown(user=user, order=order)
    return order
