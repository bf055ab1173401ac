"""Local development: DEBUG on unless the environment says otherwise."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403

# runserver serves static files from the finders via WhiteNoise; nothing needs collecting.
STATIC_ROOT = None
WHITENOISE_AUTOREFRESH = True
