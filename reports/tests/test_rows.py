"""The leadership page's rows are written in Python (``reports.rows``): the same HTML as the
template loop they replace — rendered here both ways and compared — with user text escaped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from departments.access import Access
from departments.models import Unit, UnitYear, YearStatus
from overview.models import YearSummary
from overview.tests.builders import build_units
from reports.rows import leadership_rows_html
from reports.selectors import SummaryRow, leadership_rows

# The loop of templates/reports/index.html before the rows were written in Python.
TEMPLATE_ROWS = """{% for row in rows %}{% with uy=row.unit_year %}
    <tr>
      <td><a href="{% url 'reports:report' uy.unit.code uy.year %}">{{ uy.unit.name }}</a></td>
      <td>{{ uy.year }}年度</td>
      <td><span class="badge status-{{ uy.status }}">{{ uy.get_status_display }}</span></td>
      <td class="num">{% if row.total is not None %}{{ row.total|points }}{% else %}—{% endif %}</td>
      <td>{{ row.grade|default:"—" }}</td>
      <td class="num">{{ row.execution_rate|percent_dash }}</td>
      <td class="text-nowrap">
        <a class="btn btn-sm btn-primary" href="{% url 'reports:report_pdf' uy.unit.code uy.year %}">PDF</a>
        <a class="btn btn-sm btn-outline-primary" href="{% url 'reports:report_docx' uy.unit.code uy.year %}">Word</a>
        <a class="btn btn-sm btn-outline-primary" href="{% url 'reports:report_xlsx' uy.unit.code uy.year %}">Excel</a>
      </td>
    </tr>
  {% endwith %}{% endfor %}"""


def _row(code, name, year, status, *, total=None, grade="", rate=None, summary=True):
    uy = UnitYear(unit=Unit(code=code, name=name), year=year, status=status)
    found = (
        YearSummary(unit_year=uy, year=year, total_score=total, grade=grade, execution_rate=rate) if summary else None
    )
    return SummaryRow(unit_year=uy, summary=found)


ROWS = [
    _row("U-01", "人大办公室", 2024, YearStatus.FINALISED, total=Decimal("97.00"), grade="优", rate=Decimal("98.5")),
    _row("U_02", '<b>"局"</b> & 所', 2023, YearStatus.EVALUATING, total=Decimal("0"), grade="差", rate=Decimal("0")),
    _row("u3", "教育局", 2022, YearStatus.DRAFT),
    _row("U4", "财政局", 2021, YearStatus.SUBMITTED, summary=False),
    _row("U5", "卫健委", 2020, YearStatus.FINALISED, total=Decimal("88.50"), grade="良", rate=Decimal("100.00")),
]


@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], []], ids=["all kinds", "one", "none"])
def test_leadership_rows_are_the_templates(rows):
    expected = Template("{% load report_tags %}" + TEMPLATE_ROWS).render(Context({"rows": rows}))
    written = leadership_rows_html(rows)
    assert parse_html(written) == parse_html(expected)
    if rows is ROWS:
        assert "&lt;b&gt;&quot;局&quot;&lt;/b&gt; &amp; 所" in written and "<b>" not in written
        assert '<td class="num">97</td>' in written and '<td class="num">88.5</td>' in written
        assert '<td class="num">98.50%</td>' in written
        assert written.count('<td class="num">—</td>') == 4  # no score and no rate: twice each


@pytest.mark.django_db
def test_the_page_reads_values_and_writes_the_rows_the_models_write(admin_user):
    """The leadership page reads its rows as values (``leadership_rows``): the same HTML as the
    years and summaries read as models, a year without its summary included."""
    years = build_units(4, years=(2023, 2024))
    YearSummary.objects.filter(pk=years[0].pk).delete()
    UnitYear.objects.filter(pk=years[1].pk).update(status=YearStatus.FINALISED)
    page = leadership_rows(Access.for_user(admin_user))
    keys = [row.pk for row in page.object_list]
    assert sorted(keys) == sorted(uy.pk for uy in years)
    models = {uy.pk: uy for uy in UnitYear.objects.select_related("unit", "summary")}
    from_models = []
    for key in keys:
        uy = models[key]
        from_models.append(SummaryRow(unit_year=uy, summary=getattr(uy, "summary", None)))
    written = leadership_rows_html(page.object_list)
    assert written == leadership_rows_html(from_models)
    assert written.count('<td class="num">—</td>') >= 2  # the year without its summary
