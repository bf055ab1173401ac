"""The client's address as login throttling sees it (django-axes' ``AXES_CLIENT_IP_CALLABLE``).

The trusted-proxy rule: with ``TRUSTED_PROXY_COUNT`` = N reverse proxies in front of the app,
each one *appends* the address it received the request from to ``X-Forwarded-For`` (nginx's
``$proxy_add_x_forwarded_for``). Only the last N entries are written by proxies we trust;
everything to their left was sent by the client and can be anything. So the client is the
N-th entry from the right:

    no proxy   REMOTE_ADDR = client                      -> REMOTE_ADDR, the header is ignored
    1 proxy    X-Forwarded-For: <spoofed…>, client       -> the last entry
    2 proxies  X-Forwarded-For: <spoofed…>, client, p1   -> the second from the right

django-ipware counts proxies *inside* the header (``proxy_count`` = entries right of the
client), so N proxies in front are ``proxy_count = N - 1`` over ``X-Forwarded-For`` alone, not
strict (spoofed entries to the left may be any number, even malformed). ``REMOTE_ADDR`` is left
out of ipware's header list on purpose: its modern engine prefers a public address, so a proxy
with a public address would otherwise win over every intranet client. A request without the
header (one that did not come through the proxies) falls back to ``REMOTE_ADDR``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware.ip import get_client_ip


def client_ip(request: HttpRequest) -> str | None:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR") or None
    if proxies <= 0:
        return remote
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=("HTTP_X_FORWARDED_FOR",),
        strict=False,
    )
    return address or remote
