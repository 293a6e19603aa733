import base64

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from werkregie.accounts import services
from werkregie.accounts.access import signed_in
from werkregie.accounts.forms import (
    ApiTokenForm,
    LoginForm,
    ReasonForm,
    RoleChangeForm,
    TokenForm,
)
from werkregie.accounts.models import ApiToken, RoleChange, User
from werkregie.core.access import Action, require
from werkregie.core.errors import DomainError

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
        services.record_failed_password(username=form.cleaned_data["username"])
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


# -- API keys of one's own -----------------------------------------------------------------


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API keys; a new key is shown once, on this response only."""
    user = signed_in(request)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = services.create_api_token(
                actor=user,
                name=form.cleaned_data["name"],
                valid_days=form.cleaned_data["valid_days"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "new_key": new_key, "tokens": user.api_tokens.all()},
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    token = ApiToken.objects.filter(pk=pk, user=user).first()
    if token is None:
        raise Http404
    services.revoke_api_token(actor=user, token=token)
    messages.success(request, f"Sleutel {token} is ingetrokken.")
    return redirect("accounts:api_tokens")


# -- user management (functional administrators) -------------------------------------------


@login_required
def users(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.USER_MANAGE)
    return render(
        request,
        "accounts/users.html",
        {
            "users": User.objects.select_related("organisation").order_by("username"),
            "pending": RoleChange.objects.filter(status=RoleChange.Status.PENDING).select_related(
                "user", "requested_by", "organisation"
            ),
        },
    )


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One user: role and organisation (a change that gives access to personal data waits
    for a second administrator), (de)activation, second factor reset; never one's own."""
    actor = request.user
    assert isinstance(actor, User)
    require(actor, Action.USER_MANAGE)
    subject = User.objects.select_related("organisation").filter(pk=pk).first()
    if subject is None:
        raise Http404
    role_form = RoleChangeForm(
        request.POST if request.POST.get("step") == "role" else None,
        initial={"role": subject.role, "organisation": subject.organisation},
    )
    reason_form = ReasonForm(request.POST if request.POST.get("step") in STEPS else None)
    if request.method == "POST":
        try:
            done = _user_step(request, actor, subject, role_form, reason_form)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if done:
                messages.success(request, done)
                return redirect("accounts:user", pk=subject.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "own": subject.pk == actor.pk,
            "role_form": role_form,
            "reason_form": reason_form,
            "changes": subject.role_changes.select_related(
                "requested_by", "decided_by", "organisation"
            ),
            "devices": services.confirmed_device(subject) is not None,
            "tokens": subject.api_tokens.usable().count(),
        },
    )


STEPS = {"activate", "deactivate", "reset_otp"}


def _user_step(
    request: HttpRequest,
    actor: User,
    subject: User,
    role_form: RoleChangeForm,
    reason_form: ReasonForm,
) -> str:
    step = request.POST.get("step", "")
    if step == "role" and role_form.is_valid():
        change = services.request_role_change(
            actor=actor,
            user=subject,
            role=role_form.cleaned_data["role"],
            organisation=role_form.cleaned_data["organisation"],
            reason=role_form.cleaned_data["reason"],
        )
        if change.status == RoleChange.Status.PENDING:
            return "Rolwijziging aangevraagd: een tweede beheerder moet haar goedkeuren."
        return "Rol en organisatie gewijzigd."
    if step in ("approve", "reject"):
        number = request.POST.get("change", "")
        pending = subject.role_changes.filter(pk=int(number) if number.isdigit() else 0).first()
        if pending is None:
            raise DomainError("Onbekende rolwijziging.")
        services.decide_role_change(actor=actor, change=pending, approve=step == "approve")
        return "Rolwijziging goedgekeurd en doorgevoerd." if step == "approve" else "Afgewezen."
    if step in STEPS and reason_form.is_valid():
        reason = reason_form.cleaned_data["reason"]
        if step == "reset_otp":
            services.reset_second_factor(actor=actor, user=subject, reason=reason)
            return "Tweede factor gereset; de gebruiker koppelt bij de volgende keer opnieuw."
        services.set_user_active(
            actor=actor, user=subject, active=step == "activate", reason=reason
        )
        return "Gebruiker geactiveerd." if step == "activate" else "Gebruiker gedeactiveerd."
    return ""
