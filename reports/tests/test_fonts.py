import re
from io import BytesIO

from reports import fonts


def test_document_characters_cover_the_reference():
    points = set(fonts.document_codepoints())
    sample = "安化县人大常委会办公室≥≤＝％（一）“三公”经费—1304.57万元，减少1.64%。"
    assert {ord(c) for c in sample} <= points
    assert 6763 < len(points) < 12000


def test_font_face_rules_name_only_built_faces():
    css = fonts.font_face_css()
    built = fonts.report_fonts()
    assert css.count("@font-face") == len(built)
    for key in built:
        assert f'url("{fonts.URL_SCHEME}{key}")' in css


def gb2312_hanzi() -> list[str]:
    """GB 2312's 6,763 hanzi (rows 16–87)."""
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def test_the_report_faces_cover_every_gb2312_hanzi():
    from fontTools.ttLib import TTFont

    hanzi = gb2312_hanzi()
    assert len(hanzi) == 6763
    built = fonts.report_fonts()
    # The official-document faces the print stylesheet names: 仿宋, 楷体, 黑体, the title face.
    assert {"fang-regular", "kai-regular", "hei-bold", "title-bold"} <= set(built)
    for key, content in built.items():
        cmap = TTFont(BytesIO(content)).getBestCmap()
        assert [c for c in hanzi if ord(c) not in cmap] == [], key


def test_the_body_and_heading_faces_are_fangsong_and_kaiti():
    from fontTools.ttLib import TTFont

    built = fonts.report_fonts()
    assert TTFont(BytesIO(built["fang-regular"]))["name"].getDebugName(1).startswith("FandolFang")
    assert TTFont(BytesIO(built["kai-regular"]))["name"].getDebugName(1) == "FandolKai"


def test_a_missing_face_is_left_out_and_the_stylesheet_falls_back(monkeypatch):
    missing = fonts.Face("nowhere", "Perfeval Nowhere", 400, "No Such Face Anywhere:style=Regular")
    monkeypatch.setattr(fonts, "FACES", (*fonts.FACES[:1], missing))
    monkeypatch.setattr(fonts, "report_fonts", fonts.report_fonts.__wrapped__)
    built = fonts.report_fonts()
    assert "nowhere" not in built and "fang-regular" in built
    css = fonts.font_face_css()
    assert "Perfeval Nowhere" not in css and "Perfeval Fang" in css


def test_every_face_in_the_print_stylesheet_has_a_system_fallback():
    from reports.pdf import print_css_text

    css = print_css_text()
    for face in fonts.FACES:
        lists = re.findall(rf'font-family:\s*"{face.family}"\s*(,[^;]*);', css)
        assert lists, face.family
        assert all(re.search(r"\b(serif|sans-serif)\b", rest) for rest in lists), face.family


def test_prepare_report_fonts_builds_the_faces_and_renders_with_them(settings, tmp_path):
    """The deploy step: the subsets are written under VAR_DIR, and a small PDF renders with them."""
    from io import StringIO

    from django.core.management import call_command

    from reports import fonts

    settings.VAR_DIR = tmp_path
    fonts.report_fonts.cache_clear()
    try:
        out = StringIO()
        call_command("prepare_report_fonts", stdout=out)
    finally:
        fonts.report_fonts.cache_clear()
    assert "报告字体已就绪" in out.getvalue()
    built = list((tmp_path / "cache" / "report-fonts").glob("*.otf"))
    assert {path.name.split("-")[0] for path in built} >= {"fang", "hei"}
