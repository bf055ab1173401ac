"""Fixtures for the report tests. PDF renders cost about a second each: render once per
module (module-scoped, inside a rolled-back transaction) wherever possible."""

from __future__ import annotations

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.db import transaction

from departments.demo import demo_load
from departments.models import UnitYear
from indicators.models import Indicator


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(content)).pages)


def squash(text: str) -> str:
    """Text without whitespace: a PDF breaks lines wherever the layout does."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def demo_pdf(django_db_setup, django_db_blocker) -> bytes:
    """The demo report's PDF, rendered once for the module (the data is rolled back after)."""
    from reports.selectors import report_queryset
    from reports.services import report_render_pdf

    with django_db_blocker.unblock(), transaction.atomic():
        unit_year = demo_load().unit_year
        content = report_render_pdf(unit_year=report_queryset().get(pk=unit_year.pk), use_cache=False)
        transaction.set_rollback(True)
    return content


def score_all(unit_year: UnitYear) -> None:
    """Give the demo's 19 indicators weights adding up to 90 and scores, as the group would."""
    indicators = list(unit_year.indicators.order_by("group", "order"))
    weights = [D("5")] * 18 + [D("0")]
    weights[-1] = D("90") - sum(weights[:-1])
    for indicator, weight in zip(indicators, weights, strict=True):
        indicator.weight = weight
        indicator.score = weight if indicator.name != "人大资讯" else weight - D("1.5")
        indicator.actual_text = "已完成"
        if indicator.name == "人大资讯":
            indicator.actual_text = "18篇"
            indicator.deviation_reason = "部分资讯未按期刊发，下年度加强统筹。"
    Indicator.objects.bulk_update(indicators, ["weight", "score", "actual_text", "deviation_reason"])
