"""Celery application. Used only when CELERY_BROKER_URL is set; otherwise the same task
functions run in a background thread of the app process (see reports/batch.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfeval.settings.production")

app = Celery("perfeval")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
