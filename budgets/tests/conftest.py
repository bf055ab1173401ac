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


def _fmt(value) -> str:
    return "" if value is None else f"{value:.2f}"


@pytest.fixture
def figures_post():
    """The POST a browser sends from the 收支与项目 page with nothing changed; tweak and send."""
    from budgets.models import IncomeSource, SpendingKind, ThreePublicKind

    def _data(unit_year) -> dict[str, str]:
        unit_year.refresh_from_db()
        data = {"version": str(unit_year.version)}
        income = {line.source: line for line in unit_year.income_lines.all()}
        spending = {line.kind: line for line in unit_year.spending_lines.all()}
        three_public = {line.kind: line for line in unit_year.three_public_lines.all()}
        for prefix, lines, choices in (("income", income, IncomeSource), ("spending", spending, SpendingKind)):
            for choice in choices:
                for name in ("initial_budget", "full_year_budget", "actual", "previous_year"):
                    data[f"{prefix}-{choice.value}-{name}"] = _fmt(getattr(lines.get(choice.value), name, None))
        for kind in ThreePublicKind:
            for name in ("budget", "actual", "previous_year"):
                data[f"tp-{kind.value}-{name}"] = _fmt(getattr(three_public.get(kind.value), name, None))
        projects = list(unit_year.project_lines.order_by("order", "id"))
        data["projects-TOTAL_FORMS"] = str(len(projects))
        data["projects-INITIAL_FORMS"] = str(len(projects))
        for i, p in enumerate(projects):
            data |= {
                f"projects-{i}-id": str(p.pk),
                f"projects-{i}-order": str(p.order),
                f"projects-{i}-name": p.name,
                f"projects-{i}-kind": p.kind,
                f"projects-{i}-initial_budget": _fmt(p.initial_budget),
                f"projects-{i}-full_year_budget": _fmt(p.full_year_budget),
                f"projects-{i}-actual": _fmt(p.actual),
                f"projects-{i}-usage": p.usage,
            }
        return data

    return _data


@pytest.fixture
def officer_client(client, demo_year):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="officer"))
    return client
