"""Fixtures of the overview tests."""

from __future__ import annotations

import pytest

from departments.tests.builders import build_units


@pytest.fixture
def units(db):
    return build_units
