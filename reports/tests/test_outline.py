"""The report's outline is the one definition of its sections, headings and tables: the HTML
walks it, the Excel 自评表 takes its column labels from it."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports.data import report_data, report_queryset
from reports.outline import FUNDS_COLUMNS, INDICATOR_COLUMN, Table, report_outline
from reports.prose import report_prose
from reports.services import report_render_html, report_render_xlsx

pytestmark = pytest.mark.django_db

SECTIONS = [
    "一、部门概况",
    "二、部门整体支出管理及使用情况分析",
    "三、项目组织实施情况分析",
    "四、部门整体支出绩效情况分析",
    "五、绩效评价工作开展情况",
    "六、存在的主要问题",
    "七、改进措施和有关建议",
]


@pytest.fixture
def outline(demo_year):
    data = report_data(report_queryset().get(pk=demo_year.pk))
    return report_outline(data, report_prose(data))


def test_the_html_shows_every_heading_of_the_outline_in_order(demo_year, outline):
    assert [h.text for h in outline.headings if h.level == 1] == SECTIONS
    html = report_render_html(unit_year=report_queryset().get(pk=demo_year.pk))
    at = 0
    for heading in outline.headings:
        tag = "h2" if heading.level == 1 else "h3"
        at = html.index(f"<{tag}>{heading.text}</{tag}>", at)  # each once, in the outline's order
    for table in (b for b in outline.body if isinstance(b, Table)):
        assert f'data-testid="{table.testid}"' in html
    assert '<caption>项目支出明细<span class="unit">单位：万元</span></caption>' in html
    assert '<th class="col-tier">一级指标</th>' in html


def test_budget_table_has_labelled_columns(outline):
    table = outline.table("budget")
    groups = [(c.text, c.colspan) for c in table.head[0].cells]
    assert groups == [("年度收入预算", 4), ("年度支出预算", 3), ("三公经费预算支出", 4)]
    labels = [c.text for c in table.head[1].cells]
    amounts = dict(zip(labels, (c.text for c in table.body[0].cells), strict=True))
    assert amounts["收入合计"] == "1304.57"
    assert amounts["支出合计"] == "1304.57"
    assert len(labels) == 11


def test_excel_reuses_the_outline_labels(demo_year):
    ws = load_workbook(BytesIO(report_render_xlsx(unit_year=demo_year)))["自评表"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    funds = next(row for row in values if row[0] == "年度资金（万元）")
    assert funds[2:8] == [c.label for c in FUNDS_COLUMNS]
    indicators = next(row for row in values if row[0] == INDICATOR_COLUMN["tier1"].label)
    assert indicators[3] == INDICATOR_COLUMN["target"].table_label == "年度指标值"
