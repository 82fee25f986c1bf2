"""Settings from the environment, with safe defaults for local use.

THRIVE_ENV chooses the mode: ``development`` (default), ``test`` or ``production``.
Production refuses to start without SECRET_KEY and turns on every secure default.
"""

from __future__ import annotations

import copy
import importlib.util
import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from thrive.core import cache_config, storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("THRIVE_VAR_DIR", BASE_DIR / "var"))

THRIVE_ENV = os.environ.get("THRIVE_ENV", "development")
if THRIVE_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("THRIVE_ENV must be development, test or production")
PRODUCTION = THRIVE_ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set SECRET_KEY: production refuses to start without one.")
    SECRET_KEY = "insecure-local-development-key-not-for-production-use-0123456789"  # noqa: S105  # development only; production refuses to start without SECRET_KEY  # nosec B105

DEBUG = env_bool("DEBUG", default=THRIVE_ENV == "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

THRIVE_COUNCIL_NAME = os.environ.get("THRIVE_COUNCIL_NAME", "Westshire County Council")
THRIVE_SERVICE_NAME = os.environ.get("THRIVE_SERVICE_NAME", "Thrive")
# The name on pages that belong to no one council (home, the register, accounts, statements).
THRIVE_INSTALLATION_NAME = os.environ.get("THRIVE_INSTALLATION_NAME", THRIVE_SERVICE_NAME)
# Lay out the annual report PDF in the background whenever its figures may have changed, so
# a download is served at once (thrive.reporting.documents); needs the worker running.
THRIVE_PREBUILD_REPORTS = os.environ.get("THRIVE_PREBUILD_REPORTS", "1") != "0"
THRIVE_SITE_URL = os.environ.get("THRIVE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# DEBUG off (outside tests) and no site address: open data that names its own address
# (the OCDS package) is refused rather than published under 127.0.0.1.
THRIVE_SITE_URL_UNSET = not DEBUG and THRIVE_ENV != "test" and "THRIVE_SITE_URL" not in os.environ

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "thrive.core",  # before django_tasks_db: its db_worker command adds the worker's heartbeat
    "django_tasks_db",
    "thrive.audit",
    "thrive.accounts",
    "thrive.strategy",
    "thrive.commissioning",
    "thrive.questions",
    "thrive.organisations",
    "thrive.awards",
    "thrive.opportunities",
    "thrive.applications",
    "thrive.assessment",
    "thrive.monitoring",
    "thrive.reporting",
    "thrive.opendata",
    "thrive.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "thrive.core.middleware.RequestIdMiddleware",
    "thrive.core.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "thrive.core.middleware.AuthenticationMiddleware",
    "thrive.core.ratelimit.RateLimitMiddleware",
    "thrive.core.middleware.OTPMiddleware",
    "thrive.audit.middleware.DownloadAuditMiddleware",
    "thrive.core.middleware.MessageMiddleware",
    "thrive.accounts.middleware.IdleTimeoutMiddleware",
    "thrive.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "thrive.core.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so the 413 page has every header above; no middleware reads the body before it.
    "thrive.core.upload_limits.UploadLimitMiddleware",
]

ROOT_URLCONF = "thrive.urls"
WSGI_APPLICATION = "thrive.wsgi.application"

# django-ninja's package folder, for its templates and Swagger UI's files. ninja is not an
# installed app: that would import it, and pydantic with it, at the start of every ``thrive``
# command; ``thrive.api.docs`` renders the documentation page from our own template.
NINJA_DIR = Path(importlib.util.find_spec("ninja").submodule_search_locations[0])
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "thrive" / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thrive.core.context_processors.service",
            ],
            "builtins": ["thrive.core.templatetags.thrive"],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'thrive.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )


def _postgresql_options(database: dict, *options: str) -> None:
    """Add ``-c name=value`` session settings to a PostgreSQL database's connection options,
    keeping any its URL gave (``?options=…``)."""
    if "postgresql" not in database["ENGINE"]:
        return
    given = database.setdefault("OPTIONS", {}).get("options", "")
    added = [f"-c {option}" for option in options if f"-c {option}" not in given]
    database["OPTIONS"]["options"] = " ".join([*added, given]).strip()


# No JIT compiling: the service's queries are short, and PostgreSQL's cost estimates turned
# JIT on for the larger report and register queries, where compiling took longer (80 ms to
# 800 ms) than running them.
_postgresql_options(DATABASES["default"], "jit=off")
# A read replica for reports and exports (thrive.core.db_router, docs/deployment.md): reads
# that may be a little stale go there when the code asks; writes and migrations never do.
# Without DATABASE_REPLICA_URL the alias is the primary and nothing is sent to it; in tests it
# mirrors the test database, so the routing is tried without a second server.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASES["replica"] = (
    dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    if DATABASE_REPLICA_URL
    else copy.deepcopy(DATABASES["default"])
)
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# Refuse any write that reaches it by mistake, even when it points at the primary.
_postgresql_options(DATABASES["replica"], "jit=off", "default_transaction_read_only=on")
THRIVE_REPLICA_DATABASE = "replica" if DATABASE_REPLICA_URL else ""
DATABASE_ROUTERS = ["thrive.core.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "thrive.accounts.backends.EmailOrUsernameBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Lockout after repeated failed sign-ins (django-axes), counted per account (whatever
# spelling of its username or email address was typed, from any address) and per client
# address (one address trying many accounts).
AXES_FAILURE_LIMIT = int(os.environ.get("THRIVE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("THRIVE_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "thrive.accounts.lockout.account_key"
AXES_LOCKOUT_CALLABLE = "thrive.accounts.lockout.locked_out_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"
# Trusted proxies in front: the client address is read the same way for the lockout and the
# rate limits (thrive.core.ratelimit.client_ip), so a forged X-Forwarded-For changes nothing.
THRIVE_PROXY_COUNT = int(os.environ.get("THRIVE_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "thrive.core.ratelimit.client_ip"

# Two-factor sign-in (django-otp, TOTP apps and single-use backup codes): offered to everyone,
# required for system and council administrators.
OTP_TOTP_ISSUER = os.environ.get("THRIVE_SERVICE_NAME", "Thrive")
THRIVE_TWO_FACTOR_BACKUP_CODES = 10
# Staff are signed out after this many minutes without a request; providers keep the
# full session (SESSION_COOKIE_AGE).
THRIVE_STAFF_IDLE_MINUTES = int(os.environ.get("THRIVE_STAFF_IDLE_MINUTES", "30"))
# Links that verify a self-registered email address last this long.
THRIVE_EMAIL_VERIFICATION_DAYS = int(os.environ.get("THRIVE_EMAIL_VERIFICATION_DAYS", "3"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Swagger UI's files for the API documentation page, from django-ninja's package (see
# NINJA_DIR).
STATICFILES_DIRS = [("ninja", NINJA_DIR / "static" / "ninja")]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files (thrive.core.storage): this machine's disk (STORAGE_URL unset or a folder),
# or an object store every machine shares: s3://bucket?endpoint_url=…&region=… or
# azure://container?account_name=… (docs/deployment.md). Never public either way.
STORAGE_URL = os.environ.get("STORAGE_URL", "")
STORAGES = {
    **storage.storages_for(STORAGE_URL),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = storage.local_root(STORAGE_URL) or Path(
    os.environ.get("MEDIA_ROOT", VAR_DIR / "media")
)
MEDIA_URL = "/media/"
# Uploads (thrive.core.uploads): checked by content, capped in size, scanned, kept private.
# A request declaring more than one upload plus the form data Django accepts is refused with
# 413 before its body is read (set the proxy's client_max_body_size to the same); files over
# 2.5MB are spooled to disk, never held in memory.
THRIVE_UPLOAD_MAX_BYTES = int(os.environ.get("THRIVE_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Zip containers (DOCX, XLSX, ODT): judged by their directory before any part is inflated.
THRIVE_ZIP_MAX_ENTRIES = int(os.environ.get("THRIVE_ZIP_MAX_ENTRIES", "1000"))
THRIVE_ZIP_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("THRIVE_ZIP_MAX_UNCOMPRESSED_BYTES", str(100 * 1024 * 1024))
)
THRIVE_ZIP_MAX_RATIO = int(os.environ.get("THRIVE_ZIP_MAX_RATIO", "100"))
# A virus scanner run on every upload before it is accepted, e.g. "clamdscan --fdpass
# --no-summary -" (the file on standard input) or "... {path}"; off when empty. Exit 0
# accepts, 1 refuses as infected, anything else (or no answer in time) refuses as unchecked.
THRIVE_VIRUS_SCAN_COMMAND = os.environ.get("THRIVE_VIRUS_SCAN_COMMAND", "")
THRIVE_VIRUS_SCAN_TIMEOUT = float(os.environ.get("THRIVE_VIRUS_SCAN_TIMEOUT", "60"))

# Email: console by default, SMTP (or any backend) from EMAIL_URL.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    _email = dj_email_url.parse(EMAIL_URL)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Thrive <no-reply@thrive.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: django-tasks with its database backend; `thrive db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("THRIVE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Caches every process shares (thrive.core.cache_config): the default cache from CACHE_URL
# (redis://…, db://table_name or database, locmem:// in development; the database in
# production when unset, which refuses locmem:// unless THRIVE_ALLOW_LOCAL_CACHE). Rate limits
# (thrive.core.ratelimit) count in the "ratelimit" cache: Redis at THRIVE_RATE_LIMIT_CACHE_URL,
# else Redis at CACHE_URL, else a table in the database (made by `thrive migrate`).
THRIVE_RATE_LIMIT_CACHE_URL = os.environ.get("THRIVE_RATE_LIMIT_CACHE_URL", "")
CACHES = cache_config.caches(
    cache_url=os.environ.get("CACHE_URL", ""),
    rate_limit_url=THRIVE_RATE_LIMIT_CACHE_URL,
    production=PRODUCTION,
    allow_local=env_bool("THRIVE_ALLOW_LOCAL_CACHE", False),
)
# /healthz answers 503 when the oldest task waiting for the worker has waited longer (seconds).
THRIVE_HEALTH_MAX_QUEUE_AGE = float(os.environ.get("THRIVE_HEALTH_MAX_QUEUE_AGE", "300"))
# Each task worker writes a heartbeat this often (seconds); a task running under a worker not
# heard from for THRIVE_TASK_STALE_AFTER seconds is queued again, or failed after
# THRIVE_TASK_MAX_ATTEMPTS attempts (thrive.core.tasks).
THRIVE_TASK_HEARTBEAT_SECONDS = float(os.environ.get("THRIVE_TASK_HEARTBEAT_SECONDS", "5"))
THRIVE_TASK_STALE_AFTER = float(os.environ.get("THRIVE_TASK_STALE_AFTER", "180"))
THRIVE_TASK_MAX_ATTEMPTS = int(os.environ.get("THRIVE_TASK_MAX_ATTEMPTS", "3"))
# The task worker lowers its CPU priority by this much (nice, 0 to 19; 0 leaves it), so on a
# machine it shares with the web workers, pages and API calls come first in a rush and the
# emails and files it makes wait for a free moment.
THRIVE_WORKER_NICE = int(os.environ.get("THRIVE_WORKER_NICE", "10"))
# An export still being prepared this long after it was asked for offers to try again.
THRIVE_EXPORT_WAIT_MINUTES = float(os.environ.get("THRIVE_EXPORT_WAIT_MINUTES", "60"))
THRIVE_RATE_LIMIT_PREFIX = "thrive-rl"
# Who sent an API token: ``function(secret=...)`` giving the user or None. The rate limits
# count a token's requests against its user (the accounts app keeps the tokens).
THRIVE_BEARER_USER = "thrive.accounts.services.api_tokens.authenticate_api_token"
# POSTs allowed to each page or API operation (by URL name) per client address ("ip"), per
# signed-in person ("user") and per email address or username in the form ("email").
# Addresses are shared by offices behind one router, so their limits are the loosest.
THRIVE_RATE_LIMITS: dict[str, dict[str, str]] = {
    "accounts:login": {"ip": "40/15m", "email": "20/15m"},
    "accounts:two_factor_verify": {"ip": "40/15m", "user": "20/15m"},
    "accounts:password_reset": {"ip": "40/h", "email": "5/h"},
    "accounts:resend_verification": {"ip": "40/h", "user": "5/h"},
    "accounts:invitation": {"ip": "40/h"},
    "accounts:staff_add": {"ip": "60/h", "user": "30/h", "email": "3/h"},
    "organisations:register": {"ip": "40/h", "user": "10/h", "email": "5/h"},
    "organisations:join": {"ip": "40/h", "user": "10/h", "email": "5/h"},
    "organisations:invite": {"ip": "60/h", "user": "30/h", "email": "3/h"},
    "opportunities:ask": {"ip": "40/h", "user": "10/h"},
    "opportunities:invite": {"ip": "60/h", "user": "60/h"},
    "applications:check": {"ip": "60/h", "user": "20/h"},
    "monitoring:return_edit": {"ip": "120/h", "user": "60/h"},
    "api:ask": {"ip": "40/h", "user": "10/h"},
    "api:submit": {"ip": "60/h", "user": "20/h"},
    "api:submit_return": {"ip": "120/h", "user": "60/h"},
    "api:create_organisation": {"ip": "40/h", "user": "10/h"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_FAILURE_VIEW = "thrive.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

NINJA_PAGINATION_PER_PAGE = 50
