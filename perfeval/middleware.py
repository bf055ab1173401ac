"""Small request/response guards that apply to every view."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.loader import render_to_string


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is over ``MAX_REQUEST_BODY_BYTES`` before anything reads
    it (CSRF, forms, uploads), with the app's own Chinese page (413) rather than receiving the
    whole body first or Django's English "Bad Request (400)". nginx's ``client_max_body_size``
    should refuse it even earlier; this holds when the app is reached some other way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BODY_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            html = render_to_string("413.html", {"limit_mb": limit // (1024 * 1024)}, request=request)
            response = HttpResponse(html, status=413)
            response["Connection"] = "close"  # the unread body must not be taken as the next request
            return response
        return self.get_response(request)


class NulFreeQueryMiddleware:
    """Drop NUL characters from query parameters: PostgreSQL refuses them in a text value, so a
    search for ``?q=%00abc`` would answer 500. Nobody types a NUL; the rest of the query stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user (pages, PDFs,
    spreadsheets) unless a view set its own, so no shared or browser cache keeps personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
