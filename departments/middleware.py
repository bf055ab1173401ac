"""``request.access``: the access policy of the request's user (``departments.access``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .access import Access


class AccessMiddleware:
    """Attach the user's ``Access`` to the request and to the request's user instance, so the
    view, the services it calls and the templates share one object (and one membership query,
    made only when a question needs it). Every page reads the user anyway (the login check and
    the navigation), so attaching it up front costs nothing more."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.access = Access.attach(request.user)  # type: ignore[attr-defined]
        return self.get_response(request)
