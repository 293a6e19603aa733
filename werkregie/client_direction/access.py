"""Access helpers of klantregie (clients, orders, statements) (issue 15): one place per object type,
used by screens, API, exports and search alike.

- `<objects>_for(user)`: the user's scope, every list, export and lookup starts from it (the
  rules themselves are the model queryset's `visible_to`; views and API never call it).
- `get_<object>_for(user, pk)` where a lookup is more than the scope: the object or 404 outside
  the scope (existence is personal data), 403 for a missing action inside it.
- `record_…`: what showing the objects records in the audit log (docs/security.md)."""

from collections.abc import Iterable

from django.http import Http404

from werkregie.accounts.models import User
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.client_direction.models import Client, ClientQuerySet, Order, OrderQuerySet
from werkregie.client_direction.statements import StatementLine
from werkregie.core import audit


def record_client_shown(*, user: User, client: Client) -> None:
    """A client's card or restrictions shown (special-category data)."""
    audit.record_read(actor=user, action=ClientDirectionEvent.CLIENT_VIEWED, obj=client)


def record_clients_listed(*, user: User, clients: Iterable[Client]) -> None:
    """A page of the client list: each client's person shown."""
    audit.record_listed(actor=user, rows=clients)


def record_order_shown(*, user: User, order: Order) -> None:
    audit.record_read(actor=user, action=ClientDirectionEvent.ORDER_VIEWED, obj=order)


def record_orders_listed(*, user: User, orders: Iterable[Order]) -> None:
    """A work queue's page: each order (and so its client) shown."""
    audit.record_reads(actor=user, action=ClientDirectionEvent.ORDERS_LISTED, objects=orders)


def record_statement_lines_shown(*, user: User, lines: Iterable[StatementLine]) -> None:
    """Lines of a monthly statement shown (each names a client)."""
    audit.record_rows(
        actor=user,
        action=ClientDirectionEvent.STATEMENT_VIEWED,
        entries=(line.audit_entry() for line in lines),
    )


def get_client_for(user: User, pk: int, *, shown: bool) -> Client:
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


def get_order_for(user: User, pk: int, *, shown: bool) -> Order:
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


def clients_for(user: User) -> ClientQuerySet:
    """The clients within the user's scope (see the module docstring)."""
    return Client.objects.visible_to(user)


def orders_for(user: User) -> OrderQuerySet:
    """The orders within the user's scope (see the module docstring)."""
    return Order.objects.visible_to(user)
