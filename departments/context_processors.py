"""Templates ask the access policy too: ``{% if access.see_overview %}``."""

from __future__ import annotations

from django.http import HttpRequest


def access(request: HttpRequest) -> dict:
    return {"access": getattr(request, "access", None)}


def display(request: HttpRequest) -> dict:
    """The user's display settings, from the session (no query): ``large_text``."""
    session = getattr(request, "session", None)
    return {"large_text": bool(session.get("large_text")) if session is not None else False}
