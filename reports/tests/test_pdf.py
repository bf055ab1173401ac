"""The demo report's PDF against the reference: every heading, figure, project, duty, goal,
indicator and target; fonts embedded; A4; title and author; page numbers; the official
typography measured on the rendered pages (type area, 22 lines of 28 characters, flush right
edge, page numbers at the outer side, table labels in one piece)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from io import BytesIO

import pytest
from defusedxml import ElementTree
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
    "一般公共预算财政拨款收入年初预算1269.21万元，比上年1294.30万元减少25.09万元，大于年初预算收入合计880.51万元，两者口径不一致。主要变化是：",
    "2024年，本单位支出1304.57万元，比上年1336.76万元减少32.19万元，减少2.41%。增减变化的主要原因是：",
    "县人大代表活动经费31.00万元；",
    "上述实际使用275.61万元，经费严格按项目支出类别进行支出，无串用指标现象。",
]


PAGE_NUMBER = re.compile(r"^— \d+ —$", re.MULTILINE)
# On a draft, the running "未定稿" mark in the top margin of every page.
DRAFT_MARK = re.compile(r"^未 定 稿$", re.MULTILINE)


@pytest.fixture(scope="module")
def text(demo_pdf) -> str:
    # A sentence running over a page break is read without the page furniture between its halves.
    return squash(DRAFT_MARK.sub("", PAGE_NUMBER.sub("", pdf_text(demo_pdf))))


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
    assert "—" not in cover  # the cover is not numbered …
    assert squash(reader.pages[1].extract_text()).endswith("—1—")  # … nor counted: the body starts at 1
    assert squash(reader.pages[2].extract_text()).endswith("—2—")
    assert len(reader.pages) >= 5


def test_the_document_carries_its_language_and_title(demo_pdf, tmp_path):
    """A screen reader reads the PDF as Chinese and announces its title (WCAG 3.1.1, 2.4.2)."""
    reader = PdfReader(BytesIO(demo_pdf))
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert reader.metadata.title == "安化县人大常委会办公室2024年度部门整体支出绩效自评报告"
    if shutil.which("pdfinfo"):
        path = tmp_path / "report.pdf"
        path.write_bytes(demo_pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Title:\s+安化县人大常委会办公室2024年度部门整体支出绩效自评报告$", info, re.M)


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
    # The official-document faces, each pre-subset by reports/fonts.py under a "Perfeval" name:
    # 仿宋 body, 楷体 二级标题, 黑体 一级标题, a heavy 宋体 title, 宋体 page numbers — no others.
    names = sorted(str(n).split("+", 1)[-1] for n in fonts)
    assert names == ["Perfeval-Fang", "Perfeval-Hei-Bold", "Perfeval-Kai", "Perfeval-Serif", "Perfeval-Title-Bold"]


def embedded_font_names(content: bytes) -> dict[str, str]:
    """{PDF font name: the family named inside the embedded font program}."""
    from fontTools.ttLib import TTFont

    names = {}
    for page in PdfReader(BytesIO(content)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = (descriptor.get("/FontFile3") or descriptor.get("/FontFile2")).get_object().get_data()
            names[str(font["/BaseFont"]).split("+", 1)[-1]] = TTFont(BytesIO(program))["name"].getDebugName(1)
    return names


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_a_fangsong_and_a_kaiti_face_are_embedded(demo_pdf, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(demo_pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    rows = {line.split()[0].split("+", 1)[-1]: line.split() for line in listing.splitlines()[2:]}
    for name in ("Perfeval-Fang", "Perfeval-Kai"):
        assert name in rows, listing
        assert rows[name][-5:-2] == ["yes", "yes", "yes"], listing  # embedded, subset, with ToUnicode
    # …and they are the Fandol faces (installed by scripts/fandol-fonts.sh), not a fallback.
    inside = embedded_font_names(demo_pdf)
    assert inside["Perfeval-Fang"].startswith("FandolFang")
    assert inside["Perfeval-Kai"] == "FandolKai"


# -- the type area, measured on the rendered pages -------------------------------------------------

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
LEFT, RIGHT = 28 * MM, PAGE_WIDTH - 26 * MM  # the type area: 156 × 225 mm
TOP, BOTTOM = 37 * MM, PAGE_HEIGHT - 35 * MM
LINE_PITCH = 28.95  # pt: 22 lines in 225 mm
CLOSING = "，。、；：？！）》”’"
CJK_ONLY = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+$")


@dataclass(frozen=True)
class Line:
    page: int  # 0 = the cover
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    words: tuple[str, ...]

    @property
    def body(self) -> bool:
        """Body text (三号, 16 pt high), not a table cell, heading in 黑体 or page number."""
        return abs(self.y1 - self.y0 - 16) < 0.5 and self.y0 < BOTTOM


@pytest.fixture(scope="module")
def lines(demo_pdf, tmp_path_factory) -> list[Line]:
    """Every text line of the PDF with its box, as poppler's pdftotext lays it out."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(demo_pdf)
    xhtml = subprocess.run(  # noqa: S603, S607
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    result = []
    for number, page in enumerate(ElementTree.fromstring(xhtml).iterfind(".//x:page", ns)):
        for line in page.iterfind(".//x:line", ns):
            box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            words = tuple(word.text or "" for word in line.iterfind("x:word", ns))
            result.append(Line(number, *box, "".join(words), words))
    return result


def continued(lines: list[Line]) -> list[tuple[Line, Line]]:
    """Pairs (a line, the next line of the same paragraph): b starts at the left margin one line
    pitch below a (a paragraph's first line is indented two characters)."""
    body = [line for line in lines if line.body and line.page > 0]
    return [
        (a, b)
        for a, b in zip(body, body[1:], strict=False)
        if a.page == b.page and abs(b.x0 - LEFT) < 0.5 and abs(b.y0 - a.y0 - LINE_PITCH) < 0.5
    ]


def test_body_lines_end_flush_at_the_right_margin(lines):
    pairs = continued(lines)
    assert len(pairs) > 50
    ragged = [(a.page, a.text, round(RIGHT - a.x1, 1)) for a, _ in pairs if abs(a.x1 - RIGHT) > 1.0]
    assert ragged == []  # every line but a paragraph's last ends at the margin, ±1 pt


def test_type_area_holds_22_lines_of_28_characters(lines):
    body = [line for line in lines if line.body and line.page > 0]
    assert min(line.x0 for line in body) == pytest.approx(LEFT, abs=0.5)  # left margin 28 mm
    assert max(line.x1 for line in body) == pytest.approx(RIGHT, abs=1.0)  # right margin 26 mm
    assert min(line.y0 for line in lines if line.page > 0 and line.text != "未定稿") >= TOP - 0.5  # top margin 37 mm
    # A full line of Chinese text holds 28 characters (26 after a paragraph's indent); fewer only
    # where the line breaking rules carry a character over with the punctuation that follows it
    # (no line starts with "，") or a number does not fit; justification then fills the line.
    full = [(a, b) for a, b in continued(lines) if CJK_ONLY.match(a.text)]
    assert len(full) > 30
    for a, b in full:
        expected = 28 if abs(a.x0 - LEFT) < 0.5 else 26
        carried = len(a.text) == expected - 1 and b.text[1] in CLOSING
        assert len(a.text) == expected or carried or b.text[0].isdigit(), a.text
    # … and a page of running text 22 lines, one pitch apart, inside the 225 mm.
    per_page: dict[int, list[Line]] = {}
    for line in body:
        per_page.setdefault(line.page, []).append(line)
    runs = []
    for page_lines in per_page.values():
        tops = sorted(line.y0 for line in page_lines)
        pitches = {round(b - a, 1) for a, b in zip(tops, tops[1:], strict=False)}
        if pitches == {LINE_PITCH - 0.05, LINE_PITCH + 0.05} or pitches == {round(LINE_PITCH, 1)}:
            runs.append(len(tops))
            assert tops[-1] + 16 <= BOTTOM
    assert 22 in runs and max(runs) == 22


def test_page_numbers_at_the_outer_side(lines):
    numbers = {}
    for line in lines:
        if PAGE_NUMBER.match(" ".join(line.text)) or re.fullmatch(r"—\d+—", line.text):
            numbers[line.page] = line
    assert 0 not in numbers  # the cover
    assert len(numbers) >= 5
    for page, line in numbers.items():
        number = page  # the page after the cover is 1
        assert line.text == f"—{number}—"
        assert line.y0 > BOTTOM + 7 * MM - 1  # 7 mm below the type area
        if number % 2:  # odd: right, one character (14 pt) in from the edge of the type area
            assert line.x1 == pytest.approx(RIGHT - 14, abs=1.0)
        else:
            assert line.x0 == pytest.approx(LEFT + 14, abs=1.0)


def test_the_signature_never_stands_alone_on_a_page(lines):
    last = min(line.page for line in lines if line.text == "附件") - 1  # the annex follows on its own page
    body = [line for line in lines if line.page == last and line.body and not line.text.startswith(data.UNIT["name"])]
    assert [line for line in body if not re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line.text)]


def test_table_labels_are_never_split(lines):
    cells = {word for line in lines if line.page > 0 for word in line.words}
    labels = ["产出指标", "效益指标", "满意度指标", "数量指标", "社会效益指标", "基本经费", "项目经费"]
    labels += ["财政拨款", "非税收入", "收入合计", "基本支出", "项目支出", "公务接待费", "一级指标", "三级指标"]
    assert [label for label in labels if label not in cells] == []


def test_short_labels_are_marked_for_the_pdf_only():
    from reports.pdf import keep_short_labels

    html = (
        '<tr><th class="col-tier">一级指标</th><td class="c" rowspan="3">满意度指标</td><td>人大资讯</td>'
        "<th>偏差原因分析及改进措施</th><th>合计</th><td rowspan=2>可持续影响指标</td>"
        '<td class="c label">项目经费</td><td class="c">≥20次</td></tr>'
    )
    assert keep_short_labels(html) == (
        '<tr><th class="col-tier"><span class="nb">一级指标</span></th>'
        '<td class="c" rowspan="3"><span class="nb">满意度</span><span class="nb">指标</span></td><td>人大资讯</td>'
        '<th>偏差原因分析及改进措施</th><th><span class="nb">合计</span></th><td rowspan=2>可持续影响指标</td>'
        '<td class="c label"><span class="nb">项目经费</span></td><td class="c">≥20次</td></tr>'
    )


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_latin_text_is_still_justified_on_spaces(tmp_path):
    from reports.pdf import html_to_pdf

    latin = "Performance evaluation of the whole department's spending, " * 6
    chinese = "部门整体支出绩效自评报告由单位领导签发，财政部门公开。" * 4
    html = f'<html><body><section class="cover"></section><p>{latin}</p><p>{chinese}1304.57万元。</p></body></html>'
    path = tmp_path / "mixed.pdf"
    path.write_bytes(html_to_pdf(html))
    words = subprocess.run(  # noqa: S603, S607
        ["pdftotext", "-f", "2", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    rows: dict[float, float] = {}
    for y0, x1 in re.findall(r'yMin="([\d.]+)" xMax="([\d.]+)"', words):
        rows[round(float(y0))] = max(rows.get(round(float(y0)), 0), float(x1))
    ends = [x1 for _, x1 in sorted(rows.items())][:-1]  # less the page number
    # Seven lines of Latin text, five of Chinese: all but each paragraph's last end at the margin.
    assert len(ends) == 12, ends
    flush = [abs(x1 - RIGHT) < 1.0 for x1 in ends]
    assert flush == [True] * 6 + [False] + [True] * 4 + [False], ends
