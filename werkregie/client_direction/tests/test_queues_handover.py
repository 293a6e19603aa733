from datetime import date, timedelta
from decimal import Decimal

import pytest

from werkregie.accounts.models import User
from werkregie.client_direction import services
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.client_direction.models import Client, Order
from werkregie.client_direction.queues import QueueFilter, work_queue
from werkregie.client_direction.tests.factories import make_client, make_order, product
from werkregie.core.access import Role
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.organisations.models import Organisation, Team
from werkregie.testing import api_client, login_client, make_user

TODAY = date(2026, 11, 23)


def _queue(user: User, **filters: object) -> set[Order]:
    visible = Order.objects.visible_to(user)
    return set(work_queue(visible, user, QueueFilter(**filters), TODAY))  # type: ignore[arg-type]


@pytest.fixture
def orders(cast: dict[str, User]) -> dict[str, Order]:
    coach = cast["jobcoach_nuo"]
    team = Team.objects.create(
        name="Jobcoaching Noord", organisation=Organisation.objects.get(code="nuo")
    )

    def placed(start: date, end: date, **kw: object) -> Order:
        return make_order(start=start, end=end, requested=start - timedelta(days=10), **kw)  # type: ignore[arg-type]

    requested = placed(date(2026, 12, 1), date(2027, 5, 31))
    refused = services.refuse_order(
        actor=coach, order=placed(date(2026, 12, 1), date(2027, 5, 31)), reason="Vol"
    )
    quiet = placed(date(2026, 8, 1), date(2027, 7, 31))
    services.accept_order(actor=coach, order=quiet, team=team)
    quiet = services.start_order(actor=coach, order=quiet)
    services.report_progress(
        actor=coach, order=quiet, reported_on=date(2026, 9, 1), hours=Decimal(4), note="Start"
    )
    busy = placed(date(2026, 8, 1), date(2027, 7, 31))
    services.accept_order(actor=coach, order=busy)
    busy = services.start_order(actor=coach, order=busy)
    services.report_progress(
        actor=coach, order=busy, reported_on=date(2026, 11, 10), hours=Decimal(6), note="Goed"
    )
    ending = placed(date(2026, 6, 1), date(2026, 11, 30))
    ending = services.accept_order(actor=coach, order=ending)
    services.report_progress(
        actor=coach, order=ending, reported_on=date(2026, 11, 20), hours=Decimal(2), note="Bijna"
    )
    return {
        "requested": requested,
        "refused": refused,
        "quiet": quiet,
        "busy": busy,
        "ending": ending,
    }


def test_each_queue_holds_what_waits(cast: dict[str, User], orders: dict[str, Order]) -> None:
    for side in ("client_director_almelo", "jobcoach_nuo"):
        user = cast[side]
        assert _queue(user, queue="aanvragen") == {orders["requested"]}
        assert _queue(user, queue="geweigerd") == {orders["refused"]}
        assert _queue(user, queue="zonder-voortgang") == {orders["quiet"]}  # 1 Sep < 4 weeks ago
        assert _queue(user, queue="zonder-voortgang", weeks=1) == {orders["quiet"], orders["busy"]}
        assert _queue(user, queue="eindigt-deze-maand") == {orders["ending"]}
        assert len(_queue(user, queue="alle")) == 5
    # Wierden's klantregisseur sees none of them: they are Almelo's residents.
    assert not _queue(cast["client_director_wierden"], queue="alle")


def test_queue_filters(cast: dict[str, User], orders: dict[str, Order]) -> None:
    coach = cast["jobcoach_nuo"]
    team = orders["quiet"].team
    assert team is not None
    assert _queue(coach, queue="alle", team=team.pk) == {orders["quiet"]}
    assert _queue(coach, queue="alle", status="running") == {orders["quiet"], orders["busy"]}
    assert _queue(coach, queue="alle", jobcoach=coach.pk) == {
        orders["quiet"],
        orders["busy"],
        orders["ending"],
    }
    assert _queue(coach, queue="alle", mine=True) == _queue(coach, queue="alle", jobcoach=coach.pk)
    assert _queue(coach, queue="alle", product=product("nuo", "training").pk) == set()
    with pytest.raises(DomainError, match="Onbekende werkvoorraad"):
        QueueFilter(queue="alles")
    with pytest.raises(DomainError, match="tussen 1 en 52"):
        QueueFilter(weeks=0)


def test_work_queue_screen_and_api(cast: dict[str, User], orders: dict[str, Order]) -> None:
    page = login_client(cast["jobcoach_nuo"]).get(
        "/klantregie/opdrachten/", {"werkvoorraad": "geweigerd"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/klantregie/opdrachten/{orders["refused"].pk}/"' in html
    assert f'href="/klantregie/opdrachten/{orders["requested"].pk}/"' not in html
    assert "Geweigerd (1)" in html
    # Rows shown are audited reads.
    assert AuditEvent.objects.filter(
        action=ClientDirectionEvent.ORDERS_LISTED, object_id=str(orders["refused"].pk)
    ).exists()
    bad = login_client(cast["jobcoach_nuo"]).get("/klantregie/opdrachten/", {"werkvoorraad": "x"})
    assert "Onbekende werkvoorraad" in bad.content.decode()

    api = api_client(cast["client_director_almelo"])
    listed = api.get("/api/v1/orders", {"queue": "aanvragen"})
    assert [o["id"] for o in listed.json()["results"]] == [orders["requested"].pk]
    wrong = api.get("/api/v1/orders", {"queue": "alles", "weeks": "99"})
    assert wrong.status_code == 400 and set(wrong.json()) == {"queue", "weeks"}


def test_caseload_handover(cast: dict[str, User]) -> None:
    leaving = cast["client_director_almelo"]
    successor = make_user("kr2", Role.CLIENT_DIRECTOR, "werkplein-almelo")
    mine = [make_client(actor=leaving) for _ in range(3)]
    assert all(c.client_director == leaving for c in mine)
    # A klantregisseur of another municipality does not get the caseload.
    assert make_client("GM0189", actor=leaving).client_director is None
    with pytest.raises(DomainError, match="dezelfde organisatie"):
        services.hand_over_caseload(
            actor=leaving, from_user=leaving, to_user=cast["client_director_wierden"]
        )
    moved = services.hand_over_caseload(actor=leaving, from_user=leaving, to_user=successor)
    assert moved == 3
    assert Client.objects.filter(client_director=successor).count() == 3
    events = AuditEvent.objects.filter(action=ClientDirectionEvent.CASELOAD_HANDED_OVER)
    assert {e.person_id for e in events} == {c.person_id for c in mine}
    # Through the screen: back again, one client at a time is possible through the API.
    response = login_client(successor).post(
        "/klantregie/overdracht/", {"from_user": successor.pk, "to_user": leaving.pk}
    )
    assert response.status_code == 302
    assert Client.objects.filter(client_director=leaving).count() == 3
    api = api_client(leaving)
    one = api.post(
        "/api/v1/clients/hand-over",
        {"fromUser": leaving.username, "toUser": successor.username, "ids": [mine[0].pk]},
    )
    assert one.status_code == 200 and one.json() == {"count": 1}
    foreign = api.post(
        "/api/v1/clients/hand-over",
        {"fromUser": "client_director_wierden", "toUser": successor.username},
    )
    assert foreign.status_code == 400


def test_jobcoach_handover_moves_open_orders_only(
    cast: dict[str, User], orders: dict[str, Order]
) -> None:
    coach = cast["jobcoach_nuo"]
    colleague = make_user("coach2", Role.JOB_COACH, "nuo")
    done = services.end_order(
        actor=coach, order=orders["busy"], ended_on=date(2026, 11, 20), result="regular_work"
    )
    response = api_client(coach).post(
        "/api/v1/orders/hand-over", {"fromUser": coach.username, "toUser": colleague.username}
    )
    assert response.json() == {"count": 2}  # quiet and ending; the stopped one stays
    assert set(Order.objects.filter(jobcoach=colleague)) == {orders["quiet"], orders["ending"]}
    done.refresh_from_db()
    assert done.jobcoach == coach
    assert login_client(coach).get("/klantregie/overdracht/").status_code == 200
    # A klantregisseur cannot hand over jobcoaches' orders.
    assert (
        api_client(cast["client_director_almelo"])
        .post("/api/v1/orders/hand-over", {"fromUser": "coach2", "toUser": coach.username})
        .status_code
        == 403
    )


def test_accept_checks_jobcoach_and_team(cast: dict[str, User]) -> None:
    order = make_order()
    other_team = Team.objects.create(
        name="Elders", organisation=Organisation.objects.get(code="de-sterkerij")
    )
    with pytest.raises(DomainError, match="hoort niet bij"):
        services.accept_order(actor=cast["jobcoach_nuo"], order=order, team=other_team)
    with pytest.raises(DomainError, match="geen jobcoach van"):
        services.accept_order(
            actor=cast["jobcoach_nuo"], order=order, jobcoach=cast["client_director_almelo"]
        )
    response = api_client(cast["jobcoach_nuo"]).post(
        f"/api/v1/orders/{order.pk}/accept", {"team": other_team.pk}
    )
    assert response.status_code == 400 and "team" in response.json()
