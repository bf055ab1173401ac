"""Templates ask the access policy too: ``{% if access.see_overview %}``."""

from __future__ import annotations

from django.http import HttpRequest


def access(request: HttpRequest) -> dict:
    return {"access": getattr(request, "access", None)}
