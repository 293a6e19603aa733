"""Work queues over orders, the same for the werkplein and the execution organisation (each
sees its own orders): what is waiting for someone to act. Screen and API share this."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from werkregie.accounts.models import User
from werkregie.client_direction.models import Order
from werkregie.core.access import Role, role_of
from werkregie.core.errors import DomainError
from werkregie.core.params import month_bounds

DEFAULT_WEEKS = 4
ACTIVE = (Order.Status.ACCEPTED, Order.Status.RUNNING)

# Queue code (Dutch, as in the URL) → title.
QUEUES = {
    "aanvragen": "Openstaande aanvragen",
    "zonder-voortgang": "Zonder voortgang",
    "eindigt-deze-maand": "Eindigt deze maand",
    "geweigerd": "Geweigerd",
    "alle": "Alle opdrachten",
}


@dataclass(frozen=True)
class QueueFilter:
    queue: str = "aanvragen"
    weeks: int = DEFAULT_WEEKS
    status: str = ""
    product: int | None = None
    team: int | None = None
    jobcoach: int | None = None
    mine: bool = False

    def __post_init__(self) -> None:
        if self.queue not in QUEUES:
            raise DomainError(
                f"Onbekende werkvoorraad '{self.queue}'; kies uit {', '.join(QUEUES)}.",
                field="queue",
            )
        if not 1 <= self.weeks <= 52:
            raise DomainError("Het aantal weken ligt tussen 1 en 52.", field="weeks")
        if self.status and self.status not in Order.Status.values:
            raise DomainError(f"Onbekende status '{self.status}'.", field="status")


def work_queue(
    orders: QuerySet[Order], user: User, filters: QueueFilter, today: date
) -> QuerySet[Order]:
    """`orders` (already scoped to `user`) narrowed to the queue and filters, most urgent
    first."""
    q = filters.queue
    if q == "aanvragen":
        orders = orders.filter(status=Order.Status.REQUESTED).order_by("requested_on", "id")
    elif q == "zonder-voortgang":
        cutoff = today - timedelta(weeks=filters.weeks)
        orders = (
            orders.filter(status__in=ACTIVE, start_date__lte=cutoff)
            .alias(last=Coalesce("last_reported_on", "start_date"))
            .filter(last__lt=cutoff)
            .order_by("last", "id")
        )
    elif q == "eindigt-deze-maand":
        first, last = month_bounds(today)
        orders = orders.filter(status__in=ACTIVE, end_date__range=(first, last)).order_by(
            "end_date", "id"
        )
    elif q == "geweigerd":
        orders = orders.filter(status=Order.Status.REFUSED).order_by("-requested_on", "-id")
    else:
        orders = orders.order_by("-requested_on", "-id")
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.product:
        orders = orders.filter(product_id=filters.product)
    if filters.team:
        orders = orders.filter(team_id=filters.team)
    if filters.jobcoach:
        orders = orders.filter(jobcoach_id=filters.jobcoach)
    if filters.mine:
        role = role_of(user)
        if role == Role.CLIENT_DIRECTOR:
            orders = orders.filter(Q(client__client_director=user) | Q(ordered_by=user))
        elif role == Role.JOB_COACH:
            orders = orders.filter(jobcoach=user)
    return orders.select_related(
        "client__person", "product__provider", "client_owner", "jobcoach", "team"
    )
