from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from werkregie.accounts.access import signed_in
from werkregie.accounts.models import User
from werkregie.core.access import Action, has_permission, require
from werkregie.core.errors import DomainError
from werkregie.core.forms import report_step, save_with, valid
from werkregie.employer_services import match_queries, matching, services
from werkregie.employer_services.access import (
    candidates_shown,
    employers_for,
    profiles_for,
    record_profile_shown,
    record_profiles_listed,
    vacancies_for,
)
from werkregie.employer_services.employer_import import import_employers
from werkregie.employer_services.forms import (
    AccountHolderForm,
    AgreementForm,
    ConsentForm,
    ContactForm,
    ContactMomentForm,
    EmployerForm,
    EmployerImportForm,
    MergeForm,
    OutcomeForm,
    ProfileForm,
    ReleaseForm,
    VacancyForm,
    WithdrawConsentForm,
)
from werkregie.employer_services.models import CandidateProfile, Employer, Match, Vacancy
from werkregie.employer_services.vocabulary import DEMANDS, OCCUPATIONS, SECTORS, SKILLS
from werkregie.people.access import persons_for

PAGE_SIZE = 50


def _employer(request: HttpRequest, pk: int) -> Employer:
    return get_object_or_404(
        employers_for(signed_in(request)).select_related("municipality", "merged_into"),
        pk=pk,
    )


@login_required
def employer_list(request: HttpRequest) -> HttpResponse:
    """The shared employer records: search by name, KvK number or postcode; per sector."""
    require(request.user, Action.EMPLOYER_VIEW)
    employers = employers_for(signed_in(request)).current().select_related("municipality")
    query = request.GET.get("q", "").strip()
    if query:
        employers = employers.filter(services.employer_search(query))
    sector = request.GET.get("sector", "")
    if sector in SECTORS.codes:
        employers = employers.filter(sector=sector)
    page = Paginator(employers.order_by("search_name", "id"), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "employer_services/employer_list.html",
        {
            "page": page,
            "q": query,
            "sector": sector,
            "sectors": SECTORS.choices,
            "query": f"{params.urlencode()}&" if params else "",
        },
    )


@login_required
def employer_create(request: HttpRequest) -> HttpResponse:
    """A new shared employer record; a duplicate (same KvK, or a similar name at the same
    postcode) is refused with the existing record named."""
    require(request.user, Action.EMPLOYER_CHANGE)
    form = EmployerForm(request.POST or None)
    employer = save_with(
        request, form, lambda data: services.create_employer(actor=signed_in(request), **data)
    )
    if employer is not None:
        messages.success(request, f"Werkgever {employer.name} vastgelegd.")
        return redirect("employer_services:employer", pk=employer.pk)
    return render(request, "employer_services/employer_form.html", {"form": form})


@login_required
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.EMPLOYER_CHANGE)
    employer = _employer(request, pk)
    form = EmployerForm(request.POST or None, initial=EmployerForm.initial_for(employer))
    saved = save_with(
        request,
        form,
        lambda data: services.update_employer(actor=signed_in(request), employer=employer, **data),
        edited=employer,
    )
    if saved is not None:
        messages.success(request, "Werkgever bijgewerkt.")
        return redirect("employer_services:employer", pk=saved.pk)
    return render(
        request, "employer_services/employer_form.html", {"form": form, "employer": employer}
    )


@login_required
def employer_import(request: HttpRequest) -> HttpResponse:
    """Upload an employer list: every error at once, or the counts of what changed."""
    require(request.user, Action.EMPLOYER_CHANGE)
    form = EmployerImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_employers(
            actor=signed_in(request),
            name=str(upload.name),
            raw=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
            confirm_overwrite=form.cleaned_data["confirm_overwrite"],
        )
    return render(
        request, "employer_services/employer_import.html", {"form": form, "report": report}
    )


@login_required
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One employer: account holder, contacts, the shared contact log, agreements and
    vacancies, with the forms the user's role may use."""
    require(request.user, Action.EMPLOYER_VIEW)
    employer = _employer(request, pk)
    return render(
        request,
        "employer_services/employer_detail.html",
        {
            "employer": employer,
            "holder": services.current_account_holder(employer),
            "history": employer.accounts.filter(ended_on__isnull=False).select_related(
                "user", "organisation"
            ),
            "contacts": employer.contacts.all(),
            "moments": employer.moments.select_related("author", "organisation")[:50],
            "agreements": employer.agreements.select_related("party"),
            "vacancies": employer.vacancies.select_related("municipality"),
            "merged": employer.merged.all(),
            "forms": {
                "account": AccountHolderForm(auto_id="account_%s"),
                "release": ReleaseForm(auto_id="release_%s"),
                "contact": ContactForm(auto_id="contact_%s"),
                "moment": ContactMomentForm(auto_id="moment_%s"),
                "agreement": AgreementForm(auto_id="agreement_%s"),
                "merge": MergeForm(auto_id="merge_%s"),
            },
        },
    )


def _assign(request: HttpRequest, employer: Employer) -> str:
    form = valid(AccountHolderForm(request.POST))
    holder = services.assign_account_holder(
        actor=signed_in(request), employer=employer, **form.cleaned_data
    )
    return f"{holder} is nu accounthouder."


def _release(request: HttpRequest, employer: Employer) -> str:
    form = valid(ReleaseForm(request.POST))
    services.release_account_holder(
        actor=signed_in(request), employer=employer, **form.cleaned_data
    )
    return "Accounthouder beëindigd."


def _contact(request: HttpRequest, employer: Employer) -> str:
    form = valid(ContactForm(request.POST))
    services.save_contact(actor=signed_in(request), employer=employer, **form.cleaned_data)
    return "Contactpersoon vastgelegd."


def _moment(request: HttpRequest, employer: Employer) -> str:
    form = valid(ContactMomentForm(request.POST))
    services.record_contact_moment(actor=signed_in(request), employer=employer, **form.cleaned_data)
    return "Contactmoment vastgelegd."


def _agreement(request: HttpRequest, employer: Employer) -> str:
    form = valid(AgreementForm(request.POST))
    services.record_agreement(actor=signed_in(request), employer=employer, **form.cleaned_data)
    return "Afspraak vastgelegd."


def _merge(request: HttpRequest, employer: Employer) -> str:
    form = valid(MergeForm(request.POST))
    kvk = form.cleaned_data["duplicate"].strip()
    duplicate = Employer.objects.current().filter(kvk_number=kvk).first()
    if duplicate is None:
        raise DomainError(f"Geen werkgever met KvK-nummer {kvk}.")
    services.merge_employers(
        actor=signed_in(request), survivor=employer, duplicate=duplicate, on=timezone.localdate()
    )
    return f"{duplicate.name} is samengevoegd met dit record."


# Step in the URL → (the action the role needs, what it does).
_EMPLOYER_STEPS: dict[str, tuple[Action, Callable[[HttpRequest, Employer], str]]] = {
    "accounthouder": (Action.EMPLOYER_CHANGE, _assign),
    "accounthouder-beeindigen": (Action.EMPLOYER_CHANGE, _release),
    "contactpersoon": (Action.EMPLOYER_CHANGE, _contact),
    "contactmoment": (Action.EMPLOYER_CONTACT, _moment),
    "afspraak": (Action.EMPLOYER_CHANGE, _agreement),
    "samenvoegen": (Action.EMPLOYER_CHANGE, _merge),
}


@login_required
@require_POST
def employer_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One change on the employer page; a refusal comes back as a Dutch message."""
    if step not in _EMPLOYER_STEPS:
        raise Http404
    needed, perform = _EMPLOYER_STEPS[step]
    require(request.user, needed, "Uw rol mag dit niet vastleggen.")
    employer = _employer(request, pk)
    report_step(request, lambda: perform(request, employer))
    return redirect("employer_services:employer", pk=pk)


# -- vacancies ---------------------------------------------------------------------------


def _vacancy(request: HttpRequest, pk: int) -> Vacancy:
    return get_object_or_404(
        vacancies_for(signed_in(request)).select_related("employer", "municipality"),
        pk=pk,
    )


@login_required
def vacancy_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EMPLOYER_VIEW)
    vacancies = vacancies_for(signed_in(request)).select_related("employer", "municipality")
    status = request.GET.get("status", Vacancy.Status.OPEN)
    if status in Vacancy.Status.values:
        vacancies = vacancies.filter(status=status)
    occupation = request.GET.get("beroepsveld", "")
    if occupation in OCCUPATIONS.codes:
        vacancies = vacancies.filter(occupation=occupation)
    page = Paginator(vacancies, PAGE_SIZE).get_page(request.GET.get("pagina"))
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "employer_services/vacancy_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Vacancy.Status.choices,
            "occupation": occupation,
            "occupations": OCCUPATIONS.choices,
            "query": f"{params.urlencode()}&" if params else "",
        },
    )


@login_required
def vacancy_create(request: HttpRequest, employer_pk: int) -> HttpResponse:
    require(request.user, Action.VACANCY_CHANGE)
    employer = _employer(request, employer_pk)
    form = VacancyForm(request.POST or None)
    vacancy = save_with(
        request,
        form,
        lambda data: services.save_vacancy(actor=signed_in(request), employer=employer, **data),
    )
    if vacancy is not None:
        messages.success(request, "Vacature vastgelegd.")
        return redirect("employer_services:vacancy", pk=vacancy.pk)
    return render(
        request, "employer_services/vacancy_form.html", {"form": form, "employer": employer}
    )


@login_required
def vacancy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.VACANCY_CHANGE)
    vacancy = _vacancy(request, pk)
    initial = {name: getattr(vacancy, name) for name in VacancyForm.base_fields}
    form = VacancyForm(request.POST or None, initial=initial)
    saved = save_with(
        request,
        form,
        lambda data: services.save_vacancy(actor=signed_in(request), vacancy=vacancy, **data),
        edited=vacancy,
    )
    if saved is not None:
        messages.success(request, "Vacature bijgewerkt.")
        return redirect("employer_services:vacancy", pk=saved.pk)
    return render(
        request,
        "employer_services/vacancy_form.html",
        {"form": form, "employer": vacancy.employer, "vacancy": vacancy},
    )


@login_required
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A vacancy and, for who may match, its best candidates with every score explained;
    a candidate whose restrictions conflict with the job never appears."""
    require(request.user, Action.EMPLOYER_VIEW)
    vacancy = _vacancy(request, pk)
    ranked: list[match_queries.RankedCandidate] = []
    matches = {}
    if has_permission(request.user, Action.CANDIDATE_VIEW):
        ranked = candidates_shown(user=signed_in(request), vacancy=vacancy, limit=10)
        matches = {
            m.profile_id: m
            for m in vacancy.matches.filter(
                profile__in=profiles_for(signed_in(request))
            ).select_related("profile__person")
        }
    rows = [
        {
            "ranked": r,
            "name": r.profile.person.full_name
            if r.profile.shows_identity_to(signed_in(request))
            else "",
            "match": matches.pop(r.profile.pk, None),
            "form": OutcomeForm(auto_id=f"outcome_{r.profile.pk}_%s"),
        }
        for r in ranked
    ]
    return render(
        request,
        "employer_services/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "skills": SKILLS.labels(vacancy.required_skills),
            "demands": DEMANDS.labels(vacancy.demands),
            "rows": rows,
            "other_matches": matches.values(),
        },
    )


@login_required
@require_POST
def vacancy_outcome(request: HttpRequest, pk: int, profile_pk: int) -> HttpResponse:
    """Record how it went for one candidate on this vacancy."""
    require(request.user, Action.MATCH_RECORD, "Uw rol legt geen uitkomsten vast.")
    vacancy = _vacancy(request, pk)
    profile = get_object_or_404(
        profiles_for(signed_in(request)).select_related("person"), pk=profile_pk
    )

    def record() -> str:
        form = valid(OutcomeForm(request.POST))
        match = services.record_match(
            actor=signed_in(request),
            vacancy=vacancy,
            profile=profile,
            recorded_on=timezone.localdate(),
            **form.cleaned_data,
        )
        return f"{profile.reference}: {match.get_status_display().lower()}."

    report_step(request, record)
    return redirect("employer_services:vacancy", pk=vacancy.pk)


# -- candidate profiles ------------------------------------------------------------------


def _profile(request: HttpRequest, pk: int, *, guided: bool = False) -> CandidateProfile:
    profiles = profiles_for(signed_in(request))
    if guided:
        profiles = profiles.guided_by(signed_in(request))
    return get_object_or_404(
        profiles.select_related("person__residence_municipality", "owner"), pk=pk
    )


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    """The candidate profiles the user may see; names only where the user may know them."""
    require(request.user, Action.CANDIDATE_VIEW)
    profiles = profiles_for(signed_in(request)).select_related("person", "owner")
    status = request.GET.get("status", CandidateProfile.Status.ACTIVE)
    if status in CandidateProfile.Status.values:
        profiles = profiles.filter(status=status)
    page = Paginator(profiles.order_by("id"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    record_profiles_listed(user=signed_in(request), profiles=page)
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "employer_services/profile_list.html",
        {
            "rows": [(p, p.shows_identity_to(signed_in(request))) for p in page],
            "page": page,
            "status": status,
            "statuses": CandidateProfile.Status.choices,
            "query": f"{params.urlencode()}&" if params else "",
        },
    )


@login_required
def profile_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    """The klantregisseur or jobcoach records the profile of a person they guide."""
    require(request.user, Action.CANDIDATE_CHANGE)
    person = get_object_or_404(persons_for(signed_in(request)), pk=person_pk)
    existing = CandidateProfile.objects.filter(person=person).first()
    if existing is not None:
        return redirect("employer_services:profile", pk=existing.pk)
    form = ProfileForm(request.POST or None)
    profile = save_with(
        request,
        form,
        lambda _: services.save_profile(
            actor=signed_in(request), person=person, today=timezone.localdate(), **form.values()
        ),
    )
    if profile is not None:
        messages.success(request, f"Kandidaatprofiel {profile.reference} vastgelegd.")
        return redirect("employer_services:profile", pk=profile.pk)
    return render(request, "employer_services/profile_form.html", {"form": form, "person": person})


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.CANDIDATE_CHANGE)
    profile = _profile(request, pk, guided=True)
    record_profile_shown(user=signed_in(request), profile=profile)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(profile))
    saved = save_with(
        request,
        form,
        lambda _: services.save_profile(
            actor=signed_in(request),
            person=profile.person,
            today=timezone.localdate(),
            profile=profile,
            **form.values(),
        ),
        edited=profile,
    )
    if saved is not None:
        messages.success(request, "Kandidaatprofiel bijgewerkt.")
        return redirect("employer_services:profile", pk=saved.pk)
    return render(
        request,
        "employer_services/profile_form.html",
        {"form": form, "person": profile.person, "profile": profile},
    )


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A candidate: what they offer, (for the guide) what they cannot do, the consents to
    share with employers, the vacancies that suit them, and how earlier matches went."""
    require(request.user, Action.CANDIDATE_VIEW)
    profile = _profile(request, pk)
    record_profile_shown(user=signed_in(request), profile=profile)
    user: User = signed_in(request)
    return render(
        request,
        "employer_services/profile_detail.html",
        {
            "profile": profile,
            "identity": profile.shows_identity_to(user),
            "restrictions": profile.restriction_labels()
            if profile.shows_restrictions_to(user)
            else None,
            "skills": SKILLS.labels(profile.skills),
            "wished_occupations": OCCUPATIONS.labels(profile.wished_occupations),
            "wished_sectors": SECTORS.labels(profile.wished_sectors),
            "experience": [
                {**row, "label": OCCUPATIONS.label(row["occupation"])} for row in profile.experience
            ],
            "guides": has_permission(user, Action.CANDIDATE_CHANGE)
            and CandidateProfile.objects.guided_by(user).filter(pk=profile.pk).exists(),
            "ranked": match_queries.rank_vacancies(profile, vacancies_for(user), limit=10),
            "matches": profile.matches.select_related("vacancy__employer"),
            "consent_form": ConsentForm(auto_id="consent_%s"),
            "withdraw_form": WithdrawConsentForm(auto_id="withdraw_%s"),
        },
    )


def _consent(request: HttpRequest, profile: CandidateProfile) -> str:
    form = valid(ConsentForm(request.POST))
    profile = services.record_profile_consent(
        actor=signed_in(request), profile=profile, **form.cleaned_data
    )
    if profile.shareable:
        return "Beide kanten stemmen in: werkgevers mogen het profiel zien."
    return "Toestemming vastgelegd; de andere kant moet nog instemmen."


def _withdraw(request: HttpRequest, profile: CandidateProfile) -> str:
    form = valid(WithdrawConsentForm(request.POST))
    services.withdraw_profile_consent(
        actor=signed_in(request), profile=profile, **form.cleaned_data
    )
    return "Toestemming ingetrokken: werkgevers zien het profiel niet meer."


_PROFILE_STEPS: dict[str, Callable[[HttpRequest, CandidateProfile], str]] = {
    "toestemming": _consent,
    "intrekken": _withdraw,
}


@login_required
@require_POST
def profile_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in _PROFILE_STEPS:
        raise Http404
    if not has_permission(request.user, Action.CANDIDATE_CHANGE):
        raise PermissionDenied("Uw rol legt geen toestemming vast.")
    profile = _profile(request, pk, guided=True)
    perform = _PROFILE_STEPS[step]
    report_step(request, lambda: perform(request, profile))
    return redirect("employer_services:profile", pk=pk)


@login_required
def match_overview(request: HttpRequest) -> HttpResponse:
    """How matches went, to learn from: per outcome, per rejection reason, and per criterion
    how often it was met among placements and among rejections."""
    require(request.user, Action.CANDIDATE_VIEW)
    matches = list(
        Match.objects.filter(profile__in=profiles_for(signed_in(request)))
        .select_related("vacancy__employer", "profile")
        .order_by("-recorded_on", "-id")
    )
    summary = matching.outcome_summary([(m.status, m.reason, m.criteria) for m in matches])
    return render(
        request,
        "employer_services/match_overview.html",
        {
            "summary": summary,
            "per_status": [(Match.Status(c).label, n) for c, n in summary.per_status.items()],
            "per_reason": [(Match.Reason(c).label, n) for c, n in summary.per_reason.items()],
            "matches": matches[:100],
        },
    )
