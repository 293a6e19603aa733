from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from werkregie.client_direction.models import Price, Product
from werkregie.core.access import Action, require
from werkregie.core.params import date_or


def catalogue_on(day: date) -> list[dict[str, object]]:
    """Per execution organisation, its products on `day` with the prices that apply then:
    the standard price and each third party's own."""
    products = (
        Product.objects.active_on(day)
        .select_related("provider")
        .prefetch_related(
            Prefetch(
                "prices",
                queryset=Price.objects.active_on(day)
                .select_related("client_owner")
                .order_by("client_owner__name"),
                to_attr="prices_on_day",
            )
        )
        .order_by("provider__name", "name")
    )
    groups: dict[int, dict[str, object]] = {}
    for product in products:
        group = groups.setdefault(product.provider_id, {"provider": product.provider, "rows": []})
        standard = next((p for p in product.prices_on_day if p.client_owner_id is None), None)
        third = [p for p in product.prices_on_day if p.client_owner_id is not None]
        group["rows"].append({"product": product, "standard": standard, "third": third})  # type: ignore[attr-defined]
    return list(groups.values())


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The products of the execution organisations and their prices on a chosen date."""
    require(request.user, Action.CATALOGUE_VIEW)
    day = date_or(request.GET.get("datum"), timezone.localdate())
    return render(
        request, "client_direction/catalogue.html", {"day": day, "groups": catalogue_on(day)}
    )
