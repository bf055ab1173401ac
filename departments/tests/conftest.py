"""Fixtures of the overview tests."""

from __future__ import annotations

import pytest

from departments import summaries
from departments.tests.builders import build_units


@pytest.fixture
def units(db):
    return build_units


@pytest.fixture(autouse=True)
def _no_pending_summary_refreshes():
    """Test transactions never commit, so ids scheduled by an earlier test would still be
    pending; start each test with none (refreshing them would be harmless, but it would blur
    what a test counts)."""
    summaries._pending.ids = set()
    yield
    summaries._pending.ids = set()
