"""The one settings module. Every value a deployment may change is read from the
environment through scr_tracker.env; the README's configuration table lists them."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from scr_tracker.env import (
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
    is_ip_address,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "scr_tracker.admin_site.TrackerAdminConfig",  # django.contrib.admin, break-glass only
    # Before django.contrib.auth, so that its createsuperuser (which records
    # who and why in the person's history) is the one manage.py runs.
    "scr_tracker.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Search and trigram lookups on PostgreSQL; harmless on SQLite.
    "django.contrib.postgres",
    "django.forms",
    "simple_history",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "recommendations",
    "evidence",
    "scr_tracker.intake",
    "scr_tracker.reporting",
    "scr_tracker.operations",
]

MIDDLEWARE = [
    # First: every log line of a request carries its id, route and user.
    "scr_tracker.logs.RequestContext",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "scr_tracker.middleware.refuse_oversized_requests",
    "scr_tracker.middleware.private_and_limited",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "scr_tracker.middleware.refresh_sessions_once_a_minute",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor: who has passed it, and nothing else for who must and has not.
    "django_otp.middleware.OTPMiddleware",
    "scr_tracker.accounts.two_factor.require_second_factor",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a form sent after the idle time-out keeps what was typed.
    "scr_tracker.accounts.kept_input.keep_input_after_time_out",
    # After messages: says why a session at its absolute lifetime was ended.
    "scr_tracker.accounts.sessions.end_at_absolute_lifetime",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: history rows of changes made in a request record its user.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: refuses sign-in during a lockout (scr_tracker/accounts/throttling.py).
    "axes.middleware.AxesMiddleware",
]

FORM_RENDERER = "scr_tracker.govuk.Renderer"
ROOT_URLCONF = "scr_tracker.urls"
WSGI_APPLICATION = "scr_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "scr_tracker.navigation.navigation",
                "scr_tracker.accounts.time_out.context",
            ],
            "libraries": {"govuk": "scr_tracker.govuk"},
            "builtins": ["scr_tracker.accounts.capability_tags"],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    # The embedded default for trying the tracker: a SQLite file under VAR_DIR.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": parse_database_url(DATABASE_URL)}
# Persistent connections (checked before reuse) save a connection per request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache. Sessions live in the database, so any number of app servers
# act as one; set REDIS_URL when running more than one, so that what is cached
# (and anything counted in the cache) is shared too.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: counts failures and refuses sign-in while locked out.
    "axes.backends.AxesStandaloneBackend",
    "scr_tracker.accounts.sso.PasswordBackend",
    "scr_tracker.accounts.sso.TrackerOIDCBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No database "AnonymousUser": anonymous visitors never match an object permission.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "scr_tracker.accounts.passwords.RepeatsAndSequencesValidator"},
]
# A second factor (docs/sign-in.md) is always required for business managers,
# executives and the admin; for agency users unless this is switched off.
MFA_REQUIRED_FOR_AGENCY_USERS = env_bool("MFA_REQUIRED_FOR_AGENCY_USERS", default=True)
OTP_TOTP_ISSUER = env_str("SERVICE_NAME") or "Recommendation tracker"
# Passkeys (WebAuthn) as a second factor, never instead of the password; bound
# to the tracker's own address (SITE_URL, set below).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "django.security.webauthn"
# Sign-in throttling (django-axes, in the database): per username and per address.
SIGN_IN_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
SIGN_IN_COOLOFF_MINUTES = env_int("SIGN_IN_COOLOFF_MINUTES", 15, minimum=1)
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "scr_tracker.accounts.throttling.locked_out"
AXES_CLIENT_IP_CALLABLE = "scr_tracker.accounts.throttling.client_ip"
AXES_VERBOSE = False
# Single sign-on with an OpenID Connect provider (docs/sign-in.md): off unless
# OIDC_ENABLED, when every OIDC_* endpoint, the client id and secret are needed.
OIDC_ENABLED = env_bool("OIDC_ENABLED", default=False)
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME") or "your organisation"
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO") or "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
if OIDC_ENABLED:
    _missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_ISSUER",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(f"OIDC_ENABLED needs {', '.join(_missing)}.")
# "everyone", or "break-glass": with single sign-on, passwords sign in only
# break-glass superusers.
PASSWORD_SIGN_IN = env_str("PASSWORD_SIGN_IN") or "everyone"
if PASSWORD_SIGN_IN not in ("everyone", "break-glass"):
    raise ImproperlyConfigured("PASSWORD_SIGN_IN must be everyone or break-glass.")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Built from frontend/ (GOV.UK Frontend); served by whitenoise, with hashed names
# when DEBUG is off (collectstatic runs at deployment; see the README).
STATICFILES_DIRS = [BASE_DIR / "scr_tracker" / "static"]
WHITENOISE_USE_FINDERS = DEBUG

# Evidence files live outside any web root and have no URL: they are served only
# by permission-checked views. There is deliberately no MEDIA_URL.
EVIDENCE_ROOT = env_path("EVIDENCE_ROOT", VAR_DIR / "evidence")
STORAGES = {
    # Nothing is stored through the default storage: a file field that forgets to
    # name the evidence storage fails loudly instead of writing somewhere public.
    "default": {"BACKEND": "scr_tracker.storage.RefusingStorage"},
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(EVIDENCE_ROOT),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    "staticfiles": {
        "BACKEND": "scr_tracker.storage.StaticStorage"
        if env_bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600

# Evidence intake (docs/intake.md). Sizes are per file; a request larger than
# every allowed file together is refused before it is read.
EVIDENCE_MAX_FILE_BYTES = env_int("EVIDENCE_MAX_FILE_MB", 20, minimum=1) * 1024 * 1024
EVIDENCE_MAX_FILES = env_int("EVIDENCE_MAX_FILES", 10, minimum=1)
# Processes that check one long text at once (intake/halves.py): 2 uses a
# second core for texts of a million characters or more; 1 checks in one.
GUARD_PROCESSES = env_int("GUARD_PROCESSES", 2, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FILES = EVIDENCE_MAX_FILES
MAX_REQUEST_BYTES = EVIDENCE_MAX_FILES * EVIDENCE_MAX_FILE_BYTES + 1024 * 1024
AGENCY_QUOTA_BYTES = env_int("AGENCY_QUOTA_MB", 2048, minimum=1) * 1024 * 1024
AGENCY_QUOTA_FILES = env_int("AGENCY_QUOTA_FILES", 1000, minimum=1)
INTAKE_MAX_PDF_PAGES = 2000
INTAKE_MAX_PACKAGE_ENTRIES = 2000
INTAKE_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
INTAKE_MAX_UNPACK_RATIO = 100
INTAKE_MAX_IMAGE_PIXELS = 40_000_000
# ClamAV's clamd ("host:port" or a socket path). Set means required: if it cannot
# be reached, uploads are refused.
CLAMD_ADDRESS = env_str("CLAMD_ADDRESS")
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 30, minimum=1)
# The key of the restricted registers' hashes. Keep it secret, and keep it: a new
# key makes the registered terms and documents unrecognisable.
REGISTER_KEY = env_str("REGISTER_KEY")
if not REGISTER_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("REGISTER_KEY must be set when DEBUG is off.")
    REGISTER_KEY = "local-development-register-key-only"  # noqa: S105 (DEBUG only)

# The assurance cycle (docs/assurance.md): reminders before a request's due
# date, chasers after it, escalation to business managers, then a flag on the
# executives' dashboard; the impact review after a recommendation is complete.
REMIND_BEFORE_DAYS = env_int("REMIND_BEFORE_DAYS", 7, minimum=0)
CHASE_EVERY_DAYS = env_int("CHASE_EVERY_DAYS", 7, minimum=1)
ESCALATE_AFTER_DAYS = env_int("ESCALATE_AFTER_DAYS", 14, minimum=1)
FLAG_AFTER_DAYS = env_int("FLAG_AFTER_DAYS", 28, minimum=1)
IMPACT_REVIEW_MONTHS = env_int("IMPACT_REVIEW_MONTHS", 12, minimum=1)
# Retention (docs/retention.md): evidence about a review is kept this many years
# after the review is closed, unless the review sets its own period.
EVIDENCE_RETENTION_YEARS = env_int("EVIDENCE_RETENTION_YEARS", 6, minimum=1)

# Who runs the service, and its name: shown in every page's header and footer,
# on board packs and on the public summary.
PARTNERSHIP_NAME = env_str("PARTNERSHIP_NAME") or "Walsall Safeguarding Partnership"
SERVICE_NAME = env_str("SERVICE_NAME") or "Recommendation tracker"
OTP_WEBAUTHN_RP_NAME = SERVICE_NAME
# How long an invitation's link to choose a password works (docs/people.md).
INVITE_DAYS = env_int("INVITE_DAYS", 7, minimum=1)
# The address people use to reach the tracker, for links in emails.
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
# Passkeys are bound to the tracker's host name: browsers offer them on HTTPS
# or on http://localhost, never on a bare IP address. They are offered only
# when SITE_URL is such an address (docs/sign-in.md).
_site = urlsplit(SITE_URL)
OTP_WEBAUTHN_RP_ID = _site.hostname or "localhost"
PASSKEYS_OFFERED = not is_ip_address(OTP_WEBAUTHN_RP_ID) and (
    _site.scheme == "https" or OTP_WEBAUTHN_RP_ID == "localhost"
)
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL] if PASSKEYS_OFFERED else []

# History is the audit trail: it may never be switched off, and the admin may not
# revert it (a revert would rewrite what a business manager decided).
SIMPLE_HISTORY_ENABLED = True
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Email: the console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST  # a deprecated setting name in Django 6.1; MAILERS carries it
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tracker@localhost")

# Cookies and transport. TLS is terminated in front of the app in production.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 15 * 60, minimum=60)
# The idle time-out moves on with use, but the session row is written at most
# once a minute (scr_tracker/middleware.py), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
# The time-out warning opens this long before the idle time-out (time_out.py).
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 120, minimum=10)
# However active, a session ends this long after signing in (docs/sign-in.md).
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy: only this site's own styles and scripts; the one
# inline script (GOV.UK Frontend's "JavaScript is on" class) carries a nonce.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "manifest-src": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading commits the whole registrable domain (often the council's) to
# HTTPS in every browser: the domain owner's decision, so off unless set, and
# its deployment check is silenced on purpose (docs/operations.md).
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if not PASSKEYS_OFFERED:
    # No origin to allow passkeys on: their check would ask for one.
    SILENCED_SYSTEM_CHECKS.append("otp_webauthn.E030")
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL.")
# One JSON object per line (scr_tracker/logs.py) unless LOG_FORMAT=text; text
# is the default with DEBUG, where runserver prints each request itself.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json").lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "scr_tracker.logs.JsonFormatter"}},
    "filters": {"refusals_in_one_line": {"()": "scr_tracker.logs.RefusalsInOneLine"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["refusals_in_one_line"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # WeasyPrint and its font library log every step of every PDF at INFO.
        **{name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "fontTools.subset")},
        # One line per request; with text logs, runserver's own line is enough.
        "scr_tracker.requests": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}
