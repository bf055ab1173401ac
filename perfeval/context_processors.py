"""Values every page's scripts need from the settings."""

from __future__ import annotations

from django.conf import settings


def limits(request) -> dict[str, int]:
    """The request-size limits, for the client-side check (static/js/size-guard.js) that stops a
    form before sending what the server would refuse, keeping what the user typed."""
    return {
        "body_limit_bytes": settings.MAX_REQUEST_BODY_BYTES,
        "fields_limit_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    }
