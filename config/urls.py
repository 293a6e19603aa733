from django.contrib import admin
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from werkregie.client_direction.api.clients import ClientViewSet
from werkregie.client_direction.api.orders import OrderViewSet
from werkregie.client_direction.api.products import ProductViewSet
from werkregie.client_direction.api.statements import StatementViewSet
from werkregie.core.job_api import JobViewSet
from werkregie.core.schema_view import CachedSchemaView
from werkregie.dashboard import views as dashboard_views
from werkregie.employer_services.api.employers import EmployerViewSet
from werkregie.employer_services.api.matches import MatchViewSet
from werkregie.employer_services.api.profiles import CandidateProfileViewSet
from werkregie.employer_services.api.vacancies import VacancyViewSet
from werkregie.hr.api.changes import EmploymentChangeViewSet
from werkregie.hr.api.charges import EmployerChargeViewSet
from werkregie.hr.api.contribution import StateContributionViewSet
from werkregie.hr.api.costs import CostReportViewSet
from werkregie.hr.api.indexation import IndexationRunViewSet
from werkregie.hr.api.payroll import PayrollExportViewSet
from werkregie.hr.api.statistics import WswStatisticsViewSet
from werkregie.hr.api.wages import WageTableViewSet
from werkregie.organisations.api import MunicipalityViewSet, OrganisationViewSet
from werkregie.people.api import EmploymentViewSet, PersonViewSet
from werkregie.planning.api.agreements import PerformanceAgreementViewSet
from werkregie.planning.api.forecast import ForecastViewSet
from werkregie.planning.api.real_estate import RealEstateViewSet, SiteCostViewSet
from werkregie.planning.api.reports import PcReportViewSet
from werkregie.planning.api.roadmap import ActivityViewSet, DecisionViewSet
from werkregie.planning.api.scenarios import ScenarioViewSet
from werkregie.secondments.api import InvoiceViewSet, RevenueViewSet, SecondmentContractViewSet
from werkregie.transition.api.entries import PlanEntryViewSet, PlanFlagViewSet
from werkregie.transition.api.imports import RosterImportViewSet
from werkregie.transition.api.plans import TransitionPlanViewSet

router = SimpleRouter(trailing_slash=False)
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("persons", PersonViewSet, basename="person")
router.register("employments", EmploymentViewSet, basename="employment")
router.register("products", ProductViewSet, basename="product")
router.register("clients", ClientViewSet, basename="client")
router.register("orders", OrderViewSet, basename="order")
router.register("statements", StatementViewSet, basename="statement")
router.register("employers", EmployerViewSet, basename="employer")
router.register("vacancies", VacancyViewSet, basename="vacancy")
router.register("candidate-profiles", CandidateProfileViewSet, basename="candidate-profile")
router.register("matches", MatchViewSet, basename="match")
router.register("secondment-contracts", SecondmentContractViewSet, basename="secondment-contract")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("revenue", RevenueViewSet, basename="revenue")
router.register("wage-tables", WageTableViewSet, basename="wage-table")
router.register("employment-changes", EmploymentChangeViewSet, basename="employment-change")
router.register("indexation-runs", IndexationRunViewSet, basename="indexation-run")
router.register("payroll-exports", PayrollExportViewSet, basename="payroll-export")
router.register("cost-report", CostReportViewSet, basename="cost-report")
router.register("wsw-statistics", WswStatisticsViewSet, basename="wsw-statistics")
router.register("state-contributions", StateContributionViewSet, basename="state-contribution")
router.register("employer-charges", EmployerChargeViewSet, basename="employer-charge")
router.register(
    "performance-agreements", PerformanceAgreementViewSet, basename="performance-agreement"
)
router.register("pc-reports", PcReportViewSet, basename="pc-report")
router.register("forecast", ForecastViewSet, basename="forecast")
router.register("scenarios", ScenarioViewSet, basename="scenario")
router.register("real-estate", RealEstateViewSet, basename="real-estate")
router.register("site-costs", SiteCostViewSet, basename="site-cost")
router.register("activities", ActivityViewSet, basename="activity")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("roster-imports", RosterImportViewSet, basename="roster-import")
router.register("transition-plans", TransitionPlanViewSet, basename="transition-plan")
router.register("plan-entries", PlanEntryViewSet, basename="plan-entry")
router.register("plan-flags", PlanFlagViewSet, basename="plan-flag")
router.register("jobs", JobViewSet, basename="job")

admin.site.site_header = "Werkregie beheer"
admin.site.site_title = "Werkregie beheer"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("", include("werkregie.accounts.urls")),
    path("", include("werkregie.core.urls")),
    path("", include("werkregie.organisations.urls")),
    path("", include("werkregie.people.urls")),
    path("", include("werkregie.transition.urls")),
    path("", include("werkregie.client_direction.urls")),
    path("", include("werkregie.employer_services.urls")),
    path("", include("werkregie.secondments.urls")),
    path("", include("werkregie.hr.urls")),
    path("", include("werkregie.planning.urls")),
    path("beheer/", admin.site.urls),
    path(
        "api/v1/schema/",
        # The schema maps every endpoint: only for someone logged in (issue 20).
        CachedSchemaView.as_view(permission_classes=[IsAuthenticated]),
        name="api-schema",
    ),
    path("api/v1/", include((router.urls, "api"))),
]
