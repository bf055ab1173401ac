"""Production settings, security headers and login throttling."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env_extra: dict[str, str], drop: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("DJANGO_")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "perfeval.settings.production",
    "SECRET_KEY": "a-long-random-production-like-secret-key-for-the-check-0123456789abcdef",
    "ALLOWED_HOSTS": "perfeval.example.gov.cn",
    "DEBUG": "0",
}


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_manage("check", env_extra=env, drop=("SECRET_KEY",))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = run_manage("check", env_extra={**PRODUCTION, "DEBUG": "1"})
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


@pytest.mark.django_db
def test_security_headers_and_csp(client):
    response = client.get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_login_page_has_csrf_token(client):
    assert 'name="csrfmiddlewaretoken"' in client.get(reverse("login")).content.decode()


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    yield


def _attempt(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_login_throttled_by_username_and_ip(client, axes_on, officer_a, officer_b):
    from conftest import PASSWORD

    for _ in range(3):
        _attempt(client, "officer_a", "wrong", "10.0.0.1")
    locked = _attempt(client, "officer_a", PASSWORD, "10.0.0.1")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # Same office NAT, another user: not locked.
    other = _attempt(client, "officer_b", PASSWORD, "10.0.0.1")
    assert other.status_code == 302
    client.logout()
    # Same user from another address: not locked either.
    elsewhere = _attempt(client, "officer_a", PASSWORD, "10.0.0.2")
    assert elsewhere.status_code == 302


def test_gunicorn_config_bounds_workers():
    namespace: dict = {}
    exec(compile((ROOT / "perfeval" / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)  # noqa: S102
    assert namespace["timeout"] <= 120
    assert namespace["max_requests"] > 0
    assert namespace["WORKER_MEMORY_MB"] > 0
    assert callable(namespace["post_fork"])


def test_favicon_is_served_by_the_app(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
