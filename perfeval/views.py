"""Project-wide views: the app's own page for a refused CSRF check."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form was sent with a stale token (the user logged in again in
    another tab, or the page stood open past the session). Nothing was saved; the page's own
    script kept the input as a local draft, restored when the user goes back."""
    referer = request.headers.get("Referer", "")
    back = reverse("flow:home")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
    return render(request, "403_csrf.html", {"back": back}, status=403)
