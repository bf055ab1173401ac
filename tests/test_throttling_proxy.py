"""Login throttling sees the real client behind 0, 1 or 2 reverse proxies.

Headers are shaped as nginx forwards them (``proxy_set_header X-Forwarded-For
$proxy_add_x_forwarded_for``): whatever X-Forwarded-For the client sent, then the address the
proxy received the request from. REMOTE_ADDR is the proxy nearest to the app.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

NGINX = "127.0.0.1"  # the proxy on the app's machine
OUTER = "10.9.0.1"  # a second proxy (e.g. the intranet's gateway) in front of nginx
CLIENT = "198.51.100.9"  # the attacker's real address
VICTIM = "203.0.113.7"  # another user's real address


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3

    def behind(proxies: int):
        settings.TRUSTED_PROXY_COUNT = proxies

    return behind


def via_nginx(client_ip: str, sent_xff: str | None = None) -> dict:
    """What the app receives when ``client_ip`` talks to nginx directly."""
    forwarded = f"{sent_xff}, {client_ip}" if sent_xff else client_ip
    return {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": forwarded}


def via_two_proxies(client_ip: str, sent_xff: str | None = None) -> dict:
    """client → OUTER (appends the client) → nginx (appends OUTER) → app."""
    forwarded = f"{sent_xff}, {client_ip}" if sent_xff else client_ip
    return {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": f"{forwarded}, {OUTER}"}


def login(client, username: str, password: str, meta: dict):
    client.logout()
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def recorded_addresses() -> set[str]:
    return set(AccessAttempt.objects.values_list("ip_address", flat=True))


def test_normal_client_behind_one_proxy_is_locked_by_its_own_address(client, throttled, officer_a):
    throttled(1)
    statuses = [login(client, "officer_a", "wrong", via_nginx(CLIENT)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # the third failure locks
    assert recorded_addresses() == {CLIENT}  # the client's address, never empty, never nginx's
    locked = login(client, "officer_a", PASSWORD, via_nginx(CLIENT))
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # The same user from another real address still gets in: one bucket per user and address.
    assert login(client, "officer_a", PASSWORD, via_nginx(VICTIM)).status_code == 302


def test_rotating_spoofed_forwarded_entries_does_not_dodge_the_lock(client, throttled, officer_a):
    throttled(1)
    for i in range(12):
        response = login(client, "officer_a", "wrong", via_nginx(CLIENT, sent_xff=f"10.1.0.{i}"))
        assert response.status_code in (200, 429)
    assert recorded_addresses() == {CLIENT}
    # The 13th try, with the right password and yet another spoofed entry, is still refused.
    final = login(client, "officer_a", PASSWORD, via_nginx(CLIENT, sent_xff="10.1.0.200, 10.1.0.201"))
    assert final.status_code == 429


def test_spoofing_the_victims_address_does_not_lock_the_victim_out(client, throttled, officer_a):
    throttled(1)
    for _ in range(5):
        login(client, "officer_a", "wrong", via_nginx(CLIENT, sent_xff=VICTIM))
    assert login(client, "officer_a", PASSWORD, via_nginx(CLIENT)).status_code == 429
    # The real user, at the address the attacker claimed, is not locked out.
    assert login(client, "officer_a", PASSWORD, via_nginx(VICTIM)).status_code == 302


def test_malformed_spoofed_entries_are_ignored(client, throttled, officer_a):
    throttled(1)
    for junk in ("garbage", "unknown, ::zz", ", , ", "999.1.1.1"):
        login(client, "officer_a", "wrong", via_nginx(CLIENT, sent_xff=junk))
    assert recorded_addresses() == {CLIENT}
    assert login(client, "officer_a", PASSWORD, via_nginx(CLIENT)).status_code == 429


def test_two_proxies(client, throttled, officer_a):
    throttled(2)
    for i in range(4):
        login(client, "officer_a", "wrong", via_two_proxies(CLIENT, sent_xff=f"10.1.0.{i}"))
    assert recorded_addresses() == {CLIENT}  # neither a spoofed entry nor the outer proxy
    assert login(client, "officer_a", PASSWORD, via_two_proxies(CLIENT)).status_code == 429
    assert login(client, "officer_a", PASSWORD, via_two_proxies(VICTIM, sent_xff=CLIENT)).status_code == 302


def test_without_a_proxy_the_header_is_ignored(client, throttled, officer_a):
    throttled(0)
    for i in range(4):
        login(client, "officer_a", "wrong", {"REMOTE_ADDR": CLIENT, "HTTP_X_FORWARDED_FOR": f"10.1.0.{i}"})
    assert recorded_addresses() == {CLIENT}
    locked = login(client, "officer_a", PASSWORD, {"REMOTE_ADDR": CLIENT, "HTTP_X_FORWARDED_FOR": VICTIM})
    assert locked.status_code == 429
    assert login(client, "officer_a", PASSWORD, {"REMOTE_ADDR": VICTIM}).status_code == 302


def test_a_locked_address_does_not_lock_other_users(client, throttled, officer_a, officer_b):
    throttled(1)
    for _ in range(3):
        login(client, "officer_a", "wrong", via_nginx(CLIENT))
    assert login(client, "officer_a", PASSWORD, via_nginx(CLIENT)).status_code == 429
    # One office behind one NAT address: a colleague is not locked out by another's typos.
    assert login(client, "officer_b", PASSWORD, via_nginx(CLIENT)).status_code == 302
