"""Every generated sentence that names a total and lists its parts: the parts add up to the total
(issue 10 item 1). Read from the finalised demo's outline, the text every rendering prints."""

from __future__ import annotations

import io
import re
from decimal import Decimal as D

import pytest

from reports.data import report_data, report_queryset
from reports.outline import Paragraph, report_outline
from reports.prose import report_prose

pytestmark = pytest.mark.django_db

WAN = r"(\d+\.\d{2})万元"


def amounts(text: str) -> list[D]:
    return [D(a) for a in re.findall(WAN, text)]


@pytest.fixture
def texts(finalised_demo_year) -> dict[str, str]:
    data = report_data(report_queryset().get(pk=finalised_demo_year.pk))
    prose = report_prose(data)
    outline = report_outline(data, prose)
    by_id = {b.testid: b.text for b in outline.body if isinstance(b, Paragraph) and b.testid}
    return {**by_id, "scale": "".join(prose.scale), "analysis": "".join(prose.analysis)}


def test_project_budget_year_start_plus_addition_is_full_year_and_items_are_what_was_used(texts):
    sentence = texts["projects-sentence"]
    head, items = sentence.split("：", 1)
    initial, added, full_year = amounts(head)
    assert (initial, added, full_year) == (D("236.00"), D("39.61"), D("275.61"))
    assert initial + added == full_year
    listed = amounts(items)
    assert len(listed) == 11 and D("39.61") in listed
    (used,) = amounts(texts["project-usage-sentence"])
    assert sum(listed) == used == full_year


def test_scale_basic_plus_project_is_the_total(texts):
    scale = texts["scale"]
    total = D(re.search(r"全年执行" + WAN, scale).group(1))
    basic = D(re.search(r"基本支出" + WAN, scale).group(1))
    project = D(re.search(r"项目支出" + WAN, scale).group(1))
    assert basic + project == total == D("1304.57")
    shares = [D(s) for s in re.findall(r"占(\d+\.\d{2})%", scale)]
    assert sum(shares) == D("100.00")


def test_three_public_parts_add_up_in_every_sentence(texts):
    for sentence in (texts["three-public-sentence"], texts["scale"]):
        total = D(re.search(r"“三公”经费(?:，)?预算" + WAN, sentence).group(1))
        after = sentence.split("其中", 1)[1]
        parts = [
            D(a) for a in re.findall(r"(?:公务接待费|公务用车运行和购置费|因公出国（境）费)(?:预算)?" + WAN, after)
        ]
        assert parts and sum(parts) == total, sentence


def test_income_never_names_a_part_larger_than_its_total(texts):
    sentence = texts["income-sentence"]
    for clause in re.findall(r"其中：[^。]*", sentence):
        head = sentence.split(clause)[0]
        total = amounts(head)[-1] if "年初预算" not in clause else D(re.search(r"年初预算收入" + WAN, head).group(1))
        assert all(part <= total for part in amounts(clause.split("比上年")[0]))
    assert "1269.21万元" in sentence and "两者口径不一致" in sentence


def test_points_lost_add_up_to_what_the_total_lacks(texts):
    analysis = texts["analysis"]
    match = re.search(r"综合得分(\d+(?:\.\d+)?)分.*共失(\d+(?:\.\d+)?)分，其中([^。]*)", analysis)
    total, lost, where = D(match.group(1)), D(match.group(2)), match.group(3)
    parts = [D(x) for x in re.findall(r"(\d+(?:\.\d+)?)分", where)]
    assert sum(parts) == lost == D("100") - total


def test_finalised_demo_analysis_counts_a_qualitative_score_in_the_achieved_band_as_met(texts):
    analysis = texts["analysis"]
    # 促进本县经济发展 7.00 / 7.50 lies in the 达成年度指标 band: met, though its 0.5 point is lost
    assert "其中全部达成18项、部分达成1项、未达成0项" in analysis
    assert "未填写偏差原因" not in analysis
    assert "部分达成：“解决群众问题的完成率”" in analysis
    assert "共失1.11分，其中产出指标0.11分、效益指标1分" in analysis
    assert texts["goal-achievements"].startswith("2024年度绩效目标完成情况：1、听取审议议而必决事项8项")


def test_the_explanations_are_printed_as_notes_under_their_figures_in_html_and_pdf(finalised_demo_year):
    from reports.services import report_render_html, report_render_pdf

    from .conftest import pdf_text, squash

    uy = report_queryset().get(pk=finalised_demo_year.pk)
    html = report_render_html(unit_year=uy)
    income, spending = html.index('data-testid="income-sentence"'), html.index('data-testid="spending-sentence"')
    notes = [m.start() for m in re.finditer('data-testid="check-note"', html)]
    assert len(notes) == 2 and income < notes[0] < spending < notes[1]  # each under its figures
    text = squash(pdf_text(report_render_pdf(unit_year=uy, use_cache=False)))
    assert "两者口径不一致。主要变化是：" in text
    assert "注：其中：一般公共预算财政拨款（年初预算数）为1269.21万元，大于收入合计880.51万元" in text
    assert "说明：按已公开的2024年度自评报告原样填列：报告写明年初预算收入880.51万元" in text
    assert "说明：按已公开的2024年度自评报告原样填列：上年收入1326.27万元与上年支出1336.76万元" in text


def test_merged_labels_are_repeated_beside_their_rows_after_a_page_break(finalised_demo_year):
    """Every page on which an indicator table continues (it starts with the repeated header)
    shows the 一级指标 and 经费类别 of its first row again, though their merged cells began on the
    page before — the department's tables and each project's 自评表 alike."""
    from pypdf import PdfReader

    from reports.projects import report_projects
    from reports.services import report_render_pdf

    uy = report_queryset().get(pk=finalised_demo_year.pk)
    data = report_data(uy)
    rows = list(data.indicator_rows) + [r for p in report_projects(data) for r in p.rows]
    content = report_render_pdf(unit_year=uy, use_cache=False)
    pages = ["".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages]
    continued = [p for p in pages if p.startswith(("经费类别一级指标二级指标", "一级指标二级指标三级指标"))]
    assert len(continued) >= 3  # the report's table runs over one break, the annex's over two
    for page in continued:
        body = page.split("及改进措施", 1)[1]
        first = min((r for r in rows if r.indicator.name in body), key=lambda r: body.index(r.indicator.name))
        before = body[: body.index(first.indicator.name)]
        assert first.tier1_label in before, page[:80]  # the label comes first on the row, repeated
        if page.startswith("经费类别"):
            assert first.group_label in before
