"""Pledgewatch settings: one file, configured from environment variables.

A fresh clone works with no variables at all (SQLite, tasks run in-process, email to the console
when DEBUG is on). Production sets SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; a missing secret
fails loudly with a hint. Every variable is documented in docs/configuration.md (a test checks).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """An empty variable counts as unset (VAR= in a shell or an .env file)."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use 1 or 0.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, *, dev_default: str | None = None) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd credentials)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    if value := os.environ.get(name):
        return value
    if dev_default is not None:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} must be set when DEBUG is off. Generate one with: "
        f"python -c 'import secrets; print(secrets.token_urlsafe(50))' "
        f"and set {name} (or {name}_FILE) in the environment."
    )


DEBUG = env_bool("DEBUG", False)
# pytest sets PLEDGEWATCH_TESTING (pyproject.toml) so the suite runs without production secrets.
TESTING = env_bool("PLEDGEWATCH_TESTING", False)
_dev = DEBUG or TESTING

SECRET_KEY = env_secret(
    "SECRET_KEY", dev_default="insecure-dev-key-only-for-debug" if _dev else None
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if _dev else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DEBUG is off: the host names the site is served under, "
        "comma-separated (e.g. ALLOWED_HOSTS=pledgewatch.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "pledgewatch.accounts",
    "pledgewatch.core",
    "pledgewatch.chapters",
    "pledgewatch.candidates",
    "pledgewatch.finance",
    "pledgewatch.campaigns",
    "pledgewatch.endorsements",
    "pledgewatch.forums",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pledgewatch.urls"
WSGI_APPLICATION = "pledgewatch.wsgi.application"

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
                "pledgewatch.chapters.context_processors.current_chapter",
            ],
        },
    },
]

if not _dev and not env_str("DATABASE_URL") and not env_bool("ALLOW_SQLITE"):
    raise ImproperlyConfigured(
        "DATABASE_URL must be set when DEBUG is off, e.g. "
        "DATABASE_URL=postgres://pledgewatch:PASSWORD@127.0.0.1:5432/pledgewatch "
        "(or set ALLOW_SQLITE=1 to run a single-chapter install on the SQLite file)."
    )
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the page that polls an import's progress read while the import writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24)

# Login throttling (django-axes): lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "pledgewatch.accounts.forms.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy the peer address is the proxy's: read the client's from
# X-Forwarded-For, trusting exactly PROXY_COUNT proxies (else one attacker locks out everyone).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 1) if BEHIND_PROXY else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if BEHIND_PROXY else ("REMOTE_ADDR",)
)
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not _dev
CSRF_COOKIE_SECURE = not _dev
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if _dev
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development and tests WhiteNoise serves straight from static/; production runs collectstatic.
WHITENOISE_USE_FINDERS = _dev
WHITENOISE_AUTOREFRESH = _dev
# Uploaded files hold members' private details: they live outside anything served over HTTP
# and are deleted once their import has finished.
MEDIA_ROOT = Path(env_str("PRIVATE_UPLOAD_DIR", str(BASE_DIR / "var" / "uploads")))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
ROSTER_MAX_UPLOAD_MB = env_int("ROSTER_MAX_UPLOAD_MB", 40)
# Campaign-finance uploads (.fec filings, zips of them, spreadsheets); a presidential
# campaign's quarterly .fec runs to hundreds of megabytes, a zip of it to a tenth of that.
FINANCE_MAX_UPLOAD_MB = env_int("FINANCE_MAX_UPLOAD_MB", 200)

# The FEC's API (api.open.fec.gov), for fetching a committee's itemized receipts. Without a key
# the "fetch from the FEC API" page explains how to get one; uploads work regardless.
OPENFEC_API_KEY = env_secret("OPENFEC_API_KEY", dev_default="")
OPENFEC_BASE_URL = env_str("OPENFEC_BASE_URL", "https://api.open.fec.gov/v1").rstrip("/")

# Background work: in-process by default; "db" uses django-tasks-db with `manage.py db_worker`.
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "db": "django_tasks_db.DatabaseBackend",
}
_task_backend = env_str("TASKS_BACKEND", "immediate")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={_task_backend!r}: use one of {sorted(_TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend], "QUEUES": ["default"]}}

# Email: the console in development, SMTP otherwise (Django 6.1's MAILERS setting).
_email_backend = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_email_options: dict = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_secret("EMAIL_HOST_PASSWORD", dev_default=""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pledgewatch <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default handlers would print every line twice next to ours.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
