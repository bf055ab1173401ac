"""What a signer and a reviewer read (issue 10): the 未定稿 mark on every page of every rendering
of a year not finalised and none once it is; the report date fixed, never today's; room for the
seal; the unit in the title; the goals once; 三公经费 budget, actual and change; the analysis of
section 四; and every generated sentence that names a total and lists its parts adds up."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from departments.models import YearStatus
from indicators.models import Goal
from reports.data import report_data, report_queryset
from reports.prose import report_prose
from reports.services import report_context, report_render_html, report_render_pdf, report_render_xlsx

from .conftest import score_all, squash

pytestmark = pytest.mark.django_db

AMOUNT = re.compile(r"(\d+\.\d{2})万元")
FIXED = date(2025, 3, 20)


def fresh(unit_year):
    return report_queryset().get(pk=unit_year.pk)


def amounts(text: str) -> list[D]:
    return [D(a) for a in AMOUNT.findall(text)]


def today_text() -> str:
    today = timezone.localdate()
    return f"{today.year}年{today.month}月{today.day}日"


def page_texts(content: bytes) -> list[str]:
    return [squash(page.extract_text() or "") for page in PdfReader(BytesIO(content)).pages]


def finalise(unit_year, *, report_date=FIXED):
    unit_year.status = YearStatus.FINALISED
    unit_year.report_date = report_date
    unit_year.save(update_fields=["status", "report_date"])


# -- the 未定稿 mark and the date ------------------------------------------------------------------


def test_a_draft_is_marked_on_every_page_of_every_rendering(demo_pdf, demo_year):
    pages = page_texts(demo_pdf)
    assert len(pages) > 5 and all("未定稿" in page for page in pages)  # the cover too
    html = report_render_html(unit_year=fresh(demo_year))
    assert '<div class="draft-mark" data-testid="draft-mark">未定稿</div>' in html
    wb = load_workbook(BytesIO(report_render_xlsx(unit_year=fresh(demo_year))))
    assert [ws.oddHeader.center.text for ws in wb.worksheets] == ["未定稿"] * len(wb.worksheets)
    # The date of a draft: not yet fixed, and not today.
    assert "<th>报告日期</th><td>（未定稿）</td>" in html
    assert today_text() not in html


def test_a_finalised_year_carries_no_mark_and_its_fixed_date(demo_year):
    finalise(demo_year)
    content = report_render_pdf(unit_year=fresh(demo_year), use_cache=False)
    pages = page_texts(content)
    assert not any("未定稿" in page for page in pages)
    assert "报告日期2025年3月20日" in pages[0]
    signature = next(n for n, page in enumerate(pages) if page.startswith("附件")) - 1
    assert pages[signature].count("2025年3月20日") == 1
    assert today_text() not in "".join(pages)
    html = report_render_html(unit_year=fresh(demo_year))
    assert "draft-mark" not in html.split("</head>")[1]
    wb = load_workbook(BytesIO(report_render_xlsx(unit_year=fresh(demo_year))))
    assert all(not ws.oddHeader.center.text for ws in wb.worksheets)


def test_the_report_page_shows_the_draft_banner(client, demo_year):
    client.force_login(get_user_model().objects.get(username="leader"))
    url = reverse("reports:report", args=(demo_year.unit.code, demo_year.year))
    body = client.get(url).content.decode()
    assert 'data-testid="draft-mark"' in body
    finalise(demo_year)
    body = client.get(url).content.decode()
    assert 'data-testid="draft-mark"' not in body


def test_cover_seal_title_and_goals_once(demo_year):
    html = report_render_html(unit_year=fresh(demo_year))
    assert '<p class="cover-seal" data-testid="cover-seal">单位（盖章）</p>' in html
    assert '<h1 class="doc-title">安化县人大常委会办公室2024年度部门整体支出绩效自评报告</h1>' in html
    data = report_data(fresh(demo_year))
    assert len(data.annual_goals) == 7
    report, annex = html.split('data-testid="annex"')  # the annexed 自评表 lists them as the form does
    for goal in data.annual_goals:
        assert report.count(goal.text.rstrip("。；;")) == 1, goal.text


# -- 三公经费 and the analysis ---------------------------------------------------------------------


def test_three_public_budget_actual_and_change(demo_year):
    data = report_data(fresh(demo_year))
    prose = report_prose(data)
    total = data.figures.three_public_total
    assert prose.three_public.startswith(f"2024年“三公”经费预算{total.budget:.2f}万元")
    html = report_render_html(unit_year=fresh(demo_year))
    assert 'data-testid="three-public-table"' in html
    for label in ("预算数", "实际支出数", "上年支出数", "增减额", "增减率"):
        assert f">{label}</th>" in html
    # The parts listed after 其中 are the total's: their budgets add up to the budget named.
    head, _, parts = prose.three_public.partition("其中：")
    budgets = [D(b) for b in re.findall(r"预算(\d+\.\d{2})万元", parts)]
    assert budgets and sum(budgets) == amounts(head)[0]


def test_section_four_analysis(demo_year):
    score_all(demo_year)  # 19 indicators, 18 weighted; 人大资讯 1.5 points short, with its reason
    analysis = report_prose(report_data(fresh(demo_year))).analysis
    counts = re.match(r"年度绩效指标已评价(\d+)项，其中全部达成(\d+)项、部分达成(\d+)项、未达成(\d+)项。", analysis[0])
    assert counts is not None
    total, *parts = (int(n) for n in counts.groups())
    assert (total, parts) == (18, [17, 1, 0]) and sum(parts) == total
    shortfall = next(p for p in analysis if "人大资讯" in p)
    assert shortfall.startswith("部分达成：“人大资讯”")
    assert "实际完成18篇" in shortfall and "偏差原因：部分资讯未按期刊发，下年度加强统筹。" in shortfall
    assert "预算执行率100.00%，得10分（分值10分）。" in analysis
    last = analysis[-1]
    assert last.startswith("综合得分98.5分，评价等级为“优”；共失1.5分，其中")
    lost = re.search(r"共失([\d.]+)分，其中(.*)。", last)
    assert lost is not None
    assert sum(D(p) for p in re.findall(r"([\d.]+)分", lost.group(2))) == D(lost.group(1))
    html = report_render_html(unit_year=fresh(demo_year))
    assert html.index('data-testid="analysis-sentence"') > html.index('data-testid="indicator-table"')


def test_goal_achievements_entered_once_shown_in_section_four_and_the_self_evaluation_table(demo_year):
    first, second = Goal.objects.filter(unit_year=demo_year, kind="annual").order_by("order")[:2]
    Goal.objects.filter(pk=second.pk).update(achievement="召开常委会会议8次。")
    html = report_render_html(unit_year=fresh(demo_year))
    assert "2024年度绩效目标完成情况：2、召开常委会会议8次。" in html  # numbered as the goals are
    assert html.index('data-testid="goal-achievements"') > html.index('data-testid="indicator-table"')
    ws = load_workbook(BytesIO(report_render_xlsx(unit_year=fresh(demo_year))))["自评表"]
    header = next(c for row in ws.iter_rows() for c in row if c.value == "实际完成情况")
    assert ws.cell(row=header.row + 1, column=header.column).value == "2、召开常委会会议8次"
    outline = report_context(unit_year=fresh(demo_year))["o"]
    annex = next(b for b in outline.body if b.kind == "annex")
    assert any(c.lines == ("2、召开常委会会议8次",) for t in annex.tables for row in t.body for c in row.cells)
    assert first.achievement == ""


# -- every sentence naming a total and its parts adds up -----------------------------------------


def test_generated_totals_equal_their_parts(demo_year):
    data = report_data(fresh(demo_year))
    prose = report_prose(data)
    # 一（二）: 基本支出 + 项目支出 = the spending named before; the shares add to 100 %.
    total_line = prose.scale[0]
    uses = next(p for p in prose.scale if p.startswith("从使用方向看"))
    spent = amounts(total_line)[-1]
    assert sum(amounts(uses)) == spent
    assert sum(D(s) for s in re.findall(r"占(\d+\.\d{2})%", uses)) == D("100.00")
    # 一（二）: 三公经费 budget and the budgets of its parts.
    three = next(p for p in prose.scale if p.startswith("“三公”经费"))
    head, _, rest = three.partition("，其中")
    parts = rest.split("；实际支出")[0]
    assert sum(amounts(parts)) == amounts(head)[0]
    # 二（二）: "上述实际使用X" is the sum of the amounts listed.
    listed = sum(amounts("".join(prose.project_items)))
    assert amounts(prose.project_usage)[0] == listed
    # 一（三）: the indicator count by fund category and by tier-1 each add to the total.
    summary = prose.indicator_summary
    total = int(re.match(r"年度绩效指标共(\d+)项", summary).group(1))
    by_group, by_tier = summary.split("；")
    assert sum(int(n) for n in re.findall(r"(\d+)项", by_group)[1:]) == total
    assert sum(int(n) for n in re.findall(r"(\d+)项", by_tier)) == total


def test_the_self_evaluation_table_is_annexed(demo_year):
    score_all(demo_year)
    finalise(demo_year)
    content = report_render_pdf(unit_year=fresh(demo_year), use_cache=False)
    pages = page_texts(content)
    start = next(n for n, page in enumerate(pages) if page.startswith("附件"))
    assert start > 5 and "2025年3月20日" in pages[start - 1]  # after the signature, on a new page
    annex = "".join(pages[start:])
    assert "2024年度部门整体支出绩效自评表" in annex
    for label in ("年度资金（万元）", "年初预算数", "全年预算数", "全年执行数", "年度总体目标", "预期目标"):
        assert label in annex
    assert "实际完成情况" in annex
    assert "年度资金总额880.511304.571304.5710.00100.00%10.00" in annex  # every score two decimals
    assert "人大资讯≥20篇18篇5.003.50部分资讯未按期刊发" in annex
    assert "总分100.0098.50" in annex and "自评结论优（98.50分）" in annex
