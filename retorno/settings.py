"""Django settings for Retorno.

Everything that differs between a laptop, CI and production comes from the environment (see the
README, "Settings"). The defaults fail safe: DEBUG is off, and with DEBUG off the app refuses to
start without SECRET_KEY and ALLOWED_HOSTS. `make run` and the tests turn DEBUG on.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RETORNO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATA_DIR = Path(os.environ.get("RETORNO_DATA_DIR", BASE_DIR / "data"))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("SECRET_KEY_FILE"):
    # e.g. a systemd credential, or var/secret_key that `make run` writes for a local demo.
    try:
        SECRET_KEY = Path(os.environ["SECRET_KEY_FILE"]).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"SECRET_KEY_FILE: cannot read {os.environ['SECRET_KEY_FILE']}") from exc
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off Retorno refuses to start on a known key (anyone "
            "could forge its signed tokens). Set SECRET_KEY to a long random value, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "dev-only-not-secret-" + "x" * 40  # DEBUG only: make run, tests
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With DEBUG off give the host names the app is served under, "
        "comma-separated, e.g. ALLOWED_HOSTS=retorno.example.gob.mx."
    )
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", ",".join(f"http://{h}:8000" for h in ALLOWED_HOSTS if h and h != "*")
)

# --- Transport security: set in production behind TLS (README, "Production") -----------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Health checks from the load balancer come over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Proxies whose X-Forwarded-For / X-Forwarded-Proto we believe (IPs or CIDR ranges); a request
# from anywhere else is taken at its socket address (retorno.core.net.client_ip).
RETORNO_TRUSTED_PROXIES = []
for _proxy in env_list("RETORNO_TRUSTED_PROXIES"):
    try:
        RETORNO_TRUSTED_PROXIES.append(ipaddress.ip_network(_proxy, strict=False))
    except ValueError as exc:
        raise ImproperlyConfigured(f"RETORNO_TRUSTED_PROXIES: '{_proxy}' is not an IP or CIDR range") from exc
if RETORNO_TRUSTED_PROXIES and env_bool("RETORNO_PROXY_SETS_PROTO", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The apps are the domain: one per concept, in the order a returnee meets them.
RETORNO_APPS = [
    "retorno.core",
    "retorno.accounts",
    "retorno.audit",
    "retorno.jobs",
    "retorno.reference",
    "retorno.directory",
    "retorno.identity",
    "retorno.linkage",
    "retorno.reception",
    "retorno.constancias",
    "retorno.manifests",
    "retorno.diagnosis",
    "retorno.referrals",
    "retorno.employment",
    "retorno.followup",
    "retorno.statistics",
    "retorno.policy",
    "retorno.rights",
    "retorno.grievances",
    "retorno.portal",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    *RETORNO_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the query string or the body: NUL bytes and invalid UTF-8 -> 400.
    "retorno.core.middleware.RequestSanityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "retorno.accounts.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "retorno.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "retorno.audit.middleware.AuditContextMiddleware",
    "retorno.core.errors.ErrorPagesMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "retorno.urls"
WSGI_APPLICATION = "retorno.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "retorno" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "retorno.core.context_processors.navigation",
                "retorno.core.context_processors.country",
            ],
        },
    },
]

# Which country pack (data/reference/<cc>/) this deployment runs: mx, gt, sv, hn.
RETORNO_COUNTRY = os.environ.get("RETORNO_COUNTRY", "mx")
# Each country's demo gets its own embedded database, so `RETORNO_COUNTRY=gt make run` never
# loads Guatemala's reference data into Mexico's.
_DEFAULT_SQLITE = VAR_DIR / ("retorno.sqlite3" if RETORNO_COUNTRY == "mx" else f"retorno-{RETORNO_COUNTRY}.sqlite3")

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_DEFAULT_SQLITE}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server and a manifest import write side by side.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameters let psycopg prepare the statements a connection repeats (every
    # registration runs the same dozen), so PostgreSQL stops parsing and planning them each time.
    # DB_SERVER_SIDE_BINDING=0 turns it off (e.g. behind PgBouncer in transaction mode).
    if os.environ.get("DB_SERVER_SIDE_BINDING", "1") == "1":
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"].setdefault("TEST", {})
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = os.environ["TEST_DATABASE_NAME"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account or address before the password is tried.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Login lockout (django-axes): per account; per address in retorno.accounts.lockout -------
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("RETORNO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("RETORNO_LOGIN_COOLOFF_HOURS", "0.5"))  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_CLIENT_IP_CALLABLE = "retorno.core.net.client_ip"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# axes.W006 asks to lock per address too: retorno.accounts.lockout does, with its own limit.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Many officers of a point share one address: a higher limit, so that one person's typos do not
# lock the whole desk out, while spraying passwords over many accounts still stops.
RETORNO_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("RETORNO_LOGIN_ADDRESS_FAILURE_LIMIT", "30"))

# --- Second factor (django-otp: TOTP with recovery codes) ------------------------------------
# Roles that must confirm a second factor after the password (comma-separated role codes).
RETORNO_MFA_REQUIRED_ROLES = env_list("RETORNO_MFA_REQUIRED_ROLES", "admin,supervisor,child_protection")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Retorno")
RETORNO_RECOVERY_CODES = 10

# --- Sessions: an idle timeout and an absolute lifetime ---------------------------------------
RETORNO_SESSION_IDLE_MINUTES = int(os.environ.get("RETORNO_SESSION_IDLE_MINUTES", "30"))
RETORNO_SESSION_MAX_HOURS = float(os.environ.get("RETORNO_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = RETORNO_SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- API tokens and rate limits ----------------------------------------------------------------
RETORNO_API_TOKEN_DAYS = int(os.environ.get("RETORNO_API_TOKEN_DAYS", "90"))
# Requests per minute and token (a token may carry its own limit, e.g. a bulk import client).
RETORNO_API_RATE_PER_MINUTE = int(os.environ.get("RETORNO_API_RATE_PER_MINUTE", "600"))
# Failed bearer tokens per minute and address before the address gets 429.
RETORNO_API_AUTH_FAILURES_PER_MINUTE = int(os.environ.get("RETORNO_API_AUTH_FAILURES_PER_MINUTE", "20"))

# Rate limits and lockouts count in the cache: one per process unless REDIS_URL names a shared one.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work (django-tasks with its database backend: works on SQLite and PostgreSQL) ---
TASKS = {
    "default": {
        "BACKEND": os.environ.get("RETORNO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Content-Security-Policy (django-csp) and Permissions-Policy -------------------------------
# No inline script or style anywhere: behaviour lives in static/retorno/retorno.js.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb", "xr-spatial-tracking",
    )
}

# Spanish is the default; English for the many returnees and officers who read it better.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "retorno" / "locale"]
FORMAT_MODULE_PATH = ["retorno.formats"]
def _pack_time_zone() -> str:
    """The country pack's `time_zone` (country.yaml), read before Django starts."""
    import yaml

    path = DATA_DIR / "reference" / RETORNO_COUNTRY / "country.yaml"
    try:
        return str((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("time_zone") or "")
    except (OSError, yaml.YAMLError):
        return ""


TIME_ZONE = os.environ.get("TIME_ZONE") or _pack_time_zone() or "America/Mexico_City"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "retorno" / "static"]
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# A failed form never goes to the debug page: 400/403/404/500 have their own templates (core).

# Uploaded manifests: refuse anything bigger before parsing it.
RETORNO_MAX_UPLOAD_BYTES = int(os.environ.get("RETORNO_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = RETORNO_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = RETORNO_MAX_UPLOAD_BYTES

# Assisted return between instances (manifests.transfers): this instance's name (the JWS kid),
# its Ed25519 signing key (a JWK file, created on first use) and the instances it trusts.
RETORNO_INSTANCE_ID = os.environ.get("RETORNO_INSTANCE_ID", f"retorno-{RETORNO_COUNTRY}")
RETORNO_SIGNING_KEY_FILE = os.environ.get("RETORNO_SIGNING_KEY_FILE", str(VAR_DIR / "signing_key.jwk"))
RETORNO_TRUSTED_SENDERS_FILE = os.environ.get(
    "RETORNO_TRUSTED_SENDERS_FILE", str(BASE_DIR / "data" / "transfers" / "trusted_senders.yaml")
)
# Public base URL printed in QR codes of constancias.
RETORNO_PUBLIC_URL = os.environ.get("RETORNO_PUBLIC_URL", "http://127.0.0.1:8000")

# The returnee's portal (retorno.portal): one-time sign-in codes and short sessions.
RETORNO_PORTAL_CODE_MINUTES = int(os.environ.get("RETORNO_PORTAL_CODE_MINUTES", "10"))
RETORNO_PORTAL_CODE_TRIES = int(os.environ.get("RETORNO_PORTAL_CODE_TRIES", "5"))
RETORNO_PORTAL_THROTTLE_MINUTES = int(os.environ.get("RETORNO_PORTAL_THROTTLE_MINUTES", "15"))
RETORNO_PORTAL_CODES_PER_IDENTIFIER = int(os.environ.get("RETORNO_PORTAL_CODES_PER_IDENTIFIER", "3"))
RETORNO_PORTAL_CODES_PER_ADDRESS = int(os.environ.get("RETORNO_PORTAL_CODES_PER_ADDRESS", "20"))
RETORNO_PORTAL_IDLE_MINUTES = int(os.environ.get("RETORNO_PORTAL_IDLE_MINUTES", "15"))
RETORNO_PORTAL_MAX_MINUTES = int(os.environ.get("RETORNO_PORTAL_MAX_MINUTES", "60"))
# The worker sends due follow-up messages this often (seconds; 0 = only `retorno send_followup_messages`).
RETORNO_OUTREACH_EVERY_SECONDS = int(os.environ.get("RETORNO_OUTREACH_EVERY_SECONDS", "900"))
# Message gateways (retorno.portal.gateways): console (kept in the outbox only), twilio, smtp.
RETORNO_SMS_GATEWAY = os.environ.get("RETORNO_SMS_GATEWAY", "console")
RETORNO_EMAIL_GATEWAY = os.environ.get("RETORNO_EMAIL_GATEWAY", "console")
RETORNO_TWILIO_API_BASE = os.environ.get("RETORNO_TWILIO_API_BASE", "https://api.twilio.com")
RETORNO_TWILIO_ACCOUNT_SID = os.environ.get("RETORNO_TWILIO_ACCOUNT_SID", "")
RETORNO_TWILIO_AUTH_TOKEN = os.environ.get("RETORNO_TWILIO_AUTH_TOKEN", "")
RETORNO_TWILIO_FROM = os.environ.get("RETORNO_TWILIO_FROM", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "retorno@localhost")

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_CLASS = "retorno.core.pagination.LimitOffset"
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
