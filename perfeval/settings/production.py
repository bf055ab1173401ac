"""Production: no defaults for secrets, HTTPS-only cookies, hashed static files via WhiteNoise."""

import os

from django.core.exceptions import ImproperlyConfigured

if os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
    raise ImproperlyConfigured("DEBUG must be off in production settings.")
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

from .base import *  # noqa: E402,F403
from .env import env_bool, env_int  # noqa: E402

DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Sessions in the database, read through the shared cache: valid on every app process.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
if CACHE_BACKEND == "locmem":  # noqa: F405
    # A per-process cache is wrong with several gunicorn workers: fall back to the database.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "perfeval_cache"}}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
