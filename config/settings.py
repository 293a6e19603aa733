"""Werkregie settings: one file, configured through environment variables."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets generic classes such as ModelAdmin[Model] be subscripted at run time, as the stubs type them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


DEBUG = env_bool("DEBUG", False)
# Demo users may log in without a second factor only when this is on (never in production).
WERKREGIE_DEMO = env_bool("WERKREGIE_DEMO", False)
TESTING = env_bool("WERKREGIE_TESTING", False) or "pytest" in sys.modules
# Production: neither a developer's DEBUG, nor the demo, nor the test suite.
PRODUCTION = not (DEBUG or WERKREGIE_DEMO or TESTING)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG and WERKREGIE_DEMO are off")
    SECRET_KEY = "werkregie-insecure-development-key-do-not-use-in-production"  # noqa: S105 (dev/demo only)
ALLOWED_HOSTS = [h for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "werkregie.core",
    "werkregie.organisations",
    "werkregie.people",
    "werkregie.accounts",
    "werkregie.transition",
    "werkregie.client_direction",
    "werkregie.employer_services",
    "werkregie.secondments",
    "werkregie.hr",
    "werkregie.planning",
    "werkregie.dashboard",
    "werkregie.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the production server itself: compressed, with hashed names.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "werkregie.core.middleware.RequestLogMiddleware",
    "werkregie.core.middleware.RefuseNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "werkregie.core.middleware.RequestContextMiddleware",
    "werkregie.core.middleware.SecurityMiddleware",
    "werkregie.accounts.middleware.RequireSecondFactorMiddleware",
    # Last: turns a locked-out login into the Dutch lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "werkregie.core.context_processors.navigation",
            ],
        },
    }
]

# DATABASE_URL picks the database; the default is an SQLite file under var/.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'werkregie.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # A second writer waits up to 20 s for the lock; past that it gets a Dutch 503
        # (core.middleware.SecurityMiddleware), never a 500.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords lock that user name, and separately that IP address, for 15 minutes;
# a good login resets the count. Attempts live in the database (every web process sees them).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "Werkregie"

LANGUAGE_CODE = "nl"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names need `collectstatic` first (`werkregie serve` runs it).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION or env_bool("WERKREGIE_STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production WhiteNoise finds files as they are asked for, instead of indexing a
# collected STATIC_ROOT whenever a handler starts (every test client would pay ~0.1 s).
WHITENOISE_AUTOREFRESH = not PRODUCTION

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
# The transitiemanager reads persons' data for this many days after the plan was executed;
# after that only the transition's own records (issue 20, finding 6).
WERKREGIE_TRANSITION_PERSONAL_DATA_DAYS = env_int("WERKREGIE_TRANSITION_PERSONAL_DATA_DAYS", 90)
# Retention (werkregie retention): seven years, the fiscal and archival term of the payroll
# and invoices these records support.
WERKREGIE_PERSONAL_DATA_RETENTION_DAYS = env_int("WERKREGIE_PERSONAL_DATA_RETENTION_DAYS", 2557)
WERKREGIE_AUDIT_RETENTION_DAYS = env_int("WERKREGIE_AUDIT_RETENTION_DAYS", 2557)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not (DEBUG or WERKREGIE_DEMO))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind TLS (docs/deployment.md): the proxy terminates TLS and says so in this header.
if env_bool("BEHIND_TLS_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# A load balancer asks for health over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^gezondheid/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# API requests per key (or per user) and minute; None switches the throttle off.
WERKREGIE_API_RATE: str | None = env_str("WERKREGIE_API_RATE", "600/min") or None
if TESTING and "WERKREGIE_API_RATE" not in os.environ:
    WERKREGIE_API_RATE = None  # the fuzzer sends thousands; test_throttling sets its own
# Nothing shares state through the cache (the API rate counts live in the database,
# core.ApiRateCount): each process keeps its own in memory.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Long operations run as jobs on a task worker (`werkregie worker`, core.jobs). The tests run
# them in the request (immediate backend) unless WERKREGIE_TASKS=database.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_str("WERKREGIE_TASKS", "immediate" if TESTING else "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
# A running job whose worker has not been heard of for this long is marked failed.
WERKREGIE_JOB_STALE_SECONDS = env_int("WERKREGIE_JOB_STALE_SECONDS", 300)
# Finished jobs are deleted after this long; those holding personal data sooner.
WERKREGIE_JOB_RETENTION_DAYS = env_int("WERKREGIE_JOB_RETENTION_DAYS", 7)
WERKREGIE_JOB_PERSONAL_RETENTION_HOURS = env_int("WERKREGIE_JOB_PERSONAL_RETENTION_HOURS", 24)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "werkregie.accounts.authentication.HashedTokenAuthentication",
        "werkregie.core.api.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["werkregie.core.api.HasActionPermission"],
    "DEFAULT_RENDERER_CLASSES": ["djangorestframework_camel_case.render.CamelCaseJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["werkregie.core.api.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "werkregie.core.schema.WerkregieAutoSchema",
    "EXCEPTION_HANDLER": "werkregie.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["werkregie.core.api.PerCallerRateThrottle"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Werkregie API",
    "DESCRIPTION": (
        "API van Werkregie: regio, personen, dienstverbanden, de transitie, klantregie en "
        "werkgeversdienstverlening."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" or "status"; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "werkregie.organisations.models.Organisation.Kind",
        "ProductKindEnum": "werkregie.client_direction.models.Product.Kind",
        "ClientKindEnum": "werkregie.client_direction.models.Client.Kind",
        "TransitionPlanStatusEnum": "werkregie.transition.models.TransitionPlan.Status",
        "OrderStatusEnum": "werkregie.client_direction.models.Order.Status",
        "VacancyStatusEnum": "werkregie.employer_services.models.Vacancy.Status",
        "CandidateKindEnum": "werkregie.employer_services.models.CandidateProfile.Kind",
        "CandidateStatusEnum": "werkregie.employer_services.models.CandidateProfile.Status",
        "MatchStatusEnum": "werkregie.employer_services.models.Match.Status",
        "AgreementKindEnum": "werkregie.employer_services.models.Agreement.Kind",
        "OccupationEnum": "werkregie.employer_services.vocabulary.OCCUPATION_CHOICES",
        "SkillEnum": "werkregie.employer_services.vocabulary.SKILL_CHOICES",
        "DemandEnum": "werkregie.employer_services.vocabulary.DEMAND_CHOICES",
        "SectorEnum": "werkregie.employer_services.vocabulary.SECTOR_CHOICES",
        "InvoiceKindEnum": "werkregie.secondments.models.Invoice.Kind",
        "InvoiceStatusEnum": "werkregie.secondments.models.Invoice.Status",
        "IndexationStatusEnum": "werkregie.hr.models.IndexationRun.Status",
        "MutationKindEnum": "werkregie.hr.models.EmploymentChange.Kind",
        "AgreementStatusEnum": "werkregie.planning.models.PerformanceAgreement.Status",
        "IndicatorEnum": "werkregie.planning.models.AgreementTarget.Indicator",
        "ActivityStatusEnum": "werkregie.planning.models.Activity.Status",
        "DecisionKindEnum": "werkregie.planning.models.Decision.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields",
        "drf_spectacular.hooks.postprocess_schema_enums",
        "werkregie.core.schema.document_error_responses",
    ],
}

# One JSON line per request (core.middleware.RequestLogMiddleware) and per error, to stdout.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "werkregie.core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "werkregie.request": {
            "handlers": ["console"],
            "level": env_str("REQUEST_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING"),
            "propagate": False,
        }
    },
}
