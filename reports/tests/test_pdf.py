"""The demo report's PDF against the reference: every heading, figure, project, duty, goal,
indicator and target; fonts embedded; A4; title and author; page numbers."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from demo import data

from .conftest import pdf_text, squash

# The module-scoped PDF fixture needs the test database to exist.
pytestmark = pytest.mark.django_db

HEADINGS = [
    "2024年度部门整体支出绩效自评报告",
    "一、部门概况",
    "（一）部门基本情况",
    "（二）部门整体支出规模、使用方向和主要内容、涉及范围",
    "（三）绩效目标设立情况",
    "二、部门整体支出管理及使用情况分析",
    "（一）基本支出",
    "（二）项目支出",
    "三、项目组织实施情况分析",
    "四、部门整体支出绩效情况分析",
    "部门基本信息",
    "年度收入预算",
    "年度支出预算",
    "三公经费预算支出",
    "部门整体支出绩效目标",
    "五、绩效评价工作开展情况",
    "（一）绩效评价目的",
    "六、存在的主要问题",
    "七、改进措施和有关建议",
]
FIGURES = ["1304.57", "880.51", "1326.27", "1.64%", "1269.21", "1294.30", "25.09", "1336.76", "32.19", "2.41%"]
FIGURES += ["1028.96", "275.61", "11.31", "236.00", "31.00", "6.78", "39.22"]
SENTENCES = [
    "2024年，单位预算收入1304.57万元（经人大批准的年初预算收入880.51万元），比上年1326.27万元减少21.70万元，减少1.64%。",
    "其中：一般公共预算财政拨款收入年初预算1269.21万元，比上年1294.30万元减少25.09万元。主要变化是：",
    "2024年，本单位支出1304.57万元，比上年1336.76万元减少32.19万元，减少2.41%。增减变化的主要原因是：",
    "县人大代表活动经费31.00万元；",
    "上述实际使用236.00万元，经费严格按项目支出类别进行支出，无串用指标现象。",
]


@pytest.fixture(scope="module")
def text(demo_pdf) -> str:
    return squash(pdf_text(demo_pdf))


def test_every_section_heading(text):
    missing = [h for h in HEADINGS if squash(h) not in text]
    assert not missing


def test_every_figure_and_the_corrected_difference(text):
    assert [f for f in FIGURES if f not in text] == []
    assert "21.70" in text
    assert "21.76" not in text  # the reference's slip is not repeated


def test_generated_sentences(text):
    assert [s for s in SENTENCES if squash(s) not in text] == []


def test_every_project_duty_goal_indicator_and_target(text):
    expected = [name for name, _ in data.PROJECTS]
    expected += data.DUTIES
    expected += [g for goals in data.GOALS.values() for g in goals]
    expected += [name for *_, name, _ in data.INDICATORS]
    expected += [target for *_, target in data.INDICATORS]
    expected += [name for names in data.ORGANS.values() for name in names]
    expected += [data.PROFILE["contact_name"], data.PROFILE["contact_phone"], data.PROFILE["function_summary"]]
    for field in ("problems", "measures", "evaluation_process", "income_change_note", "spending_change_note"):
        expected += [line for line in data.PROFILE[field].splitlines() if line]
    missing = [item for item in expected if squash(item) not in text]
    assert missing == []


def test_sections_written_from_data(text):
    # 一（二）: scale and use; 一（三）: goals and the indicator count, both empty in the reference.
    assert squash("2024年，本单位整体支出全年预算1304.57万元，全年执行1304.57万元，预算执行率100.00%。") in text
    assert "基本支出1028.96万元，占78.87%" in text
    assert "项目支出275.61万元，占21.13%" in text
    assert (
        squash(
            "年度绩效指标共19项，其中基本经费6项、项目经费13项；按一级指标分，产出指标14项、效益指标4项、满意度指标1项。"
        )
        in text
    )  # noqa: E501


def test_cover_metadata_and_page_numbers(demo_pdf):
    reader = PdfReader(BytesIO(demo_pdf))
    assert reader.metadata.title == "安化县人大常委会办公室2024年度部门整体支出绩效自评报告"
    assert reader.metadata.author == "安化县人大常委会办公室"
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)  # A4
    cover = squash(first.extract_text())
    assert "评价方式单位自评" in cover and "评价年度2024年度" in cover
    assert "—1—" not in cover  # no page number on the cover
    assert "—2—" in squash(reader.pages[1].extract_text())
    assert len(reader.pages) >= 5


def test_every_font_is_embedded(demo_pdf):
    reader = PdfReader(BytesIO(demo_pdf))
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert len(fonts) >= 2
    for name, font in fonts.items():
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name
    # The official-document faces: serif body, bold serif title, bold sans headings — no others
    # (the Noto faces, pre-subset as "Perfeval Serif/Sans" by reports/fonts.py).
    names = sorted(str(n).split("+", 1)[-1] for n in fonts)
    assert len(names) == 3
    assert sum("Serif" in n for n in names) == 2 and sum("Sans" in n for n in names) == 1
    assert sum("Bold" in n for n in names) == 2
