"""The overview's rows are written in Python (``overview.rows``): the same HTML as the template
loop and ``cell`` filter they replace — both kept here, rendered over rows of every kind and
compared — with user text escaped."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django import template
from django.template import Context, Engine
from django.test.html import parse_html

from departments.models import Unit, UnitYear, YearStatus
from overview.models import YearSummary
from overview.rows import overview_rows_html
from overview.selectors import COLUMNS, summaries_with_units, summary_rows
from perfeval import formatting

register = template.Library()


@dataclass(frozen=True)
class Cell:
    """A cell as the template loop read it (overview.selectors before the rows were Python)."""

    key: str
    value: object
    kind: str


@dataclass(frozen=True)
class OverviewRow:
    summary: YearSummary
    cells: list[Cell]

    @property
    def unit_year(self) -> UnitYear:
        return self.summary.unit_year


def overview_rows(summaries) -> list[OverviewRow]:
    return [OverviewRow(s, [Cell(c.key, c.value(s), c.kind) for c in COLUMNS]) for s in summaries]


@register.filter
def cell(item) -> str:
    """The ``cell`` filter of overview_tags before the rows were written in Python."""
    value, kind = item.value, item.kind
    if value is None or value == "":
        return formatting.DASH
    if kind == "money":
        return formatting.money_or(value, formatting.DASH)
    if kind == "score":
        return formatting.score_or(value, formatting.DASH)
    if kind == "percent":
        return formatting.percent_or(value, formatting.DASH)
    return str(value)


# The loop of templates/overview/overview.html before the rows were written in Python.
TEMPLATE_ROWS = """{% load old_cells %}{% for row in rows %}
    <tr data-testid="overview-row">
      {% for item in row.cells %}{% if item.key == 'name' %}<td><a href="{% url 'overview:unit' row.unit_year.unit.code %}" data-testid="unit-link">{{ item|cell }}</a></td>{% elif item.key == 'status' %}<td><span class="badge status-{{ row.summary.status }}">{{ item|cell }}</span></td>{% else %}<td{% if item.kind != 'text' %} class="num"{% endif %}>{{ item|cell }}</td>{% endif %}{% endfor %}
    </tr>
  {% endfor %}"""  # noqa: E501 - the template as it was, line for line


def _summary(code, name, *, parent=None, region="", status=YearStatus.DRAFT, **values):
    unit = Unit(code=code, name=name, region=region, parent=parent)
    uy = UnitYear(unit=unit, year=2024, status=status)
    return YearSummary(unit_year=uy, year=2024, status=status, **values)


SUMMARIES = [
    _summary(
        "U-01",
        "人大办公室",
        parent=Unit(code="P1", name="主管局<1>"),
        region="益阳市",
        status=YearStatus.FINALISED,
        total_score=Decimal("97.00"),
        grade="优",
        execution_rate=Decimal("98.5"),
        three_public_change=Decimal("-1.20"),
        three_public_change_percent=Decimal("-12.5"),
        findings=2,
        projects_evaluated=3,
        projects_average=Decimal("88.25"),
    ),
    _summary("U_02", '<script>"局"</script> & 所', status=YearStatus.EVALUATING, three_public_change=Decimal("0")),
    _summary("u3", "教育局", status=YearStatus.SUBMITTED, findings=0),
]


@pytest.mark.parametrize("summaries", [SUMMARIES, SUMMARIES[:1], []], ids=["all kinds", "one", "none"])
def test_overview_rows_are_the_templates(summaries):
    engine = Engine(libraries={"old_cells": __name__})
    expected = engine.from_string(TEMPLATE_ROWS).render(Context({"rows": overview_rows(summaries)}))
    written = overview_rows_html(summaries)
    assert parse_html(written) == parse_html(expected)
    if summaries is SUMMARIES:
        assert "&lt;script&gt;&quot;局&quot;&lt;/script&gt; &amp; 所" in written and "<script>" not in written
        assert "<td>主管局&lt;1&gt;</td>" in written
        assert '<td class="num">-1.20</td><td class="num">-12.50%</td>' in written
        assert '<td class="num">0.00</td>' in written  # no change is 0.00, not —


@pytest.mark.django_db
def test_the_page_reads_values_and_writes_the_rows_the_models_write(units):
    """The overview page reads its rows as values (``summary_rows``): the same HTML as the
    summaries read as models, a unit with a parent bureau and one without, every status."""
    build = units(6)
    Unit.objects.filter(pk=build[0].unit_id).update(parent=None, name='无上级<"单位">')
    keys = list(summaries_with_units().order_by("-year", "unit_year__unit__code").values_list("pk", flat=True))
    models = {s.pk: s for s in summaries_with_units().filter(pk__in=keys)}
    rows = summary_rows(keys)
    assert sorted(r.pk for r in rows) == sorted(keys)
    in_order = {r.pk: r for r in rows}
    written = overview_rows_html([in_order[k] for k in keys])
    assert written == overview_rows_html([models[k] for k in keys])
    assert "无上级&lt;&quot;单位&quot;&gt;" in written and "<td>主管局1</td>" in written
