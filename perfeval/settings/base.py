"""Base settings: every value comes from the environment.

DATABASE_URL   unset -> SQLite file under var/ (runs with no server); production uses PostgreSQL.
SECRET_KEY     required unless DEBUG is on (a development default is used then).
DEBUG          off unless set.
ALLOWED_HOSTS  comma-separated.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PERFEVAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG is off, so no default is used)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "perfeval.axes_app.AxesConfig",
    "perfeval.apps.PerfevalConfig",
    # Our apps, lowest layer first (each imports only apps listed before it; tests/test_layers.py):
    # the core, the domain apps (money; indicators and scoring), then the features.
    "departments",
    "budgets",
    "indicators",
    "flow",
    "overview",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "departments.middleware.AccessMiddleware",
    # Before anything reads the body (CSRF's check runs after every middleware's __call__).
    "perfeval.middleware.RequestBodyLimitMiddleware",
    "perfeval.middleware.NulFreeQueryMiddleware",
    "perfeval.middleware.PrivateNoStoreMiddleware",
    "perfeval.middleware.ServiceUnavailablePageMiddleware",
    "perfeval.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "perfeval.urls"

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
                "departments.context_processors.access",
                "departments.context_processors.display",
                "perfeval.context_processors.limits",
            ],
            "builtins": ["perfeval.templatetags.numbers"],
        },
    },
]

WSGI_APPLICATION = "perfeval.wsgi.application"
ASGI_APPLICATION = "perfeval.asgi.application"

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    # The embedded default: a SQLite file under var/, so the app runs with no server.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'perfeval.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The project's translations (locale/): the full-width colon after form labels ("意见：").
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap 5 from Debian's libjs-bootstrap5 (installed by the setup step): no CDN at run time.
    ("vendor/bootstrap", env_str("BOOTSTRAP_DIR", "/usr/share/javascript/bootstrap5")),
]
MEDIA_ROOT = VAR_DIR / "media"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "flow:home"
LOGOUT_REDIRECT_URL = "login"

# Widgets (inputs, textareas, selects) formatted in Python with the same HTML as Django's widget
# templates: a form page of a few hundred fields spent most of its CPU rendering one template
# per widget. Anything else falls back to the templates (perfeval/widgets.py).
FORM_RENDERER = "perfeval.widgets.PythonWidgetRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
# Idle timeout: a session ends after this long without a request; each request restarts the
# clock, the session being written at most every SESSION_REFRESH_SECONDS (perfeval.middleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 120) * 60
SESSION_REFRESH_SECONDS = 300
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Request bodies: anything declared over MAX_REQUEST_BODY_BYTES is answered with the app's own
# 413 page before it is read (perfeval.middleware); form fields together may hold 6 MB; an
# uploaded file is kept in memory up to 6 MB (the Excel importer refuses files over 5 MB and
# bounds what parsing one may cost, see perfeval/xlsx_guard.py).
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_MB", 7) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# Fields in one form post, set on purpose for the largest valid year: the 收支与项目 form sends
# at most 8 fields per project line (id, order, name, three amounts, usage, DELETE) × 2,000 lines
# (the Excel import's limit) + about 120 fixed fields = 16,120; 基本信息 4 per duty × 500 + 4 per
# organ × 200 = 2,800; the indicator table 12 per indicator × 300 = 3,600. Above this a post is
# refused with the app's 400 page (templates/400.html), never one a valid year can reach.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Several app processes must share the cache (rendered PDFs, login throttling): Redis when
# REDIS_URL is set, else the database; the in-process cache is only for a single process.
REDIS_URL = env_str("REDIS_URL")
CACHE_BACKEND = env_str("CACHE_BACKEND", "redis" if REDIS_URL else "locmem")
if CACHE_BACKEND == "redis":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif CACHE_BACKEND == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "perfeval_cache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "perfeval"}}

# Background tasks (batch report generation): Celery with this broker when set (e.g.
# redis://127.0.0.1:6379/0); without it the same tasks run in a thread of the app process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or None
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Bound each worker child: recycled after this much resident memory (KiB) or this many tasks.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_KB", 1_000_000)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS", 200)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 120)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 90)

# Report rendering: a PDF render is stopped after this many seconds; rendered PDFs are cached
# (keyed by their content) this long.
# The app's own limit must end a render before gunicorn kills the worker (GUNICORN_TIMEOUT, read
# by perfeval/gunicorn.conf.py too), so the user gets the app's 503 page, not a killed worker's
# 500: a system check (perfeval.checks) and gunicorn's start-up both refuse PDF ≥ worker timeout.
GUNICORN_TIMEOUT = env_int("GUNICORN_TIMEOUT", 60)
REPORT_PDF_TIMEOUT = env_int("REPORT_PDF_TIMEOUT", 45)
REPORT_PDF_CACHE_SECONDS = env_int("REPORT_PDF_CACHE_SECONDS", 7 * 24 * 3600)
# A PDF not yet rendered is rendered in the background (the pre-render's thread or Celery): the
# download waits this many seconds for it (shorter than the worker timeout), then answers a page
# that reloads itself until the PDF is ready. Such a background render may take
# REPORT_PDF_BACKGROUND_TIMEOUT seconds (a year of 2,000 projects takes tens of seconds).
REPORT_PDF_WAIT = env_int("REPORT_PDF_WAIT", 20)
REPORT_PDF_BACKGROUND_TIMEOUT = env_int("REPORT_PDF_BACKGROUND_TIMEOUT", 300)

# Login throttling (django-axes): lock a username *from one IP address* after repeated
# failures, so one office behind a NAT is not locked out by a single user's typos.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# Behind N reverse proxies (0, 1 or 2) set AXES_PROXY_COUNT=N: the client is then the N-th
# X-Forwarded-For entry from the right, the ones the trusted proxies appended; entries to their
# left are the client's own and ignored (perfeval/client_ip.py has the rule).
TRUSTED_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
if not 0 <= TRUSTED_PROXY_COUNT <= 5:
    raise ImproperlyConfigured(f"AXES_PROXY_COUNT must be the number of proxies (0-5), got {TRUSTED_PROXY_COUNT}")
AXES_CLIENT_IP_CALLABLE = "perfeval.client_ip.client_ip"

# Content-Security-Policy: everything from the app itself; no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# A stale token answers the app's own page, in its layout, with a way back (the input is kept).
CSRF_FAILURE_VIEW = "perfeval.views.csrf_failure"
