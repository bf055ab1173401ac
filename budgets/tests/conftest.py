"""Fixtures for the data-entry tests: a logged-in client per persona and the year's URLs."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def client_for(personas):
    def _client(name: str) -> Client:
        client = Client()
        user = personas[name]
        if user is not None:
            client.force_login(user)
        return client

    return _client
