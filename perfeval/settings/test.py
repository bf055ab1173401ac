"""Test settings: fast hashing, in-memory email, DEBUG off as in production."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "0")

from .base import *  # noqa: E402,F403

ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders in tests (nothing is collected).
STATIC_ROOT = None
WHITENOISE_AUTOREFRESH = True
# django-axes needs the request in authenticate(); the test client's login() has none.
# The throttling test turns it back on.
AXES_ENABLED = False
# Reports are not pre-rendered after each change (reports/tests/test_prerender.py turns it on,
# synchronously), and the font subsets are built when a test first needs them.
REPORTS_PRERENDER = "off"
REPORTS_WARM_FONTS = False
