"""`make run PORT=8123`: load_demo prints the login URL on that port (--port or PORT)."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_load_demo_prints_the_login_url_on_the_given_port(capsys, monkeypatch):
    call_command("load_demo", "--no-county", port=8123)
    assert "http://127.0.0.1:8123/accounts/login/" in capsys.readouterr().out
    monkeypatch.setenv("PORT", "8124")
    call_command("load_demo", "--no-county")
    assert "http://127.0.0.1:8124/accounts/login/" in capsys.readouterr().out
    monkeypatch.delenv("PORT")
    call_command("load_demo", "--no-county")
    assert "http://127.0.0.1:8000/accounts/login/" in capsys.readouterr().out
