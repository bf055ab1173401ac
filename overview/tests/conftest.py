"""Fixtures of the overview tests."""

from __future__ import annotations

import pytest

from overview import summaries
from overview.tests.builders import build_units


@pytest.fixture
def units(db):
    return build_units


@pytest.fixture(autouse=True)
def no_pending_summary_refreshes():
    """Test transactions never commit, so ids scheduled by an earlier test would still be
    pending; start each test with none (refreshing them would be harmless, but it would blur
    what a test counts)."""
    summaries.discard_pending()
    yield
    summaries.discard_pending()
