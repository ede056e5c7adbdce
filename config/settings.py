"""
LabelWatch settings: one module, everything read from the environment.

With DJANGO_DEBUG=1 (as `make run` and `make test` set it) it runs embedded
(SQLite, Celery eager, console e-mail, DEBUG on); without it DEBUG is off and
a secret key is required. Production sets DJANGO_DEBUG=0, DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL (see README).
"""

import json
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless explicitly enabled: `make` (run, test) sets DJANGO_DEBUG=1 for the
# embedded development set-up; a server started any other way never shows
# tracebacks.
DEBUG = envbool("DJANGO_DEBUG", False)
_DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a secret value outside debug mode "
        "(or set DJANGO_DEBUG=1 for local development)."
    )
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")
# Addresses (or networks) of the reverse proxies in front of the app, e.g.
# 127.0.0.1 for nginx on the same host. X-Forwarded-For is believed only from
# them (core.audit.client_ip); never configured by a count of hops.
TRUSTED_PROXIES = envlist("DJANGO_TRUSTED_PROXIES")
# Public base URL printed in QR codes and e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "enterprises",
    "legal",
    "inspections",
    "tipoffs",
    "rectification",
    "selfchecks",
    "risk",
    "reports",
    "cases",
    "api",
    "portal",
    "workbench",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An inspector's campaign team is read once per request, not per scoped read.
    "inspections.middleware.TeamMemoMiddleware",
    # Second factor: django-otp marks the verified device, ours sends
    # supervisors and admins who have not given it to set-up or verify.
    "django_otp.middleware.OTPMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",
    "core.audit.AuditContextMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    # Control characters and out-of-range path ids: 400/404 before any view.
    "core.edge.EdgeValidationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last: it inspects the response of failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Every template may colour a state with `{{ value|tone }}` (core.tones).
            "builtins": ["core.templatetags.tones"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection is checked before each request reuses it, so the
        # first requests after a database restart do not fail on a dead one.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (two notices issued at once) queue instead of failing
    # with "database is locked": each transaction takes the write lock when it
    # begins (no deadlock upgrading a read lock), waits up to 20 s for it, and
    # WAL lets pages be read meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id (argon2-cffi, pinned) first: the Password Hashing Competition's
# winner and the hasher Django's documentation recommends, memory-hard, with
# Django's parameters (2 passes over 100 MiB, 8 lanes) above OWASP's minimum
# (19 MiB, 2 passes). It costs about half the CPU of Django's PBKDF2 with
# 1,000,000 iterations (about 0.25 s against 0.5 s here), which was 96 % of
# a log-in and, with fifty people logging in and out, saturated the two
# cores of the load test. Existing PBKDF2 hashes still verify and are
# rewritten as Argon2 at their owner's next log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Staff sessions end this long after log-in (a working day); the second
# factor is asked again at the next log-in.
STAFF_SESSION_SECONDS = envint("STAFF_SESSION_SECONDS", 9 * 3600)
OTP_TOTP_ISSUER = "LabelWatch"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.audit.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media is never served by URL: every file goes through a scoped download view.
MEDIA_URL = "/media-not-served/"

# Uploads: evidence files and sampled content.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 25 * 1024 * 1024)
UPLOAD_MAX_FILES = envint("UPLOAD_MAX_FILES", 20)
# Administrative cases: the agency named on case documents and the
# abbreviation their numbers start with (京网信罚决〔2026〕3号).
CASE_AGENCY_NAME = os.environ.get("CASE_AGENCY_NAME", "北京市互联网信息办公室")
CASE_NUMBER_ABBR = os.environ.get("CASE_NUMBER_ABBR", "京网信")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Time budgets of the explicit-label checker: per sampled file in the
# "explicit" Celery queue, and per file checked through the API.
EXPLICIT_CHECK_BUDGET_S = envint("EXPLICIT_CHECK_BUDGET_S", 60)
EXPLICIT_CHECK_API_BUDGET_S = envint("EXPLICIT_CHECK_API_BUDGET_S", 15)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "labelwatch@localhost")

# Cache for short-lived computed counts (campaign progress): Redis when
# CACHE_URL is set (shared by all workers), else per-process memory. Pages do
# without it while Redis is down (core.cache): reads miss, writes are dropped;
# the timeouts keep an unreachable Redis from holding a request up.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {"default": (
    {"BACKEND": "core.cache.DegradingRedisCache", "LOCATION": CACHE_URL,
     "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1}}
    if CACHE_URL else
    {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "labelwatch"}
)}

# Celery: without a broker the tasks run eagerly in-process (embedded mode).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Batch issuance renders notices in a pool of its own processes, which a
# prefork worker's (daemonic) children may not start: it has a queue served by
# a solo worker (README, "Production").
# Explicit-label checks (OCR, video and audio decoding) are CPU-bound: they
# have a queue of their own ("make worker-explicit"), so they never delay
# e-mail and scheduled tasks.
CELERY_TASK_ROUTES = {
    "reports.notices.tasks.batch_issue_task": {"queue": "notices"},
    "inspections.check_item_explicit_label": {"queue": "explicit"},
}
# Times are Asia/Shanghai (CELERY_TIMEZONE). django-celery-beat copies these
# entries into its tables on start; admins may retime them there.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE: dict = {
    # inspections: planned inspections become due at the start of the day,
    # findings turn overdue just after midnight, reminders go out at 08:30.
    "inspections-make-due": {
        "task": "inspections.make_inspections_due",
        "schedule": crontab(hour=0, minute=10),
    },
    "inspections-mark-overdue": {
        "task": "inspections.mark_findings_overdue",
        "schedule": crontab(minute=5),  # hourly: 24-hour orders end at any hour
    },
    "inspections-deadline-reminders": {
        "task": "inspections.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    # rectification: the automatic reminder, first step of the escalation
    # ladder, for findings that turned overdue (after inspections-mark-overdue).
    "rectification-overdue-reminders": {
        "task": "rectification.tasks.remind_overdue_findings_task",
        "schedule": crontab(minute=20),
    },
    # reports (analytics): the roll-ups follow the changes every 2 minutes
    # (only the cells and months changed since the last run, a few seconds at
    # national scale), so figures are at most about 2 minutes old, and are
    # rebuilt whole each night. A run still queued when the next is due
    # (behind long jobs on the default queue) expires instead of queueing up
    # refreshes that would wait on one another's lock: the next one takes
    # its changes.
    "reports-analytics-rollups": {
        "task": "reports.analytics_rollups_refresh",
        "schedule": crontab(minute="*/2"),
        "kwargs": {"incremental": True},
        "options": {"expire_seconds": 110},
    },
    "reports-analytics-rollups-full": {
        "task": "reports.analytics_rollups_refresh",
        "schedule": crontab(hour=3, minute=10),
    },
    # tipoffs: staff are reminded of reply times about to run out.
    "tipoffs-remind-replies": {
        "task": "tipoffs.remind_replies",
        "schedule": crontab(hour=8, minute=45),
    },
    # selfchecks: reminders before the due date and overdue marks (once per
    # due date), and flags on findings that contradict a declaration.
    "selfchecks-remind": {
        "task": "selfchecks.remind",
        "schedule": crontab(hour=8, minute=50),
    },
    "selfchecks-contradictions": {
        "task": "selfchecks.contradictions",
        "schedule": crontab(minute="*/15"),
    },
    # risk: the ranking (and the plans' high-risk stratum) from last night's record.
    "risk-recompute": {
        "task": "risk.recompute",
        "schedule": crontab(hour=2, minute=30),
    },
    # core: the heads of the audit hash chains, written out of the database.
    "core-audit-anchor": {
        "task": "core.tasks.audit_anchor_task",
        "schedule": crontab(minute=50),
    },
    # cases: warn case teams of statutory time limits about to expire.
    "cases-deadline-warnings": {
        "task": "cases.tasks.warn_case_deadlines_task",
        "schedule": crontab(hour=8, minute=40),
    },
    # core: tasks kept while the broker was down (core.queue) are sent once it is back.
    "core-resend-pending-tasks": {
        "task": "core.tasks.pending_tasks_resend_task",
        "schedule": crontab(),  # every minute
    },
    # core: background exports are kept EXPORT_KEEP_DAYS days.
    "core-export-cleanup": {
        "task": "core.tasks.export_jobs_cleanup_task",
        "schedule": crontab(hour=3, minute=40),
    },
}

# Audit trail (core.audit_chain): the key of the hash chain (keep it outside
# the database; defaults to one derived from SECRET_KEY, so rotating that key
# needs this one set to the old value), where the chain heads are anchored
# hourly, and how long events are kept: never less than 6 months (GB/T 22239
# level 3); nothing in the app deletes them.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
AUDIT_ANCHOR_FILE = os.environ.get("AUDIT_ANCHOR_FILE", "")
AUDIT_ANCHOR_EMAIL = os.environ.get("AUDIT_ANCHOR_EMAIL", "")
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", 365)
if AUDIT_RETENTION_DAYS < 183:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 183 (6 months).")

# Background exports (core.exports): bigger result sets than this are built
# by a Celery task instead of inside the request.
EXPORT_SYNC_MAX_ROWS = envint("EXPORT_SYNC_MAX_ROWS", 2000)
EXPORT_KEEP_DAYS = 7

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# API v1 (api/): requests per token (per user for a browser session).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/minute")
# A retried POST with the same Idempotency-Key replays the first answer this long.
IDEMPOTENCY_KEY_HOURS = 24
SPECTACULAR_SETTINGS = {
    "TITLE": "LabelWatch API",
    "DESCRIPTION": (
        "API v1 of LabelWatch. Authenticate with `Authorization: Bearer <token>` "
        "(enterprise users create tokens in the portal, administrators issue staff "
        "tokens) or the browser session. Every error has the shape "
        "`{\"error\": {\"code\", \"message\", \"fields\"}}`, with the message in the "
        "language of `Accept-Language` (zh-Hans or en). Lists use cursor pagination "
        "(`next`/`previous` links); dates and times are ISO 8601."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["api.v1.schema.only_v1"],
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    # api.v1.urls: ids of 1 to 18 digits.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}},
    "ENUM_NAME_OVERRIDES": {
        "FindingStatusEnum": "inspections.models.FindingStatus",
        "NoticeStatusEnum": "reports.notices.models.NoticeStatus",
        "ReportStatusEnum": "rectification.models.ReportStatus",
        "ExtensionStatusEnum": "rectification.models.ExtensionStatus",
        "EnterpriseStatusEnum": "enterprises.models.EnterpriseStatus",
        "CampaignStatusEnum": "inspections.models.Campaign.Status",
        "PlanStatusEnum": "inspections.models.SelectionPlan.Status",
        "InspectionStatusEnum": "inspections.models.Inspection.Status",
        "SeverityEnum": "inspections.models.Severity",
        "ModalityEnum": "enterprises.models.Modality",
        "LabelCheckModalityEnum": ["text", "image", "video", "audio"],
    },
    # Swagger UI and ReDoc from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    # Never the online validator (validator.swagger.io, which would fetch
    # the schema), whatever layout is chosen: BaseLayout shows no badge, the
    # standalone layout would.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Agencies may point these at their own licensed fonts (FangSong_GB2312,
# FZXiaoBiaoSong); when the files exist the PDFs use them, otherwise Noto.
NOTICE_BODY_FONT_FILE = os.environ.get("NOTICE_BODY_FONT_FILE", "")
NOTICE_TITLE_FONT_FILE = os.environ.get("NOTICE_TITLE_FONT_FILE", "")
# Batch issuance renders chunks of this many notices ahead, in a pool of this
# many processes (one per core), while the chunk before is issued.
NOTICE_RENDER_CHUNK = int(os.environ.get("NOTICE_RENDER_CHUNK", "25"))
NOTICE_RENDER_PROCESSES = int(os.environ.get("NOTICE_RENDER_PROCESSES", str(os.cpu_count() or 2)))

# Digital signatures of issued documents (reports/signing.py). The signer is
# the seam where a certified e-seal service (GB/T 38540) would sign instead.
LABELWATCH_DOCUMENT_SIGNER = os.environ.get("LABELWATCH_DOCUMENT_SIGNER", "reports.signing.PadesSigner")
# Each agency's PKCS#12: JSON {"agency name": {"pkcs12": path, "password_env": VARIABLE}}.
DOCUMENT_SIGNING_KEYS = json.loads(os.environ.get("LABELWATCH_SIGNING_KEYS", "") or "{}")
# One PKCS#12 for every agency (password in LABELWATCH_SIGNING_PKCS12_PASSWORD).
DOCUMENT_SIGNING_PKCS12 = os.environ.get("LABELWATCH_SIGNING_PKCS12", "")
# Without either: self-signed demo certificates, kept here (never under media: a private key).
DOCUMENT_SIGNING_DEMO_DIR = Path(os.environ.get(
    "LABELWATCH_SIGNING_DEMO_DIR", Path(tempfile.gettempdir()) / "labelwatch-demo-signing"))

# Security: strict in production, relaxed only for the embedded dev server.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to standard error (gunicorn, the Celery workers and systemd/journald
# collect them). Each module that can fail or take long has its own logger
# (logging.getLogger(__name__)); the project's apps log at INFO (an export
# built, a batch issued, a backup written, with their ids), everything else at
# WARNING. LOG_LEVEL and LABELWATCH_LOG_LEVEL override the two levels.
PROJECT_APPS = ("config", "core", "accounts", "enterprises", "legal", "inspections", "tipoffs",
                "rectification", "risk", "reports", "cases", "api", "portal")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        app: {"level": os.environ.get("LABELWATCH_LOG_LEVEL", "INFO")} for app in PROJECT_APPS
    },
}

# Shown in the navigation; apps register their sections in core.navigation.
SITE_TITLE = _("LabelWatch")
