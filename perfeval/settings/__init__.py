"""Settings: ``base`` holds everything, read from the environment; ``dev``, ``test`` and
``production`` are thin variants. ``manage.py`` defaults to ``dev``; wsgi/asgi to ``production``."""
