import base64

import segno
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from werkregie.accounts import services
from werkregie.accounts.forms import LoginForm, TokenForm
from werkregie.accounts.models import User
from werkregie.core.access import Action, has_permission
from werkregie.people.models import Person
from werkregie.people.queries import current_headcount

_PENDING = "werkregie_pending_user"
_NEXT = "werkregie_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _pending_user(request: HttpRequest) -> User | None:
    pk = request.session.get(_PENDING)
    return User.objects.filter(pk=pk, is_active=True).first() if pk else None


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if isinstance(user, User):
            next_url = _safe_next(request, request.GET.get("next"))
            if user.may_skip_second_factor():
                services.complete_login(request=request, user=user, device=None)
                return redirect(next_url)
            request.session[_PENDING] = user.pk
            request.session[_NEXT] = next_url
            if services.confirmed_device(user) is None:
                return redirect("accounts:enroll")
            return redirect("accounts:verify")
        known = User.objects.filter(username=form.cleaned_data["username"]).first()
        if known is not None:
            services.record_failed_password(user=known)
        form.add_error(None, "De combinatie van gebruikersnaam en wachtwoord is onjuist.")
    return render(request, "accounts/login.html", {"form": form})


def verify_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    device = services.confirmed_device(user) if user else None
    if user is None or device is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_totp(user=user, device=device, token=form.cleaned_data["token"]):
            next_url = request.session.pop(_NEXT, "/")
            request.session.pop(_PENDING, None)
            services.complete_login(request=request, user=user, device=device)
            return redirect(next_url)
        form.add_error("token", "Deze code is onjuist of verlopen. Probeer de volgende code.")
    return render(request, "accounts/verify.html", {"form": form})


def enroll_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None or services.confirmed_device(user) is not None:
        return redirect("accounts:login")
    device = services.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_totp(user=user, device=device, token=form.cleaned_data["token"]):
            next_url = request.session.pop(_NEXT, "/")
            request.session.pop(_PENDING, None)
            services.complete_login(request=request, user=user, device=device, enrolled=True)
            return redirect(next_url)
        form.add_error("token", "Deze code is onjuist of verlopen. Probeer de volgende code.")
    qr = segno.make(device.config_url, error="m")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/enroll.html",
        {"form": form, "qr_svg": qr.svg_inline(scale=4, title="QR-code"), "secret": secret},
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page per role: own people where the role may see them, aggregates for all."""
    user = request.user
    assert isinstance(user, User)
    context: dict[str, object] = {
        "headcount": current_headcount(
            municipality_id=None
            if has_permission(user, Action.PERSON_VIEW)
            else user.municipality_id
        ),
    }
    if has_permission(user, Action.PERSON_VIEW):
        persons = Person.objects.visible_to(user)
        context["person_count"] = persons.count()
        context["persons"] = persons.select_related("residence_municipality")[:10]
    return render(request, "accounts/home.html", context)
