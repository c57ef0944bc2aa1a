"""One settings module for every environment, driven by environment variables.

SQLite (WAL) is the embedded default; set DATABASE_URL for PostgreSQL. Production is
DEBUG=0 with SECRET_KEY (or SECRET_KEY_FILE) from the environment.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from thidua.lib.files_config import checkpoint_storage, files_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str | None = None) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (systemd/docker secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", True)

_secret = env_secret("SECRET_KEY")
if not _secret:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG=0")
    # Development only: a fixed key is harmless because DEBUG pages never run in production.
    _secret = "dev-only-insecure-key-do-not-use-in-production-7f3c9a1e5b2d4c6e8a0b"
SECRET_KEY = _secret
# Seals ballots while a vote is open (voting/sealing.py). Kept outside the database and its
# backups, like SECRET_KEY; derived from SECRET_KEY when unset. Never change it while a vote
# is open: its sealed ballots could not be counted.
THIDUA_BALLOT_KEY = (env_secret("THIDUA_BALLOT_KEY") or f"ballot:{SECRET_KEY}").encode()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "thidua.audit",
    "thidua.org",
    "thidua.campaigns",
    "thidua.covenants",
    "thidua.documents",
    "thidua.signatures",
    "thidua.scoring",
    "thidua.voting",
    "thidua.notifications",
    "thidua.reports",
    "thidua.awards",
    "thidua.initiatives",
    "thidua.proposals",
    "thidua.titles",
    "thidua.years",
    "thidua.web",
    "thidua.api",
    "thidua.apitokens",
    "thidua.accounts",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # The API's docs page uses django-ninja's own copy of Swagger UI, not a CDN's.
    "ninja",
    "thidua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "thidua.accounts.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thidua.web.middleware.LanguageMiddleware",
    # Under DEBUG, Django's technical error pages only for a browser on this machine.
    "thidua.accounts.middleware.LoopbackDebugMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "thidua.accounts.middleware.RateLimitMiddleware",
    "thidua.accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "thidua.accounts.middleware.IdleSessionMiddleware",
    # Last: turns a login refused because of a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "thidua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "thidua.web.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "thidua.pages.forms.BootstrapFormRenderer"

DATA_DIR = Path(os.environ.get("THIDUA_DATA_DIR", BASE_DIR / "var"))
# The embedded database, uploads and collected static files live here (ignored by git).
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "thidua.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
                # failing with "database is locked" half-way through a service.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # secure_delete overwrites deleted rows' bytes: the sealed ballots and voter
                # records a vote's close deletes leave nothing readable in the file.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# A password shorter than this, close to the person's name, common or all digits is refused
# wherever one is set (change, reset, administration). "mai12345" fails; "ThiDua@2021" passes.
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
AUTH_PASSWORD_VALIDATORS = [
    {
        # Not the e-mail: the agency's domain name in a password is not the person's name.
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "first_name", "last_name")},
    },
    {
        "NAME": "thidua.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed logins per account and per address (each on its own): after
# LOGIN_FAILURE_LIMIT failures that account, or that address, is locked for
# LOGIN_LOCKOUT_MINUTES (0: until an administrator lifts it at /accounts/security/).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES) if LOGIN_LOCKOUT_MINUTES else None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked neither extend the lockout nor count again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Lockouts are lifted (and audited) from /accounts/security/, not from the admin's raw rows.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Behind nginx every request comes from 127.0.0.1: say how many proxies of ours append to
# X-Forwarded-For so that the lockout and the rate limits per address see the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "thidua.accounts.middleware.client_address"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "thidua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# dd/mm/yyyy in both languages, input included (thidua/pages/formats).
FORMAT_MODULE_PATH = "thidua.pages.formats"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "thidua" / "static"]
MEDIA_ROOT = DATA_DIR / "media"
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 50 * 1024 * 1024))
# Every uploaded zip package (xlsx, docx) may unpack to at most this much, whatever its own
# size (thidua/lib/archives.py): a small file inflating to gigabytes is refused.
UPLOAD_MAX_UNPACKED_BYTES = int(os.environ.get("UPLOAD_MAX_UNPACKED_BYTES", 200 * 1024 * 1024))
UPLOAD_MAX_ZIP_MEMBERS = int(os.environ.get("UPLOAD_MAX_ZIP_MEMBERS", "10000"))
# Uploaded Word templates are Jinja code from outside the project: they are filled in a child
# process limited to this much CPU time and memory (thidua/documents/sandbox.py).
TEMPLATE_RENDER_SECONDS = float(os.environ.get("TEMPLATE_RENDER_SECONDS", "5"))
TEMPLATE_RENDER_MEMORY_MB = int(os.environ.get("TEMPLATE_RENDER_MEMORY_MB", "256"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Every file the system keeps (thidua/lib/files.py): DATA_DIR on the local disk, or an
    # S3-compatible bucket when THIDUA_S3_BUCKET is set. Outside the web root either way.
    "files": files_storage(os.environ),
    # The audit log's checkpoints (thidua/audit/checkpoints.py), in their own folder when
    # THIDUA_AUDIT_CHECKPOINT_DIR names one, else beside the other files.
    **checkpoint_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# DOCX→PDF goes through LibreOffice (thidua/documents/pdf.py). Unset SOFFICE_PATH means
# "find soffice on PATH"; a conversion that takes longer than the timeout is killed, so a
# stuck LibreOffice never holds a worker forever.
SOFFICE_PATH = os.environ.get("SOFFICE_PATH") or None
PDF_TIMEOUT_SECONDS = float(os.environ.get("PDF_TIMEOUT_SECONDS", "60"))
# The PDF of an issued document is made in the job worker: a failed conversion is retried
# after PDF_RETRY_BASE_SECONDS, doubled each time, up to PDF_MAX_ATTEMPTS conversions.
PDF_MAX_ATTEMPTS = int(os.environ.get("PDF_MAX_ATTEMPTS", "3"))
PDF_RETRY_BASE_SECONDS = float(os.environ.get("PDF_RETRY_BASE_SECONDS", "30"))

# Token-signed PDFs (thidua/signatures) are trusted only if the signer's certificate chains to
# a CA certificate (PEM or DER) in this directory, e.g. the national root CA; outside the web
# root. Signed uploads are kept under DATA_DIR/signed-pdfs. See docs/documents.md.
THIDUA_TRUST_ROOTS = Path(os.environ.get("THIDUA_TRUST_ROOTS", DATA_DIR / "trust-roots"))
SIGNED_PDF_MAX_BYTES = int(os.environ.get("SIGNED_PDF_MAX_BYTES", 20 * 1024 * 1024))
# Largest evidence file a unit may attach to its report (thidua/reports/evidence.py).
REPORT_EVIDENCE_MAX_BYTES = int(os.environ.get("REPORT_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))

# The audit log's chain is keyed (HMAC-SHA256) with a secret kept outside the database:
# THIDUA_AUDIT_KEY, or THIDUA_AUDIT_KEY_FILE naming a file that holds it (at least 32
# characters). Under DEBUG without one, a key is generated into DATA_DIR/audit.key (never
# committed: var/ is ignored); `check --deploy` refuses production without one.
AUDIT_KEY = env_secret("THIDUA_AUDIT_KEY") or ""
AUDIT_KEY_DEV_DEFAULT = DEBUG
# The chain's head is published as a signed checkpoint file at most this many minutes
# after an event, into THIDUA_AUDIT_CHECKPOINT_DIR (a folder the database cannot rewrite:
# another disk, a write-once mount; DATA_DIR/audit-checkpoints when unset), and e-mailed to
# THIDUA_AUDIT_CHECKPOINT_EMAILS when set. See docs/operations.md.
AUDIT_CHECKPOINT_DIR = os.environ.get("THIDUA_AUDIT_CHECKPOINT_DIR", "").strip()
AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("THIDUA_AUDIT_CHECKPOINT_MINUTES", "60"))
AUDIT_CHECKPOINT_EMAILS = env_list("THIDUA_AUDIT_CHECKPOINT_EMAILS", "")

# Pins "today" for the demo (it lives inside the 2021 campaign). Leave unset in production.
THIDUA_TODAY = os.environ.get("THIDUA_TODAY") or None

EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
# A mail server that accepts the connection and then hangs must not hold the reminder run.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "thidua@localhost")
# Days before a milestone's deadline on which `manage.py send_reminders` e-mails those who
# still owe it; a negative day is the single reminder after the deadline has passed.
THIDUA_REMINDER_DAYS = [
    int(day) for day in os.environ.get("THIDUA_REMINDER_DAYS", "7,3,1,0,-1").split(",") if day
]
# The public address printed (and QR-encoded) on issued documents for their verification page.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# A session ends after SESSION_IDLE_MINUTES without a request (sliding: each request,
# at most once a minute, pushes the end back), not 14 days after the login.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# The second factor (django-otp, TOTP) offered to administrators and the secretariat: the
# name the authenticator app shows for the account.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Thi đua")

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from the site
# itself, no inline script anywhere (the pages' behaviour is in static/js/thidua.js), no
# plugin, no framing. Inline style *attributes* stay allowed (a progress bar's width, a
# tree's indent), inline <style> elements do not. QR codes are inline SVG or data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Powerful browser features the system never uses are switched off for every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
# Requests per client address and window on public pages: path prefix -> (requests,
# seconds). Counted in the default cache: with several app processes, configure a shared
# cache (database, Redis) or the limit applies per process.
RATE_LIMITS = {
    "/verify/": (
        int(os.environ.get("VERIFY_RATE_LIMIT", "30")),
        int(os.environ.get("VERIFY_RATE_WINDOW_SECONDS", "60")),
    ),
}

# Personal API tokens (docs/api.md): the longest validity an owner may choose, the validity
# the form proposes, and the calls one token may make per period (django-ninja's throttle,
# counted in the default cache: with several app processes configure a shared cache).
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_RATE = os.environ.get("API_TOKEN_RATE", "600/min")
# The largest page a list endpoint answers (`limit`), whatever the caller asks.
NINJA_PAGINATION_MAX_LIMIT = int(os.environ.get("API_MAX_PAGE_SIZE", "500"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
