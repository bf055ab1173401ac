"""Small request/response guards that apply to every view."""

from __future__ import annotations

import time

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
            # No "Connection: close" here: WSGI forbids hop-by-hop headers; the server deals
            # with the unread body (Django's runserver and gunicorn's sync workers close).
            return HttpResponse(html, status=413)
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


SESSION_REFRESHED = "_perfeval_refreshed"


def session_mark_fresh(sender, request, user, **kwargs) -> None:
    """On login: the session was just saved with a full idle period (``user_logged_in``)."""
    request.session[SESSION_REFRESHED] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """An idle timeout: a session lasts ``SESSION_COOKIE_AGE`` after the user's last request.

    Each request of a signed-in user restarts the clock, but the session (and its expiry) is
    written at most once per ``SESSION_REFRESH_SECONDS`` rather than on every request as
    ``SESSION_SAVE_EVERY_REQUEST`` would: no database write per page, and no race between the
    parallel requests of one page (its images) writing the same session. The timeout is thus
    between ``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and ``SESSION_COOKIE_AGE``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SESSION_REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session[SESSION_REFRESHED] = now  # modified: saved with a new expiry and cookie
        return self.get_response(request)


class ServiceUnavailablePageMiddleware:
    """A view's short plain-text 503 (e.g. "报告生成超时，请稍后重试。" when a PDF render hit
    ``REPORT_PDF_TIMEOUT``) is shown in the app's layout (templates/503.html) to a browser; a
    script asking for JSON keeps the plain answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 503
            and response.get("Content-Type", "").startswith("text/plain")
            and not getattr(response, "streaming", False)
            and "application/json" not in request.headers.get("Accept", "")
        ):
            message = response.content.decode("utf-8", errors="replace")
            page = HttpResponse(render_to_string("503.html", {"message": message}, request=request), status=503)
            for header in ("Retry-After", "Cache-Control"):
                if header in response:
                    page[header] = response[header]
            return page
        return response
