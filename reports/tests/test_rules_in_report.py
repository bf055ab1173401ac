"""The report, its PDF and the 自评表 read the year's recorded rules, never the national
defaults: under a rule set with 预算执行率 20 and 产出指标 40 (效益 30, 满意度 10) every
rendering shows 分值 20 beside the execution score, 产出 weights adding up to 40, the total
and the grade those rules give."""

from __future__ import annotations

from decimal import Decimal as D
from html.parser import HTMLParser
from io import BytesIO

import pytest
from openpyxl import load_workbook

from indicators.models import Indicator, RuleSet
from indicators.selectors import rules_for_year
from reports.data import report_queryset
from reports.services import report_render_html, report_render_pdf, report_render_xlsx

from .conftest import pdf_text, squash

pytestmark = pytest.mark.django_db

WEIGHTS = {"output": D("40"), "benefit": D("30"), "satisfaction": D("10")}


class Rows(HTMLParser):
    """The text of every table row, its cells joined by "|"."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    parser = Rows()
    parser.feed(html)
    return parser.rows


@pytest.fixture
def twenty_rules(demo_year):
    """Default rule set 40/30/10 + 20; the demo's indicators weighted to it and scored: every
    indicator full marks but one 产出 indicator 12 points short → 68 + 20 = 88.00, “良”."""
    RuleSet.objects.update(is_default=False)
    rule_set = RuleSet(
        name="测试规则（执行率20分）",
        is_default=True,
        output_weight=D("40"),
        benefit_weight=D("30"),
        satisfaction_weight=D("10"),
        execution_weight=D("20"),
    )
    rule_set.full_clean()
    rule_set.save()
    indicators = list(demo_year.indicators.ordered())
    for tier, total in WEIGHTS.items():
        group = [i for i in indicators if i.tier1 == tier]
        share = (total / len(group)).quantize(D("0.01"))
        for i in group:
            i.weight = share
        group[-1].weight = total - share * (len(group) - 1)
    for i in indicators:
        i.score = i.weight
        i.actual_text = "已完成"
    to_lose = D("12")
    for i in (i for i in indicators if i.tier1 == "benefit"):
        lost = min(to_lose, i.weight)
        i.score, to_lose = i.weight - lost, to_lose - lost
        if lost:
            i.deviation_reason = "部分任务顺延至下年度。"
    assert to_lose == 0
    Indicator.objects.bulk_update(indicators, ["weight", "score", "actual_text", "deviation_reason"])
    unit_year = report_queryset().get(pk=demo_year.pk)
    assert rules_for_year(unit_year).execution_weight == D("20")
    return unit_year


def test_report_html_uses_the_years_rules(twenty_rules):
    html = report_render_html(unit_year=twenty_rules)
    rows = table_rows(html)
    execution = next(r for r in rows if r and r[0] == "预算执行率")
    # 预算执行率 | 100% | 100.00% | 分值 20 | 得分 20
    assert execution[2:5] == ["100.00%", "20.00", "20.00"]
    total = next(r for r in rows if r and r[0] == "总分")
    assert total[3:5] == ["100.00", "88.00"]
    assert total[5] == "自评结论：良"
    assert "综合得分88分，评价等级为“良”" in html
    # 产出 40: the 分值 of the 产出 rows (merged 一级 cells) add up to it …
    indicator_table = html.split('data-testid="indicator-table"')[1].split("</table>")[0]
    tier1, output_weight = None, D("0")
    for row in table_rows(indicator_table)[1:]:
        tier1 = next((c for c in row if c in ("产出指标", "效益指标", "满意度指标", "预算执行率")), tier1)
        if tier1 == "产出指标":
            output_weight += D(row[-3])  # … 分值 | 得分 | 偏差原因
    assert output_weight == D("40")
    # … and section 五 states the method of the rules in force.
    assert "产出指标40分、效益指标30分、满意度指标10分，预算执行率20分" in html
    assert "按“测试规则（执行率20分）”评分" in html
    assert "预算执行率得分＝预算执行率×20分" in html


def test_report_pdf_uses_the_years_rules(twenty_rules):
    text = squash(pdf_text(report_render_pdf(unit_year=twenty_rules, use_cache=False)))
    assert "预算执行率100%100.00%20.0020.00" in text
    assert "综合得分88分，评价等级为“良”" in text
    assert "产出指标40分、效益指标30分、满意度指标10分，预算执行率20分" in text


def test_self_evaluation_table_uses_the_years_rules(twenty_rules):
    ws = load_workbook(BytesIO(report_render_xlsx(unit_year=twenty_rules)))["自评表"]
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row}

    def row_of(label):
        return next(r for (r, c), v in cells.items() if c == 1 and v == label)

    funds = row_of("年度资金总额")
    assert (cells[(funds, 6)], cells[(funds, 8)]) == (20, 20)  # 分值 20 next to its score
    execution = row_of("预算执行率")
    assert (cells[(execution, 6)], cells[(execution, 7)]) == (20, 20)
    total = row_of("总分")
    assert (cells[(total, 6)], cells[(total, 7)]) == (100, 88)
    assert cells[(row_of("自评结论"), 6)] == "良（88分）"
    # The 产出指标 block (merged 一级 cells): its 分值 add up to 40, across both fund categories.
    output_weight = D("0")
    tier1 = None
    for r in range(1, ws.max_row + 1):
        if cells.get((r, 1)) in ("产出指标", "效益指标", "满意度指标", "预算执行率", "总分"):
            tier1 = cells[(r, 1)]
        elif cells.get((r, 1)) in ("基本经费", "项目经费"):
            tier1 = None
            continue
        if tier1 == "产出指标" and isinstance(cells.get((r, 6)), (int, float)):
            output_weight += D(str(cells[(r, 6)]))
    assert output_weight == D("40")
